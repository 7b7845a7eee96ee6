/*
 * Checks the frame allocator: counters after adding and reserving ranges
 * (with unaligned edges and overlaps), frame 0 never being handed out,
 * exhaustion, every kind of bad free, contiguous runs that respect a limit
 * and never cross a used frame, all-or-nothing contiguous frees, and a
 * long random run checked against a simple shadow model of every frame.
 */
#include <stdlib.h>

#include <parley/errors.h>

#include "check.h"
#include "lib/bitmap.h"
#include "mm/frame.h"

#define MAX_FRAMES 1000
#define PAGE FRAME_SIZE

static uint64_t bitmap[BITMAP_WORDS(4096)];

static bool frame_is_used(size_t frame)
{
    return bitmap_test(bitmap, frame);
}

static bool counts_are(size_t total, size_t free)
{
    return frame_total_count() == total && frame_free_count() == free &&
           frame_used_count() == total - free;
}

static void check_ranges_and_counts(void)
{
    frame_init(bitmap, MAX_FRAMES);
    CHECK(counts_are(0, 0));
    CHECK(frame_alloc() == 0);
    CHECK(frame_alloc_contig(1, UINT64_MAX) == 0);

    /* Frames 1..15: frame 0 is left out even though the range covers it. */
    frame_add_free_range(0, 16 * PAGE);
    CHECK(counts_are(15, 15));
    CHECK(frame_is_used(0) && !frame_is_used(1) && !frame_is_used(15) && frame_is_used(16));

    /* Unaligned edges shrink to whole frames: only frames 17 and 18. */
    frame_add_free_range(0x10800, 0x3000);
    CHECK(counts_are(17, 17));
    CHECK(frame_is_used(16) && !frame_is_used(17) && !frame_is_used(18) && frame_is_used(19));

    /* Adding free memory again changes nothing. */
    frame_add_free_range(0x11000, 0x2000);
    CHECK(counts_are(17, 17));

    /* A range smaller than a frame, or inside one, frees nothing. */
    frame_add_free_range(0x20800, 0x1000);
    frame_add_free_range(0x30000, 0);
    CHECK(counts_are(17, 17));

    /* Reserving rounds outwards: 0x5800..0x6800 touches frames 5 and 6. */
    frame_reserve_range(0x5800, 0x1000);
    CHECK(counts_are(17, 15));
    CHECK(frame_is_used(5) && frame_is_used(6) && !frame_is_used(4) && !frame_is_used(7));
    frame_reserve_range(0x5000, 0x2000); /* already reserved */
    frame_reserve_range(0x9000, 0);      /* empty */
    CHECK(counts_are(17, 15));

    /* Ranges past the end of the bitmap are clipped. */
    frame_add_free_range((uint64_t)(MAX_FRAMES - 2) * PAGE, 100 * PAGE);
    CHECK(counts_are(19, 17));
    frame_reserve_range((uint64_t)(MAX_FRAMES - 1) * PAGE, UINT64_MAX);
    CHECK(counts_are(19, 16));
    frame_add_free_range(UINT64_MAX - PAGE, 2 * PAGE);
    CHECK(counts_are(19, 16));
}

