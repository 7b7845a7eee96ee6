/*
 * Kernel virtual memory: the direct map and the kernel's page tables.
 *
 * Layout of the kernel half (see docs/architecture.md):
 *   0xFFFF800000000000  direct map: all physical memory, read+write, no-execute
 *                       (the frames of the image's text and rodata read-only)
 *   0xFFFFFFFF80000000  the kernel image (text R+X, rodata R, data/bss R+W)
 */
#ifndef MM_VM_H
#define MM_VM_H

#include <stddef.h>
#include <stdint.h>

#define DIRECT_MAP_BASE 0xFFFF800000000000ull
#define KERNEL_VMA 0xFFFFFFFF80000000ull
#define PAGE_SIZE 4096ull
#define HUGE_PAGE_SIZE (2ull << 20)

/* Page-table entry bits. */
#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_USER (1ull << 2)
#define PTE_WRITE_THROUGH (1ull << 3)
#define PTE_NO_CACHE (1ull << 4)
#define PTE_HUGE (1ull << 7)
#define PTE_NO_EXECUTE (1ull << 63)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ull

static inline void *phys_to_virt(uint64_t phys)
{
    return (void *)(phys + DIRECT_MAP_BASE);
}

/* Physical address of a direct-map or kernel-image address. */
static inline uint64_t virt_to_phys(const void *virt)
{
    uint64_t addr = (uint64_t)virt;
    if (addr >= KERNEL_VMA)
        return addr - KERNEL_VMA;
    return addr - DIRECT_MAP_BASE;
}

/*
 * Builds the kernel's own page tables (replacing the boot tables, which
 * map only 1 GiB and ignore permissions) with a direct map of physical
 * memory up to max_phys, and switches to them.
 */
void vm_init(uint64_t max_phys);

/* Maps a device's physical range uncached into the direct map; returns its address. */
void *vm_map_mmio(uint64_t phys, size_t length);

/* Physical address of the kernel's top-level page table. */
uint64_t vm_kernel_root(void);

#endif
