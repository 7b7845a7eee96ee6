/*
 * Checks lib/libc/malloc.c on the host, with arenas from mmap
 * (libc_arena.c). The allocator keeps one global heap for the whole run,
 * so each check works from the statistics as it finds them.
 *
 * The core is a long random run of malloc, realloc and free with every
 * block filled with its own byte pattern: an overlap between live blocks,
 * or allocator metadata written into a live block, breaks a pattern, and
 * malloc_check() walks every boundary tag and free list along the way.
 * Around it: alignment, reuse of freed memory, merging of free
 * neighbours, realloc in place, calloc, memory going back to the top
 * (so what a program touches stays bounded), pointer checks on free, big
 * blocks with a reservation each that free() gives back, and running
 * out.
 */
#include "libc_host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "libc_arena.h"

static struct malloc_stats stats(void)
{
    struct malloc_stats s;
    malloc_get_stats(&s);
    return s;
}

/* Hides a size from the compiler, which rightly warns about absurd constant sizes. */
static size_t runtime(size_t n)
{
    volatile size_t v = n;
    return v;
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char value)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != value)
            return false;
    }
    return true;
}

static void check_basics(void)
{
    struct malloc_stats before = stats();

    /* malloc(0) gives a real, distinct pointer, as glibc's does. */
    void *z1 = libc_malloc(0), *z2 = libc_malloc(0);
    CHECK(z1 != NULL && z2 != NULL && z1 != z2);
    libc_free(z1);
    libc_free(z2);
    libc_free(NULL);

    for (size_t size = 1; size <= 70000; size += size < 300 ? 1 : size / 5) {
        unsigned char *p = libc_malloc(size);
        if (!CHECKF(p != NULL, "malloc(%zu)", size))
            continue;
        CHECKF((uintptr_t)p % 16 == 0, "malloc(%zu) = %p is not 16-byte aligned", size, (void *)p);
        memset(p, 0x5a, size);
        CHECKF(stats().in_use >= size + 16, "malloc(%zu): in_use %zu", size, stats().in_use);
        libc_free(p);
    }
    struct malloc_stats after = stats();
    CHECK(after.in_use == before.in_use && after.allocations == before.allocations);
    CHECK(after.footprint == before.footprint); /* everything went back to the top */
    CHECK(arena_source.calls == 1 && after.reserved == (size_t)1 << 30);
    CHECK(malloc_check());
    CHECK(arena_source.corrupt_calls == 0);
}

static void check_reuse(void)
{
    void *guard = libc_malloc(16); /* keeps the blocks below away from the top */
    void *a = libc_malloc(100);
    void *b = libc_malloc(16);
    libc_free(a);
    CHECK(stats().free_blocks >= 1);

    /* A freed block serves the next request of its size... */
    void *c = libc_malloc(100);
    CHECK(c == a);
    libc_free(c);
    /* ...and a smaller one, split off its front. */
    void *d = libc_malloc(40);
    CHECK(d == a);
    libc_free(d);

    /* Blocks freed next to the top melt into it: the footprint drops. */
    size_t footprint = stats().footprint;
    void *e = libc_malloc(50000);
    CHECK(stats().footprint >= footprint + 50000);
    libc_free(e);
    CHECK(stats().footprint == footprint);

    libc_free(b);
    libc_free(guard);
    CHECK(malloc_check());
}

static void check_coalescing(void)
{
    void *low = libc_malloc(16);
    char *a = libc_malloc(1000), *b = libc_malloc(1000), *c = libc_malloc(1000);
    void *high = libc_malloc(16);
    size_t blocks = stats().free_blocks;

    CHECK(a < b && b < c);
    libc_free(a);
    libc_free(c);
    CHECK(stats().free_blocks == blocks + 2);
    libc_free(b); /* merges with both neighbours into one block */
    CHECK(stats().free_blocks == blocks + 1);
    CHECK(malloc_check());

    /* The merged block serves a request none of the three could: all 3 x 1024 bytes of it. */
    char *big = libc_malloc(3 * 1024 - 16);
    CHECK(big == a);
    CHECK(stats().free_blocks == blocks);
    libc_free(big);
    libc_free(low);
    libc_free(high);
    CHECK(malloc_check());
}

