/*
 * The kernel heap: kmalloc/kfree for kernel objects.
 *
 * Small requests are served from slabs, one 4 KiB page per slab holding
 * objects of one size class (16 to 2048 bytes, powers of two); larger
 * requests get whole pages of their own. Pages come from a page source
 * given to heap_init(), which in the kernel is the frame allocator seen
 * through the direct map and in host tests is aligned_alloc, so the heap
 * itself knows nothing about physical memory.
 *
 * The heap does no locking; callers serialise.
 */
#ifndef KERNEL_MM_HEAP_H
#define KERNEL_MM_HEAP_H

#include <stddef.h>

struct heap_stats {
    size_t bytes_in_use; /* bytes handed out: class size, or requested size for large */
    size_t pages;        /* pages currently held from the page source */
    size_t allocations;  /* live allocations */
};

/*
 * Starts the heap over with a page source. alloc_pages(count) must return
 * count contiguous, 4 KiB-aligned pages or NULL; free_pages gives them
 * back. Anything allocated before a re-init is forgotten, not freed.
 */
void heap_init(void *(*alloc_pages)(size_t count), void (*free_pages)(void *pages, size_t count));

/* Returns 16-byte aligned memory, or NULL for size 0 or when out of memory. */
void *kmalloc(size_t size);

/* kmalloc, then zero-filled. */
void *kzalloc(size_t size);

/* Frees memory from kmalloc/kzalloc; NULL is ignored. */
void kfree(void *ptr);

void heap_get_stats(struct heap_stats *out);

/*
 * Called by kfree when ptr is not a live heap object (a wild pointer, a
 * pointer into the middle of an object, or a double free). Defined by the
 * user of the heap: the kernel panics, host tests record the call. If it
 * returns, kfree returns without touching the heap.
 */
void heap_corrupt(const char *why, void *ptr);

#endif
