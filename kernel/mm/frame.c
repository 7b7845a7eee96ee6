/*
 * Bitmap frame allocator. The bitmap gives exact double-free detection
 * and contiguous runs (for DMA buffers and heap slabs larger than a page)
 * with no per-frame metadata beyond one bit.
 *
 * To keep frame_alloc() from rescanning the low, long-since-used part of
 * memory on every call, the allocator keeps a hint with one invariant:
 * every frame below the hint is used. Allocation searches from the hint;
 * anything that frees a frame below it moves it down.
 */
#include <parley/errors.h>

#include "lib/bitmap.h"
#include "mm/frame.h"

static struct {
    uint64_t *bitmap;
    size_t max_frames;
    size_t total;
    size_t free;
    size_t hint;
} frames;

void frame_init(uint64_t *bitmap, size_t max_frames)
{
    size_t words = BITMAP_WORDS(max_frames);

    for (size_t i = 0; i < words; i++)
        bitmap[i] = ~(uint64_t)0;
    frames.bitmap = bitmap;
    frames.max_frames = max_frames;
    frames.total = 0;
    frames.free = 0;
    frames.hint = 0;
}

/* base + length without wrapping past the top of the address space. */
static uint64_t frame_range_end(uint64_t base, uint64_t length)
{
    return length > UINT64_MAX - base ? UINT64_MAX : base + length;
}

void frame_add_free_range(uint64_t base, uint64_t length)
{
    uint64_t first = base / FRAME_SIZE + (base % FRAME_SIZE != 0);
    uint64_t end = frame_range_end(base, length) / FRAME_SIZE;

    /* Frame 0 stays used forever: address 0 is the allocator's "none". */
    if (first == 0)
        first = 1;
    if (end > frames.max_frames)
        end = frames.max_frames;
    if (first >= end)
        return;

    size_t changed = bitmap_clear_range(frames.bitmap, first, end - first);
    frames.total += changed;
    frames.free += changed;
    if (first < frames.hint)
        frames.hint = first;
}

void frame_reserve_range(uint64_t base, uint64_t length)
{
    uint64_t first = base / FRAME_SIZE;
    uint64_t last_byte = frame_range_end(base, length);
    uint64_t end = last_byte / FRAME_SIZE + (last_byte % FRAME_SIZE != 0);

    if (end > frames.max_frames)
        end = frames.max_frames;
    if (length == 0 || first >= end)
        return;
    frames.free -= bitmap_set_range(frames.bitmap, first, end - first);
}

uint64_t frame_alloc(void)
{
    size_t frame = bitmap_find_clear(frames.bitmap, frames.hint, frames.max_frames);

    if (frame == SIZE_MAX) {
        frames.hint = frames.max_frames;
        return 0;
    }
    bitmap_set(frames.bitmap, frame);
    frames.free--;
    frames.hint = frame + 1;
    return (uint64_t)frame * FRAME_SIZE;
}

uint64_t frame_alloc_contig(size_t count, uint64_t limit)
{
    size_t end = frames.max_frames;

    if (count == 0)
        return 0;
    if (limit / FRAME_SIZE < end)
        end = (size_t)(limit / FRAME_SIZE);

    size_t first = bitmap_find_clear_run(frames.bitmap, frames.hint, end, count);
    if (first == SIZE_MAX)
        return 0;
    bitmap_set_range(frames.bitmap, first, count);
    frames.free -= count;
    /* The hint may only move past frames that are now all used. */
    if (first == frames.hint)
        frames.hint = first + count;
    return (uint64_t)first * FRAME_SIZE;
}

/* Checks that [phys, phys + count frames) is aligned, in range and used. */
static bool frame_range_freeable(uint64_t phys, size_t count)
{
    uint64_t first = phys / FRAME_SIZE;

    if (phys % FRAME_SIZE != 0 || first == 0 || count == 0)
        return false;
    if (first >= frames.max_frames || count > frames.max_frames - first)
        return false;
    for (size_t i = 0; i < count; i++) {
        if (!bitmap_test(frames.bitmap, first + i))
            return false;
    }
    return true;
}

int frame_free(uint64_t phys)
{
    return frame_free_contig(phys, 1);
}

int frame_free_contig(uint64_t phys, size_t count)
{
    if (!frame_range_freeable(phys, count))
        return -E_INVAL;

    size_t first = (size_t)(phys / FRAME_SIZE);
    bitmap_clear_range(frames.bitmap, first, count);
    frames.free += count;
    if (first < frames.hint)
        frames.hint = first;
    return 0;
}

size_t frame_total_count(void)
{
    return frames.total;
}

size_t frame_free_count(void)
{
    return frames.free;
}

/*
 * Freeing a frame that was reserved rather than allocated can push the
 * free count past the total; report no used frames rather than wrapping.
 */
size_t frame_used_count(void)
{
    return frames.total > frames.free ? frames.total - frames.free : 0;
}