static void check_realloc(void)
{
    void *guard = libc_malloc(16);

    /* The last block before the top grows in place. */
    unsigned char *p = libc_malloc(100);
    for (int i = 0; i < 100; i++)
        p[i] = (unsigned char)i;
    unsigned char *q = libc_realloc(p, 5000);
    CHECK(q == p);
    /* It shrinks in place too, keeping the front. */
    q = libc_realloc(q, 60);
    CHECK(q == p);
    bool same = true;
    for (int i = 0; i < 60; i++)
        same = same && q[i] == (unsigned char)i;
    CHECK(same);

    /* Growing into a free neighbour: b goes, a takes its place. */
    unsigned char *a = libc_malloc(100);
    unsigned char *b = libc_malloc(400);
    void *fence = libc_malloc(16);
    memset(a, 0xa1, 100);
    libc_free(b);
    CHECK(libc_realloc(a, 450) == a);
    CHECK(all_bytes(a, 100, 0xa1));

    /* Boxed in by a live block, it moves and keeps its contents. */
    unsigned char *moved = libc_realloc(a, 2000);
    CHECK(moved != NULL && moved != a && all_bytes(moved, 100, 0xa1));

    void *fresh = libc_realloc(NULL, 32); /* acts as malloc */
    CHECK(fresh != NULL);
    libc_free(fresh);
    size_t count = stats().allocations;
    CHECK(libc_realloc(moved, 0) == NULL); /* acts as free */
    CHECK(stats().allocations == count - 1);
    CHECK(libc_realloc(q, runtime(SIZE_MAX)) == NULL && q[0] == 0); /* q untouched */

    libc_free(q);
    libc_free(fence);
    libc_free(guard);
    CHECK(malloc_check());
    CHECK(arena_source.corrupt_calls == 0);
}

static void check_calloc(void)
{
    void *guard = libc_malloc(16);
    unsigned char *p = libc_malloc(256);
    void *fence = libc_malloc(16);
    memset(p, 0xff, 256);
    libc_free(p);

    unsigned char *z = libc_calloc(16, 16);
    CHECK(z == p); /* the dirty block, so the zeroing is really tested */
    CHECK(all_bytes(z, 256, 0));
    CHECK(libc_calloc(runtime(SIZE_MAX / 2), 3) == NULL);
    CHECK(libc_calloc(runtime((size_t)1 << 33), (size_t)1 << 33) == NULL);
    libc_free(z);
    libc_free(fence);
    libc_free(guard);
}

static void check_bad_pointers(void)
{
    size_t reports = arena_source.corrupt_calls;
    char *p = libc_malloc(64);
    void *guard = libc_malloc(16);
    struct malloc_stats before;
    int on_stack;

    libc_free(p);
    before = stats();
    libc_free(p);
    CHECK(arena_source.corrupt_calls == reports + 1 && arena_source.corrupt_ptr == p);
    CHECK(stats().free_blocks == before.free_blocks && stats().in_use == before.in_use);

    libc_free(&on_stack);
    CHECK(arena_source.corrupt_calls == reports + 2);

    char *q = libc_malloc(64);
    libc_free(q + 16); /* inside a live block */
    CHECK(arena_source.corrupt_calls == reports + 3);
    libc_free(q + 1);
    CHECK(arena_source.corrupt_calls == reports + 4);
    CHECK(libc_realloc(q + 32, 10) == NULL && arena_source.corrupt_calls == reports + 5);

    libc_free(q);
    libc_free(guard);
    CHECK(arena_source.corrupt_calls == reports + 5);
    CHECK(malloc_check());
    arena_source.corrupt_calls = 0;
}

/* --- random stress --- */

struct slot {
    unsigned char *ptr;
    size_t size;
    unsigned char fill;
};

static void slot_fill(struct slot *s, size_t from)
{
    for (size_t i = from; i < s->size; i++)
        s->ptr[i] = (unsigned char)(s->fill + i * 13);
}

static bool slot_intact(const struct slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s->ptr[i] != (unsigned char)(s->fill + i * 13))
            return false;
    }
    return true;
}

static size_t random_size(void)
{
    int r = rand() % 100;
    if (r < 60)
        return (size_t)rand() % 128;
    if (r < 90)
        return 128 + (size_t)rand() % 2048;
    if (r < 99)
        return 2048 + (size_t)rand() % 30000;
    return 65536 + (size_t)rand() % 262144;
}

/*
 * One random run. Returns the largest footprint seen and, in *max_bytes,
 * the largest number of bytes the program had asked for at one time.
 */
