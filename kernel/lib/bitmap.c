/*
 * Word-at-a-time bitmap searches and range updates. Each operation splits
 * its range into a partial first word, whole middle words and a partial
 * last word; word_mask() builds the mask for the part of one word that a
 * range covers, so all three cases share one loop.
 */
#include "lib/bitmap.h"

/* Mask of the bits [lo, hi) within one word; 0 <= lo < hi <= 64. */
static uint64_t word_mask(size_t lo, size_t hi)
{
    uint64_t upper = hi == BITMAP_WORD_BITS ? ~(uint64_t)0 : ((uint64_t)1 << hi) - 1;
    return upper & ~(((uint64_t)1 << lo) - 1);
}

/*
 * Counts set bits. Written out rather than __builtin_popcountll because
 * without -mpopcnt gcc turns the builtin into a call into libgcc, which the
 * kernel does not link.
 */
static size_t popcount64(uint64_t v)
{
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (size_t)((v * 0x0101010101010101ull) >> 56);
}

/*
 * Shared search: the first bit in [start, end) whose value is want. Each
 * word is flipped so the bits being looked for are ones, then the lowest
 * one in range is found with a count-trailing-zeros instruction.
 */
static size_t bitmap_find(const uint64_t *map, size_t start, size_t end, bool want)
{
    size_t bit = start;

    while (bit < end) {
        size_t word = bit / BITMAP_WORD_BITS;
        size_t lo = bit % BITMAP_WORD_BITS;
        size_t hi = end - word * BITMAP_WORD_BITS;
        if (hi > BITMAP_WORD_BITS)
            hi = BITMAP_WORD_BITS;

        uint64_t bits = want ? map[word] : ~map[word];
        bits &= word_mask(lo, hi);
        if (bits != 0)
            return word * BITMAP_WORD_BITS + (size_t)__builtin_ctzll(bits);
        bit = (word + 1) * BITMAP_WORD_BITS;
    }
    return SIZE_MAX;
}

size_t bitmap_find_clear(const uint64_t *map, size_t start, size_t end)
{
    return bitmap_find(map, start, end, false);
}

/*
 * Finds a clear bit, then the next set bit after it; if the gap between
 * them is long enough the run is found, otherwise the search resumes past
 * the set bit. Every step moves forward, so this is linear in the range.
 */
size_t bitmap_find_clear_run(const uint64_t *map, size_t start, size_t end, size_t count)
{
    size_t bit = start;

    if (count == 0)
        return SIZE_MAX;
    while (bit < end) {
        bit = bitmap_find(map, bit, end, false);
        if (bit == SIZE_MAX || end - bit < count)
            return SIZE_MAX;

        size_t used = bitmap_find(map, bit, bit + count, true);
        if (used == SIZE_MAX)
            return bit;
        bit = used + 1;
    }
    return SIZE_MAX;
}

/* Sets (or clears) a range one word mask at a time, counting flips. */
static size_t bitmap_update_range(uint64_t *map, size_t start, size_t count, bool set)
{
    size_t end = start + count;
    size_t changed = 0;
    size_t bit = start;

    while (bit < end) {
        size_t word = bit / BITMAP_WORD_BITS;
        size_t lo = bit % BITMAP_WORD_BITS;
        size_t hi = end - word * BITMAP_WORD_BITS;
        if (hi > BITMAP_WORD_BITS)
            hi = BITMAP_WORD_BITS;

        uint64_t mask = word_mask(lo, hi);
        if (set) {
            changed += popcount64(~map[word] & mask);
            map[word] |= mask;
        } else {
            changed += popcount64(map[word] & mask);
            map[word] &= ~mask;
        }
        bit = (word + 1) * BITMAP_WORD_BITS;
    }
    return changed;
}

size_t bitmap_set_range(uint64_t *map, size_t start, size_t count)
{
    return bitmap_update_range(map, start, count, true);
}

size_t bitmap_clear_range(uint64_t *map, size_t start, size_t count)
{
    return bitmap_update_range(map, start, count, false);
}
