/*
 * The kernel's page tables.
 *
 * x86-64 translates a 48-bit virtual address through four levels of
 * 512-entry tables, each level indexed by 9 bits of the address:
 *
 *   47    39 38    30 29    21 20    12 11         0
 *   | PML4  | PDPT   | PD     | PT     | offset     |
 *
 * A PD entry with PTE_HUGE maps 2 MiB directly. The direct map uses 2 MiB
 * pages (few tables, few TLB misses); the kernel image uses 4 KiB pages so
 * each section gets exactly its permissions: text is never writable and
 * nothing writable is executable (W^X). The direct map's 2 MiB pages that
 * hold the image's text and read-only data are 4 KiB pages too, with
 * those frames read-only there as well, so no write through the direct
 * map can change kernel code either.
 */
#include "mm/vm.h"

#include <stdbool.h>

#include "common/string.h"
#include "log.h"
#include "mm/frame.h"
#include "panic.h"
#include "arch/cpu.h"

extern char kernel_text_start[], kernel_text_end[];
extern char kernel_rodata_start[], kernel_rodata_end[];
extern char kernel_data_start[], kernel_data_end[];

/* Page tables for vm_init must come from the first 1 GiB: only that is mapped at boot. */
#define BOOT_MAPPED_LIMIT (1ull << 30)

static uint64_t kernel_root;

static uint64_t *table_at(uint64_t phys)
{
    return (uint64_t *)phys_to_virt(phys);
}

static uint64_t table_alloc(void)
{
    uint64_t phys = frame_alloc_contig(1, BOOT_MAPPED_LIMIT);
    if (phys == 0)
        panic("vm: out of memory for page tables");
    memset(table_at(phys), 0, PAGE_SIZE);
    return phys;
}

/*
 * Returns the table one level below entry `index` of `table`, creating it
 * if needed. Intermediate entries are permissive (write, and user where
 * asked); the leaf entry decides the real permissions.
 */
static uint64_t *table_next(uint64_t *table, unsigned index, uint64_t flags)
{
    if (!(table[index] & PTE_PRESENT))
        table[index] = table_alloc() | PTE_PRESENT | PTE_WRITE | flags;
    if (table[index] & PTE_HUGE)
        return NULL;
    return table_at(table[index] & PTE_ADDR_MASK);
}

static unsigned index_at(uint64_t virt, int level)
{
    return (virt >> (12 + 9 * level)) & 511;
}

/* Maps one 4 KiB page in the kernel half; an existing huge page already covering it wins. */
static void map_page(uint64_t virt, uint64_t phys, uint64_t flags)
{
    uint64_t *table = table_at(kernel_root);
    for (int level = 3; level > 0; level--) {
        table = table_next(table, index_at(virt, level), 0);
        if (table == NULL)
            return;
    }
    table[index_at(virt, 0)] = phys | flags | PTE_PRESENT;
}

static void map_huge_page(uint64_t virt, uint64_t phys, uint64_t flags)
{
    uint64_t *pdpt = table_next(table_at(kernel_root), index_at(virt, 3), 0);
    uint64_t *pd = table_next(pdpt, index_at(virt, 2), 0);
    pd[index_at(virt, 1)] = phys | flags | PTE_PRESENT | PTE_HUGE;
}

static void map_image_section(char *start, char *end, uint64_t flags)
{
    for (uint64_t virt = (uint64_t)start; virt < (uint64_t)end; virt += PAGE_SIZE)
        map_page(virt, virt - KERNEL_VMA, flags);
}

/* All physical memory below direct_end, read-write and no-execute but the image's code. */
static void map_direct(uint64_t direct_end)
{
    uint64_t ro_start = (uint64_t)kernel_text_start - KERNEL_VMA;
    uint64_t ro_end = ((uint64_t)kernel_rodata_end - KERNEL_VMA + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    for (uint64_t phys = 0; phys < direct_end; phys += HUGE_PAGE_SIZE) {
        if (phys + HUGE_PAGE_SIZE <= ro_start || phys >= ro_end) {
            map_huge_page(DIRECT_MAP_BASE + phys, phys, PTE_WRITE | PTE_NO_EXECUTE);
            continue;
        }
        for (uint64_t page = phys; page < phys + HUGE_PAGE_SIZE; page += PAGE_SIZE) {
            bool image_code = page >= ro_start && page < ro_end;
            map_page(DIRECT_MAP_BASE + page, page, (image_code ? 0 : PTE_WRITE) | PTE_NO_EXECUTE);
        }
    }
}

void vm_init(uint64_t max_phys)
{
    kernel_root = table_alloc();

    uint64_t direct_end = (max_phys + HUGE_PAGE_SIZE - 1) & ~(HUGE_PAGE_SIZE - 1);
    map_direct(direct_end);

    map_image_section(kernel_text_start, kernel_text_end, 0);
    map_image_section(kernel_rodata_start, kernel_rodata_end, PTE_NO_EXECUTE);
    map_image_section(kernel_data_start, kernel_data_end, PTE_WRITE | PTE_NO_EXECUTE);

    write_cr3(kernel_root);
    log_info("vm: kernel page tables at 0x%lx, direct map of %lu MiB", kernel_root,
             direct_end >> 20);
}

void *vm_map_mmio(uint64_t phys, size_t length)
{
    uint64_t first = phys & ~(PAGE_SIZE - 1);
    for (uint64_t page = first; page < phys + length; page += PAGE_SIZE)
        map_page(DIRECT_MAP_BASE + page, page,
                 PTE_WRITE | PTE_NO_EXECUTE | PTE_NO_CACHE | PTE_WRITE_THROUGH);
    write_cr3(kernel_root);
    return phys_to_virt(phys);
}

uint64_t vm_kernel_root(void)
{
    return kernel_root;
}