static size_t random_run(unsigned seed, size_t *max_bytes)
{
    enum { SLOTS = 1000, STEPS = 40000 };
    static struct slot slots[SLOTS];
    size_t live = 0, peak = 0, bytes = 0;

    *max_bytes = 0;
    srand(seed);
    memset(slots, 0, sizeof(slots));
    for (int step = 0; step < STEPS; step++) {
        struct slot *s = &slots[(size_t)rand() % SLOTS];
        int action = rand() % 3;

        if (s->ptr == NULL) {
            s->size = random_size();
            s->fill = (unsigned char)rand();
            s->ptr = libc_malloc(s->size);
            if (!CHECKF(s->ptr != NULL, "step %d: malloc(%zu)", step, s->size))
                continue;
            slot_fill(s, 0);
            live++;
            bytes += s->size;
        } else if (action == 0) {
            size_t size = random_size();
            size_t keep = size < s->size ? size : s->size;
            CHECKF(slot_intact(s, s->size), "step %d: %zu-byte block overwritten", step, s->size);
            unsigned char *p = libc_realloc(s->ptr, size == 0 ? 1 : size);
            if (!CHECKF(p != NULL, "step %d: realloc to %zu", step, size))
                continue;
            s->ptr = p;
            CHECKF(slot_intact(s, keep), "step %d: realloc lost data", step);
            bytes += size - s->size;
            s->size = size;
            slot_fill(s, keep);
        } else {
            CHECKF(slot_intact(s, s->size), "step %d: %zu-byte block overwritten", step, s->size);
            libc_free(s->ptr);
            s->ptr = NULL;
            live--;
            bytes -= s->size;
        }
        if (bytes > *max_bytes)
            *max_bytes = bytes;
        if (s->ptr != NULL)
            CHECKF((uintptr_t)s->ptr % 16 == 0, "step %d: unaligned", step);

        struct malloc_stats st = stats();
        if (st.footprint > peak)
            peak = st.footprint;
        CHECKF(st.allocations == live, "step %d: %zu allocations, %zu live", step, st.allocations,
               live);
        if (step % 2000 == 0)
            CHECKF(malloc_check(), "step %d: heap inconsistent", step);
    }

    for (size_t i = 0; i < SLOTS; i++) {
        if (slots[i].ptr != NULL) {
            CHECK(slot_intact(&slots[i], slots[i].size));
            libc_free(slots[i].ptr);
        }
    }
    CHECK(malloc_check());
    return peak;
}

static void check_random(void)
{
    struct malloc_stats start = stats();

    for (unsigned seed = 1; seed <= 3; seed++) {
        size_t max_bytes;
        size_t peak = random_run(seed * 7919, &max_bytes);

        /*
         * Freed memory is found again rather than carved anew, so the
         * memory touched stays near what the program held at its peak
         * (headers and fragmentation included), far below the ~60 MB a
         * run allocates in total.
         */
        CHECKF(peak <= 2 * max_bytes + ((size_t)1 << 20), "seed %u: footprint %zu for %zu bytes",
               seed, peak, max_bytes);

        /* All freed, so all merged back: nothing is left carved out. */
        struct malloc_stats s = stats();
        CHECK(s.allocations == start.allocations && s.in_use == start.in_use);
        CHECK(s.footprint == start.footprint && s.free_bytes == start.free_bytes);
    }
    CHECK(stats().arenas == 1 && stats().big_blocks == 0); /* big ones came and went */
    CHECK(arena_source.corrupt_calls == 0);
}

/*
 * Memory running out (malloc_arena_commit refusing) gives NULL, never a
 * block on pages that are not there; what was handed out stays usable,
 * and once memory is back so is malloc. Every block lies below what was
 * made present.
 */
static void check_memory_runs_out(void)
{
    struct malloc_stats start = stats();
    arena_source.commit_limit = arena_source.committed + ((size_t)1 << 20);
    enum { MAX = 4096 }; /* 400 MB: far more than the memory left */
    static unsigned char *blocks[MAX];
    int got = 0;
    while (got < MAX && (blocks[got] = libc_malloc(runtime(100000))) != NULL) {
        memset(blocks[got], got, 100000);
        got++;
    }
    CHECKF(got >= 8 && got < MAX, "%d blocks of 100 KB with 1 MiB more memory", got);
    CHECK(arena_source.committed <= arena_source.commit_limit);
    CHECK(libc_realloc(blocks[got - 1], runtime(4u << 20)) == NULL); /* it stays as it was */
    CHECK(libc_calloc(1000, runtime(1000)) == NULL);
    CHECK(malloc_check());
    for (int i = 0; i < got; i++) {
        CHECK(blocks[i][0] == (unsigned char)i && blocks[i][99999] == (unsigned char)i);
        libc_free(blocks[i]);
    }
    /* Freed memory is still present: the same blocks come again without a commit. */
    size_t commits = arena_source.commits;
    void *again = libc_malloc(runtime(100000));
    CHECK(again != NULL && arena_source.commits == commits);
    libc_free(again);
    arena_source.commit_limit = SIZE_MAX;
    void *big = libc_malloc(runtime(4u << 20));
    CHECK(big != NULL);
    libc_free(big);
    struct malloc_stats end = stats();
    CHECK(end.in_use == start.in_use && end.allocations == start.allocations);
    CHECK(malloc_check());
}

/*
 * Requests of 256 KiB and more get a reservation each, made present
 * whole; free() gives it back, so memory used only at a peak returns to
 * the system. realloc keeps a big block in place while it fits, and
 * moves it into an arena when it becomes small.
 */