static void check_alloc_and_free(void)
{
    uint64_t got[32];
    size_t n = 0;

    frame_init(bitmap, MAX_FRAMES);
    frame_add_free_range(0, 16 * PAGE);
    frame_add_free_range(0x11000, 0x2000);
    frame_reserve_range(0x5000, 0x2000);

    for (uint64_t f; n < 32 && (f = frame_alloc()) != 0; n++)
        got[n] = f;
    CHECK(n == 15);
    CHECK(frame_alloc() == 0);
    CHECK(counts_are(17, 0));
    for (size_t i = 0; i < n; i++) {
        uint64_t frame = got[i] / PAGE;
        CHECKF(got[i] % PAGE == 0, "frame %#llx unaligned", (unsigned long long)got[i]);
        CHECKF((frame >= 1 && frame <= 15 && frame != 5 && frame != 6) || frame == 17 ||
                   frame == 18,
               "frame %llu was never free", (unsigned long long)frame);
        for (size_t j = 0; j < i; j++)
            CHECKF(got[j] != got[i], "frame %llu handed out twice", (unsigned long long)frame);
    }

    /* Bad frees change nothing. */
    CHECK(frame_free(0) == -E_INVAL);
    CHECK(frame_free(3 * PAGE + 8) == -E_INVAL);
    CHECK(frame_free((uint64_t)MAX_FRAMES * PAGE) == -E_INVAL);
    CHECK(frame_free(UINT64_MAX & ~(uint64_t)(PAGE - 1)) == -E_INVAL);
    CHECK(counts_are(17, 0));

    CHECK(frame_free(8 * PAGE) == 0);
    CHECK(counts_are(17, 1));
    CHECK(frame_free(8 * PAGE) == -E_INVAL); /* double free */
    CHECK(counts_are(17, 1));
    CHECK(frame_alloc() == 8 * PAGE);
    CHECK(frame_alloc() == 0);

    /* Freed frames are found again even below the search hint. */
    CHECK(frame_free(2 * PAGE) == 0);
    CHECK(frame_free(18 * PAGE) == 0);
    CHECK(frame_alloc() == 2 * PAGE);
    CHECK(frame_alloc() == 18 * PAGE);
    CHECK(frame_alloc() == 0);

    /* Frames 5 and 6 stay reserved. */
    for (size_t i = 0; i < n; i++)
        CHECK(frame_free(got[i]) == 0);
    CHECK(counts_are(17, 15));
}

static void check_contig(void)
{
    frame_init(bitmap, 1024);
    frame_add_free_range(0, 512 * PAGE);
    frame_reserve_range(10 * PAGE, PAGE);
    CHECK(counts_are(511, 510));

    /* 1..9 is too short for 20, so the run starts after the hole at 10. */
    uint64_t big = frame_alloc_contig(20, UINT64_MAX);
    CHECK(big == 11 * PAGE);
    CHECK(counts_are(511, 490));
    for (size_t f = 11; f < 31; f++)
        CHECKF(frame_is_used(f), "frame %zu of the run still free", f);
    CHECK(!frame_is_used(31));

    /* Below 64 KiB only frames 1..9 remain: runs must fit inside them. */
    CHECK(frame_alloc_contig(5, 16 * PAGE) == 1 * PAGE);
    CHECK(frame_alloc_contig(5, 16 * PAGE) == 0);
    CHECK(frame_alloc_contig(4, 10 * PAGE) == 6 * PAGE); /* ends exactly at the limit */
    CHECK(frame_alloc_contig(1, 10 * PAGE) == 0);
    CHECK(frame_alloc_contig(1, PAGE) == 0);          /* only frame 0 lies below */
    CHECK(frame_alloc_contig(1, 32 * PAGE - 1) == 0); /* frame 31 pokes past the limit */
    CHECK(frame_alloc_contig(1, 32 * PAGE) == 31 * PAGE);
    CHECK(frame_alloc_contig(0, UINT64_MAX) == 0);
    CHECK(frame_alloc_contig(600, UINT64_MAX) == 0); /* more than exists */
    CHECK(counts_are(511, 480));

    /* A run ending on the last usable frame, then nothing is left. */
    uint64_t rest = frame_alloc_contig(480, UINT64_MAX);
    CHECK(rest == 32 * PAGE);
    CHECK(counts_are(511, 0));
    CHECK(frame_alloc() == 0);

    /* Contiguous frees are checked whole before anything changes. */
    CHECK(frame_free_contig(big, 20) == 0);
    CHECK(counts_are(511, 20));
    CHECK(frame_free_contig(big, 20) == -E_INVAL);
    CHECK(frame_free_contig(rest, 0) == -E_INVAL);
    CHECK(frame_free_contig(rest + 1, 2) == -E_INVAL);
    CHECK(frame_free_contig(rest, 2000) == -E_INVAL);
    CHECK(frame_free_contig(rest, SIZE_MAX) == -E_INVAL);
    CHECK(frame_free(rest + PAGE) == 0);
    CHECK(frame_free_contig(rest, 3) == -E_INVAL); /* middle frame already free */
    CHECK(counts_are(511, 21));
    CHECK(frame_is_used(32) && frame_is_used(34));
    CHECK(frame_free(rest) == 0 && frame_free(rest + 2 * PAGE) == 0);
    CHECK(counts_are(511, 23));
}

