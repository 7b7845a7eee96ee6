/*
 * Checks the bitmap operations against bit-by-bit reference versions on
 * random maps of varying density, over many [start, end) ranges that
 * begin and end inside words, on word boundaries and at the ends of the
 * map. The word-skipping code is only trustworthy if it agrees with the
 * obvious loop everywhere.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/bitmap.h"

#define BITS 333
#define WORDS BITMAP_WORDS(BITS)

static size_t ref_find_clear(const uint64_t *map, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++) {
        if (!bitmap_test(map, i))
            return i;
    }
    return SIZE_MAX;
}

static size_t ref_find_clear_run(const uint64_t *map, size_t start, size_t end, size_t count)
{
    if (count == 0)
        return SIZE_MAX;
    for (size_t i = start; i + count <= end; i++) {
        size_t j = 0;
        while (j < count && !bitmap_test(map, i + j))
            j++;
        if (j == count)
            return i;
    }
    return SIZE_MAX;
}

/* A random map where each bit is set with probability density/8. */
static void random_map(uint64_t *map, unsigned density)
{
    memset(map, 0, WORDS * sizeof(uint64_t));
    for (size_t i = 0; i < BITS; i++) {
        if ((unsigned)(rand() % 8) < density)
            bitmap_set(map, i);
    }
}

static void check_single_bits(void)
{
    uint64_t map[WORDS] = {0};

    bitmap_set(map, 0);
    bitmap_set(map, 63);
    bitmap_set(map, 64);
    bitmap_set(map, BITS - 1);
    CHECK(map[0] == (1ull | 1ull << 63));
    CHECK(map[1] == 1ull);
    CHECK(bitmap_test(map, 0) && bitmap_test(map, 63) && bitmap_test(map, 64));
    CHECK(bitmap_test(map, BITS - 1) && !bitmap_test(map, BITS - 2) && !bitmap_test(map, 1));
    bitmap_clear(map, 63);
    CHECK(map[0] == 1ull && !bitmap_test(map, 63));
    bitmap_clear(map, 63);
    CHECK(map[0] == 1ull);
}

static void check_searches(void)
{
    uint64_t map[WORDS];
    static const size_t counts[] = {0, 1, 2, 3, 5, 63, 64, 65, 130};

    for (int round = 0; round < 400; round++) {
        random_map(map, (unsigned)(round % 9));
        for (int t = 0; t < 40; t++) {
            size_t start = (size_t)rand() % (BITS + 1);
            size_t end = start + (size_t)rand() % (BITS + 1 - start);
            size_t want = ref_find_clear(map, start, end);
            size_t got = bitmap_find_clear(map, start, end);
            CHECKF(got == want, "find_clear [%zu,%zu): got %zu want %zu", start, end, got, want);

            for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
                want = ref_find_clear_run(map, start, end, counts[c]);
                got = bitmap_find_clear_run(map, start, end, counts[c]);
                CHECKF(got == want, "run %zu in [%zu,%zu): got %zu want %zu", counts[c], start, end,
                       got, want);
            }
        }
    }

    /* Full and empty maps, searched right up to the last bit. */
    memset(map, 0xff, sizeof(map));
    CHECK(bitmap_find_clear(map, 0, BITS) == SIZE_MAX);
    CHECK(bitmap_find_clear_run(map, 0, BITS, 1) == SIZE_MAX);
    bitmap_clear(map, BITS - 1);
    CHECK(bitmap_find_clear(map, 0, BITS) == BITS - 1);
    CHECK(bitmap_find_clear(map, 0, BITS - 1) == SIZE_MAX);
    CHECK(bitmap_find_clear_run(map, 0, BITS, 1) == BITS - 1);
    CHECK(bitmap_find_clear_run(map, 0, BITS, 2) == SIZE_MAX);
    memset(map, 0, sizeof(map));
    CHECK(bitmap_find_clear(map, 5, 5) == SIZE_MAX);
    CHECK(bitmap_find_clear_run(map, 0, BITS, BITS) == 0);
    CHECK(bitmap_find_clear_run(map, 1, BITS, BITS) == SIZE_MAX);
    CHECK(bitmap_find_clear_run(map, 0, BITS, SIZE_MAX) == SIZE_MAX);
}

static void check_ranges(void)
{
    uint64_t map[WORDS], ref[WORDS];

    for (int round = 0; round < 3000; round++) {
        random_map(map, (unsigned)(round % 9));
        memcpy(ref, map, sizeof(map));
        size_t start = (size_t)rand() % (BITS + 1);
        size_t count = (size_t)rand() % (BITS + 1 - start);
        bool set = rand() % 2;

        size_t want = 0;
        for (size_t i = start; i < start + count; i++) {
            if (bitmap_test(ref, i) != set) {
                want++;
                if (set)
                    bitmap_set(ref, i);
                else
                    bitmap_clear(ref, i);
            }
        }
        size_t got =
            set ? bitmap_set_range(map, start, count) : bitmap_clear_range(map, start, count);
        CHECKF(got == want, "%s_range(%zu, %zu): changed %zu want %zu", set ? "set" : "clear",
               start, count, got, want);
        CHECKF(memcmp(map, ref, sizeof(map)) == 0, "%s_range(%zu, %zu): wrong bits",
               set ? "set" : "clear", start, count);
    }
}

int main(void)
{
    srand(12345);
    check_single_bits();
    check_searches();
    check_ranges();
    return check_finish("bitmap_test");
}