static void check_big_blocks(void)
{
    struct malloc_stats start = stats();
    size_t reserved = arena_source.reserved, committed = arena_source.committed;
    size_t releases = arena_source.releases;
    const size_t big = (size_t)256 << 10;
    unsigned char *p = libc_malloc(runtime(big));
    CHECK(p != NULL && (uintptr_t)p % 16 == 0);
    CHECK(stats().big_blocks == start.big_blocks + 1 && stats().arenas == start.arenas);
    CHECK(arena_source.reserved > reserved + big && arena_source.committed > committed + big);
    memset(p, 0xA5, big);
    CHECK(malloc_check());

    /* In place while it fits its reservation's pages, moved when it grows. */
    unsigned char *q = libc_realloc(p, runtime(big + 1000));
    CHECK(q == p && all_bytes(q, big, 0xA5));
    q = libc_realloc(p, runtime(big * 4));
    CHECK(q != NULL && q != p && all_bytes(q, big, 0xA5));
    CHECK(stats().big_blocks == start.big_blocks + 1 && arena_source.releases == releases + 1);
    /* Shrunk below the threshold: into an arena, and the reservation goes back. */
    p = libc_realloc(q, runtime(100));
    CHECK(p != NULL && all_bytes(p, 100, 0xA5));
    CHECK(stats().big_blocks == start.big_blocks && arena_source.releases == releases + 2);
    libc_free(p);

    /* Freed: everything it took is given back. */
    p = libc_malloc(runtime(big * 8));
    CHECK(p != NULL && stats().big_bytes > big * 8);
    libc_free(p);
    CHECK(arena_source.reserved == reserved && arena_source.committed == committed);
    CHECK(stats().big_blocks == start.big_blocks && stats().big_bytes == start.big_bytes);
    CHECK(stats().in_use == start.in_use && stats().reserved == start.reserved);

    /* Pointers into it, and a second free, are reported, not followed. */
    size_t reports = arena_source.corrupt_calls;
    p = libc_malloc(runtime(big));
    libc_free(p + 16);
    CHECK(arena_source.corrupt_calls == reports + 1);
    CHECK(libc_realloc(p + 4096, 10) == NULL && arena_source.corrupt_calls == reports + 2);
    libc_free(p);
    libc_free(p);
    CHECK(arena_source.corrupt_calls == reports + 3);
    arena_source.corrupt_calls = 0;

    /* Memory running out: NULL, and the reservation made for it is gone again. */
    arena_source.commit_limit = arena_source.committed + big;
    reserved = arena_source.reserved;
    CHECK(libc_malloc(runtime(big * 2)) == NULL && arena_source.reserved == reserved);
    CHECK(libc_calloc(2, runtime(big)) == NULL);
    arena_source.commit_limit = SIZE_MAX;
    CHECK(malloc_check());
}

/* Last, because it spends the address space the earlier checks had. */
static void check_large_and_exhaustion(void)
{
    /* A block bigger than an arena is a big block: no arena for it. */
    size_t huge = (size_t)3 << 29; /* 1.5 GiB */
    unsigned char *h = libc_malloc(huge);
    CHECK(h != NULL && (uintptr_t)h % 16 == 0);
    CHECK(stats().arenas == 1 && stats().big_blocks == 1 && arena_source.reserved > huge);
    if (h != NULL) {
        h[0] = 1;
        h[huge - 1] = 2;
    }
    CHECK(malloc_check());
    libc_free(h);
    CHECK(stats().big_blocks == 0);

    /* Filling the first arena starts a second; its top past its present pages is set aside. */
    enum { MAX = 8000 };
    static void *blocks[MAX];
    int got = 0;
    while (got < MAX && stats().arenas == 1 && (blocks[got] = libc_malloc(200000)) != NULL)
        got++;
    CHECKF(stats().arenas == 2, "a second arena after %d blocks", got);
    CHECK(stats().unbacked < (size_t)1 << 30);
    CHECK(malloc_check());

    /* Out of address space: NULL, and the heap still works. */
    arena_source.limit = arena_source.reserved;
    CHECK(libc_malloc((size_t)4 << 30) == NULL);
    CHECK(libc_malloc(runtime(SIZE_MAX)) == NULL && libc_malloc(runtime(SIZE_MAX / 2 + 1)) == NULL);
    void *small = libc_malloc(100);
    CHECK(small != NULL);
    libc_free(small);
    for (int i = 0; i < got; i++)
        libc_free(blocks[i]);
    CHECK(stats().allocations == 0 && stats().in_use == 0);
    CHECK(malloc_check());
    CHECK(arena_source.corrupt_calls == 0);
}

int main(void)
{
    check_basics();
    check_reuse();
    check_coalescing();
    check_realloc();
    check_calloc();
    check_bad_pointers();
    check_random();
    check_memory_runs_out();
    check_big_blocks();
    check_large_and_exhaustion();
    return check_finish("libc_malloc_test");
}
