/*
 * Bit arrays stored in uint64_t words, bit n living in word n / 64 at
 * position n % 64. The frame allocator keeps one bit per physical page in
 * such an array, so the searches here skip whole words at a time: a full
 * word of used frames costs one comparison, not 64.
 *
 * The caller owns the storage and its size; ranges are [start, end) in
 * bits and are not checked against it.
 */
#ifndef KERNEL_LIB_BITMAP_H
#define KERNEL_LIB_BITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BITMAP_WORD_BITS 64

/* Number of uint64_t words needed to hold bits bits. */
#define BITMAP_WORDS(bits) (((bits) + BITMAP_WORD_BITS - 1) / BITMAP_WORD_BITS)

static inline void bitmap_set(uint64_t *map, size_t bit)
{
    map[bit / BITMAP_WORD_BITS] |= (uint64_t)1 << (bit % BITMAP_WORD_BITS);
}

static inline void bitmap_clear(uint64_t *map, size_t bit)
{
    map[bit / BITMAP_WORD_BITS] &= ~((uint64_t)1 << (bit % BITMAP_WORD_BITS));
}

static inline bool bitmap_test(const uint64_t *map, size_t bit)
{
    return (map[bit / BITMAP_WORD_BITS] >> (bit % BITMAP_WORD_BITS)) & 1;
}

/* Returns the first clear bit in [start, end), or SIZE_MAX if none. */
size_t bitmap_find_clear(const uint64_t *map, size_t start, size_t end);

/*
 * Returns the first bit of the lowest run of count consecutive clear bits
 * lying wholly inside [start, end), or SIZE_MAX if there is none (or count
 * is 0).
 */
size_t bitmap_find_clear_run(const uint64_t *map, size_t start, size_t end, size_t count);

/*
 * Set or clear count bits starting at start. Each returns how many bits
 * actually changed state, so callers can keep free/used counters exact even
 * when a range overlaps bits that were already in the wanted state.
 */
size_t bitmap_set_range(uint64_t *map, size_t start, size_t count);
size_t bitmap_clear_range(uint64_t *map, size_t start, size_t count);

#endif
