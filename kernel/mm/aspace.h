/*
 * User address spaces.
 *
 * Each process has its own top-level page table whose lower half maps
 * the process and whose upper half is copied from the kernel's, so the
 * kernel is mapped at the same place in every process. What a process
 * may touch is described by a list of areas (struct vm_area); page-table
 * entries are filled in when an area is loaded or, for demand areas
 * (heaps and stacks), when the process first touches a page.
 */
#ifndef MM_ASPACE_H
#define MM_ASPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/list.h"

struct rgroup;

/* The user half, and where things go in it. */
#define USER_MIN 0x10000ull
#define USER_TOP 0x0000800000000000ull
#define USER_RESERVE_BASE 0x0000100000000000ull /* SYS_VM_RESERVE areas grow up from here */
#define USER_BOOT_IMAGE 0x0000500000000000ull   /* init's read-only view of the boot image */
#define USER_STACK_TOP 0x00007FFFFFFFE000ull
#define USER_STACK_SIZE (8ull << 20) /* reserved; pages appear when touched */

/* Area flags. */
#define AREA_READ (1u << 0)
#define AREA_WRITE (1u << 1)
#define AREA_EXEC (1u << 2)
#define AREA_DEMAND (1u << 3) /* zero-filled pages appear on first touch */
#define AREA_GUARD (1u << 4)  /* never mapped: a touch is a stack overflow */
#define AREA_SHARED (1u << 5) /* frames belong to someone else: never freed here */
#define AREA_DEVICE (1u << 6) /* device memory: mapped uncached */

struct vm_area {
    uint64_t start, end;
    uint32_t flags;
    struct list_node link;
};

struct aspace {
    uint64_t root;          /* physical address of the PML4 */
    struct list_node areas; /* sorted by start address */
    size_t pages;           /* frames this address space owns (for ps and tests) */
    size_t tables;          /* page-table frames below the root (freed once empty) */
    struct rgroup *group;   /* charged for its pages and areas (NULL: nobody) */
};

/* May one more page be owned without going over the group's limit? */
bool aspace_page_room(const struct aspace *as);

struct aspace *aspace_create(void);
void aspace_destroy(struct aspace *as);
/* Loads an address space (NULL: the kernel's own), unless it is loaded already. */
void aspace_activate(const struct aspace *as);

/* aspace_activate for a thread switch: inline, as it runs on every IPC. */
static inline void aspace_switch(const struct aspace *as)
{
    uint64_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    if (cr3 != as->root)
        __asm__ volatile("mov %0, %%cr3" : : "r"(as->root) : "memory");
}

/* Adds an area; -E_INVAL if it is misaligned, outside the user half or overlaps another. */
int aspace_add_area(struct aspace *as, uint64_t start, uint64_t end, uint32_t flags);

/*
 * Finds the lowest room for `length` bytes in [USER_RESERVE_BASE,
 * USER_BOOT_IMAGE), with a guard page on each side, and adds a demand
 * area there; -E_NOMEM if there is no such room. Released space is reused.
 */
int64_t aspace_reserve(struct aspace *as, uint64_t length, uint32_t flags);

/* Removes the areas exactly covering [start, end) and frees their pages. */
int aspace_release(struct aspace *as, uint64_t start, uint64_t end);

/* Maps a frame the caller owns (freed with the space) or shares (AREA_SHARED area). */
int aspace_map(struct aspace *as, uint64_t virt, uint64_t phys, uint32_t flags);

/*
 * Maps the physical range [phys, phys + length) (page aligned) into new
 * address space above USER_RESERVE_BASE; returns its address. With
 * AREA_SHARED the frames stay someone else's, otherwise the space owns
 * them from now on. On failure nothing is mapped and the frames are still
 * the caller's to free.
 */
int64_t aspace_map_physical(struct aspace *as, uint64_t phys, uint64_t length, uint32_t flags);

/* 0 if [start, start + length) is exactly one region made by aspace_reserve, else -E_INVAL. */
int aspace_region_check(struct aspace *as, uint64_t start, uint64_t length);

/* True if `to` has address space left for a region of `length` bytes. */
bool aspace_region_fits(const struct aspace *to, uint64_t length);

/*
 * Moving a checked region out of `from` into `to` takes two steps, so that
 * everything that can fail happens before anything moves: reserve the new
 * home in `to` (an address, or a negative error), then move the pages
 * there, page-table entry by entry (no data is copied). The move walks
 * the page tables, so its cost follows the pages present, not the
 * region's length. A page `to` has no page-table memory for reads as zero
 * afterwards.
 */
int64_t aspace_region_reserve_for(struct aspace *to, const struct aspace *from, uint64_t start,
                                  uint64_t length);
void aspace_region_move(struct aspace *from, uint64_t start, uint64_t length, struct aspace *to,
                        uint64_t target);

/*
 * Copies kernel bytes into the address space (need not be the active one),
 * mapping demand pages as needed. Ignores write protection: for loading.
 */
int aspace_write(struct aspace *as, uint64_t virt, const void *src, size_t length);

/*
 * Resolves a page fault at `addr` with error code `err`. Returns 0 if a
 * demand page was mapped, otherwise -E_FAULT and, in *why, a reason
 * such as "stack overflow" for the fault report.
 */
int aspace_fault(struct aspace *as, uint64_t addr, uint64_t err, const char **why);

/*
 * Makes every page of [start, end) present now, as touching each would,
 * so that running out of memory is an error to handle rather than a
 * fault that kills. The range must lie in one demand area (a reserved
 * region, the stack or a bss). Returns 0, -E_INVAL, or -E_NOMEM when the
 * group's limit or the free frames run out (pages made present so far
 * stay, as touched pages do).
 */
int aspace_commit(struct aspace *as, uint64_t start, uint64_t end);

/* True if [addr, addr + length) lies within the user half (no wrap-around). */
static inline bool user_range_ok(uint64_t addr, uint64_t length)
{
    return addr < USER_TOP && length <= USER_TOP - addr;
}

#endif