/*
 * Random allocations and frees against a shadow array of frame states.
 * Whenever the model has a free frame (or run), the allocator must find
 * one, and what it returns must be free in the model.
 */
static void check_random(void)
{
    enum { N = 4096, UNUSABLE = 0, FREE = 1, TAKEN = 2 };
    static unsigned char model[N];
    static uint64_t held[N];
    size_t nheld = 0, nfree = 0;

    frame_init(bitmap, N);
    for (size_t i = 0; i < N; i++)
        model[i] = UNUSABLE;
    frame_add_free_range(0, 1000 * PAGE);
    frame_add_free_range(1500 * PAGE + 123, 2000 * PAGE);
    frame_reserve_range(300 * PAGE - 5, 10 * PAGE); /* frames 299..309 */
    for (size_t i = 1; i < 1000; i++)
        model[i] = FREE;
    for (size_t i = 1501; i < 3500; i++)
        model[i] = FREE;
    for (size_t i = 299; i <= 309; i++)
        model[i] = UNUSABLE;
    for (size_t i = 0; i < N; i++)
        nfree += model[i] == FREE;
    CHECK(frame_free_count() == nfree);

    srand(777);
    for (int step = 0; step < 20000; step++) {
        int op = rand() % 10;
        if (op < 5) {
            uint64_t f = frame_alloc();
            if (!CHECKF((f != 0) == (nfree > 0), "step %d: alloc %#llx with %zu free", step,
                        (unsigned long long)f, nfree) ||
                f == 0)
                continue;
            size_t fn = f / PAGE;
            CHECKF(f % PAGE == 0 && fn < N && model[fn] == FREE, "step %d: bad frame %zu", step,
                   fn);
            model[fn] = TAKEN;
            held[nheld++] = f;
            nfree--;
        } else if (op < 6) {
            size_t count = 1 + (size_t)rand() % 16;
            uint64_t limit = (uint64_t)(rand() % N) * PAGE;
            uint64_t f = frame_alloc_contig(count, limit);
            if (f == 0) {
                /* Confirm with the model that no run fits below limit. */
                size_t run = 0;
                bool exists = false;
                for (size_t i = 0; i < limit / PAGE && !exists; i++) {
                    run = model[i] == FREE ? run + 1 : 0;
                    exists = run >= count;
                }
                CHECKF(!exists, "step %d: missed a run of %zu below %#llx", step, count,
                       (unsigned long long)limit);
                continue;
            }
            size_t fn = f / PAGE;
            CHECKF((fn + count) * PAGE <= limit, "step %d: run past limit", step);
            for (size_t i = fn; i < fn + count; i++) {
                CHECKF(model[i] == FREE, "step %d: run frame %zu not free", step, i);
                model[i] = TAKEN;
                held[nheld++] = (uint64_t)i * PAGE;
                nfree--;
            }
        } else if (nheld > 0) {
            size_t k = (size_t)rand() % nheld;
            uint64_t f = held[k];
            held[k] = held[--nheld];
            CHECK(frame_free(f) == 0);
            CHECK(frame_free(f) == -E_INVAL);
            model[f / PAGE] = FREE;
            nfree++;
        }
        CHECKF(frame_free_count() == nfree, "step %d: free count %zu, model %zu", step,
               frame_free_count(), nfree);
    }
    /* Reserving takes frames out of the free count, never the total. */
    CHECK(frame_total_count() == 999 + 1999);
}

int main(void)
{
    check_ranges_and_counts();
    check_alloc_and_free();
    check_contig();
    check_random();
    return check_finish("frame_test");
}
