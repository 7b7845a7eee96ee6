/*
 * The physical frame allocator: hands out 4 KiB frames of RAM by physical
 * address. One bit per frame records whether it is used (1) or free (0).
 *
 * At boot everything starts out used; the memory map's usable regions are
 * then added with frame_add_free_range() and whatever the kernel image,
 * boot modules and this bitmap occupy is taken back out with
 * frame_reserve_range(). Physical address 0 is never handed out, so 0 can
 * mean "no frame".
 *
 * There is one allocator and it does no locking; callers serialise.
 */
#ifndef KERNEL_MM_FRAME_H
#define KERNEL_MM_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_SIZE 4096

/*
 * Starts over with bitmap (BITMAP_WORDS(max_frames) words, owned by the
 * caller) covering frames [0, max_frames). Every frame is marked used and
 * all counters are zero.
 */
void frame_init(uint64_t *bitmap, size_t max_frames);

/*
 * Makes every whole frame inside [base, base + length) free and counts it
 * as usable memory. Partial frames at either end and frames beyond
 * max_frames are ignored.
 */
void frame_add_free_range(uint64_t base, uint64_t length);

/* Marks every frame touching [base, base + length) used. */
void frame_reserve_range(uint64_t base, uint64_t length);

/* Returns the physical address of a free frame, now used, or 0 if none. */
uint64_t frame_alloc(void);

/*
 * Returns the address of count physically contiguous free frames that all
 * end at or below limit (e.g. 4 GiB for 32-bit DMA), now used, or 0 if no
 * such run exists. Pass UINT64_MAX for no limit.
 */
uint64_t frame_alloc_contig(size_t count, uint64_t limit);

/*
 * Frees one frame. Returns 0, or -E_INVAL if phys is not frame-aligned,
 * outside the allocator, or already free.
 */
int frame_free(uint64_t phys);

/* Frees count frames from phys; checks them all before freeing any. */
int frame_free_contig(uint64_t phys, size_t count);

/* Usable frames ever added, frames free now, and their difference. */
size_t frame_total_count(void);
size_t frame_free_count(void);
size_t frame_used_count(void);

#endif
