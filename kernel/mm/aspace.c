/*
 * User address spaces: areas, page tables and demand paging.
 *
 * Page-table entries of user pages carry PTE_OWNED (a bit the CPU
 * ignores) when the frame belongs to this address space, so tearing the
 * space down frees exactly the frames it allocated and never a shared
 * one such as the time page or the boot image. Every frame given to user
 * space is zeroed first.
 */
#include "mm/aspace.h"

#include <parley/errors.h>

#include "common/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/vm.h"
#include "arch/cpu.h"

#define PTE_OWNED (1ull << 9) /* available to software */
#define USER_HALF_ENTRIES 256

/* Page-fault error code bits. */
#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_FETCH (1u << 4)

static uint64_t *table_at(uint64_t phys)
{
    return (uint64_t *)phys_to_virt(phys);
}

static uint64_t zeroed_frame(void)
{
    uint64_t phys = frame_alloc();
    if (phys != 0)
        memset(phys_to_virt(phys), 0, PAGE_SIZE);
    return phys;
}

struct aspace *aspace_create(void)
{
    struct aspace *as = kzalloc(sizeof(*as));
    if (as == NULL)
        return NULL;
    as->root = zeroed_frame();
    if (as->root == 0) {
        kfree(as);
        return NULL;
    }
    /* The kernel half is shared: copy the kernel's top-level entries. */
    uint64_t *kernel = table_at(vm_kernel_root());
    uint64_t *mine = table_at(as->root);
    for (int i = USER_HALF_ENTRIES; i < 512; i++)
        mine[i] = kernel[i];
    list_init(&as->areas);
    as->reserve_next = USER_RESERVE_BASE;
    return as;
}

/* Returns the leaf entry for `virt`, creating intermediate tables if `create`. */
static uint64_t *pte_find(struct aspace *as, uint64_t virt, bool create)
{
    uint64_t *table = table_at(as->root);
    for (int level = 3; level > 0; level--) {
        unsigned index = (virt >> (12 + 9 * level)) & 511;
        if (!(table[index] & PTE_PRESENT)) {
            if (!create)
                return NULL;
            uint64_t phys = zeroed_frame();
            if (phys == 0)
                return NULL;
            table[index] = phys | PTE_PRESENT | PTE_WRITE | PTE_USER;
        }
        table = table_at(table[index] & PTE_ADDR_MASK);
    }
    return &table[(virt >> 12) & 511];
}

static uint64_t pte_flags(uint32_t area_flags)
{
    uint64_t flags = PTE_PRESENT | PTE_USER;
    if (area_flags & AREA_WRITE)
        flags |= PTE_WRITE;
    if (!(area_flags & AREA_EXEC))
        flags |= PTE_NO_EXECUTE;
    if (area_flags & AREA_DEVICE)
        flags |= PTE_NO_CACHE | PTE_WRITE_THROUGH;
    return flags;
}

static void invalidate(uint64_t virt)
{
    __asm__ volatile("invlpg (%0)" : : "r"(virt) : "memory");
}

int aspace_map(struct aspace *as, uint64_t virt, uint64_t phys, uint32_t flags)
{
    uint64_t *pte = pte_find(as, virt, true);
    if (pte == NULL)
        return -E_NOMEM;
    if (*pte & PTE_PRESENT)
        return -E_EXIST;
    uint64_t owned = (flags & AREA_SHARED) ? 0 : PTE_OWNED;
    *pte = phys | pte_flags(flags) | owned;
    if (owned)
        as->pages++;
    return 0;
}

/*
 * Unmaps [start, end) by walking the tables, skipping absent subtrees
 * whole, so releasing a large, mostly untouched reservation is cheap.
 */
static void unmap_walk(struct aspace *as, uint64_t table_phys, int level, uint64_t base,
                       uint64_t start, uint64_t end)
{
    uint64_t span = 1ull << (12 + 9 * level);
    uint64_t *table = table_at(table_phys);
    for (unsigned i = 0; i < 512; i++) {
        uint64_t entry_start = base + i * span;
        if (entry_start + span <= start || entry_start >= end || !(table[i] & PTE_PRESENT))
            continue;
        if (level > 0) {
            unmap_walk(as, table[i] & PTE_ADDR_MASK, level - 1, entry_start, start, end);
            continue;
        }
        if (table[i] & PTE_OWNED) {
            frame_free(table[i] & PTE_ADDR_MASK);
            as->pages--;
        }
        table[i] = 0;
        invalidate(entry_start);
    }
}

static void unmap_range(struct aspace *as, uint64_t start, uint64_t end)
{
    unmap_walk(as, as->root, 3, 0, start, end);
}

static struct vm_area *area_find(struct aspace *as, uint64_t addr)
{
    struct list_node *node;
    list_for_each(node, &as->areas)
    {
        struct vm_area *area = container_of(node, struct vm_area, link);
        if (addr >= area->start && addr < area->end)
            return area;
    }
    return NULL;
}

int aspace_add_area(struct aspace *as, uint64_t start, uint64_t end, uint32_t flags)
{
    if (start % PAGE_SIZE || end % PAGE_SIZE || start >= end || start < USER_MIN ||
        !user_range_ok(start, end - start))
        return -E_INVAL;
    struct list_node *node;
    list_for_each(node, &as->areas)
    {
        struct vm_area *area = container_of(node, struct vm_area, link);
        if (start < area->end && area->start < end)
            return -E_INVAL;
    }
    struct vm_area *area = kzalloc(sizeof(*area));
    if (area == NULL)
        return -E_NOMEM;
    area->start = start;
    area->end = end;
    area->flags = flags;
    list_push_back(&as->areas, &area->link);
    return 0;
}

int64_t aspace_reserve(struct aspace *as, uint64_t length, uint32_t flags)
{
    length = (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (length == 0 || length > USER_BOOT_IMAGE - USER_RESERVE_BASE)
        return -E_INVAL;
    if (length > USER_BOOT_IMAGE - as->reserve_next)
        return -E_NOMEM;
    uint64_t start = as->reserve_next;
    int err = aspace_add_area(as, start, start + length, flags | AREA_DEMAND);
    if (err < 0)
        return err;
    /* Leave an unmapped page between reservations so overruns fault. */
    as->reserve_next = start + length + PAGE_SIZE;
    return (int64_t)start;
}

static void aspace_release_area(struct aspace *as, struct vm_area *area)
{
    unmap_range(as, area->start, area->end);
    list_remove(&area->link);
    kfree(area);
}

int aspace_release(struct aspace *as, uint64_t start, uint64_t end)
{
    struct vm_area *area = area_find(as, start);
    if (area == NULL || area->start != start || area->end != end || !(area->flags & AREA_DEMAND))
        return -E_INVAL;
    aspace_release_area(as, area);
    return 0;
}

int64_t aspace_map_physical(struct aspace *as, uint64_t phys, uint64_t length, uint32_t flags)
{
    int64_t start = aspace_reserve(as, length, flags);
    if (start < 0)
        return start;
    struct vm_area *area = area_find(as, (uint64_t)start);
    area->flags &= ~AREA_DEMAND; /* every page is mapped now; none appear on demand */
    for (uint64_t offset = 0; offset < area->end - area->start; offset += PAGE_SIZE) {
        if (aspace_map(as, (uint64_t)start + offset, phys + offset, flags) < 0) {
            aspace_release_area(as, area);
            return -E_NOMEM;
        }
    }
    return start;
}

int aspace_region_check(struct aspace *as, uint64_t start, uint64_t length)
{
    struct vm_area *area = area_find(as, start);
    if (area == NULL || area->start != start || area->end - area->start != length ||
        !(area->flags & AREA_DEMAND) || start < USER_RESERVE_BASE || area->end > USER_BOOT_IMAGE)
        return -E_INVAL; /* only SYS_VM_RESERVE regions: never the stack */
    return 0;
}

bool aspace_region_fits(const struct aspace *to, uint64_t length)
{
    return length <= USER_BOOT_IMAGE - to->reserve_next;
}

int64_t aspace_region_reserve_for(struct aspace *to, const struct aspace *from, uint64_t start,
                                  uint64_t length)
{
    struct vm_area *area = area_find((struct aspace *)from, start);
    return aspace_reserve(to, length, area->flags & ~AREA_DEMAND);
}

void aspace_region_move(struct aspace *from, uint64_t start, uint64_t length, struct aspace *to,
                        uint64_t target)
{
    struct vm_area *area = area_find(from, start);
    for (uint64_t offset = 0; offset < length; offset += PAGE_SIZE) {
        uint64_t *pte = pte_find(from, start + offset, false);
        if (pte == NULL || !(*pte & PTE_PRESENT))
            continue; /* never touched: stays a demand page in the new home */
        uint64_t phys = *pte & PTE_ADDR_MASK;
        *pte = 0;
        invalidate(start + offset);
        from->pages--;
        if (aspace_map(to, target + offset, phys, area->flags) < 0)
            frame_free(phys); /* out of page-table memory: the page reads as zero */
    }
    list_remove(&area->link);
    kfree(area);
}

/* Returns the kernel view of the user page at `virt`, mapping a demand page if needed. */
static uint8_t *page_for_write(struct aspace *as, uint64_t virt)
{
    uint64_t *pte = pte_find(as, virt, false);
    if (pte == NULL || !(*pte & PTE_PRESENT)) {
        const char *why;
        if (aspace_fault(as, virt, PF_WRITE, &why) < 0)
            return NULL;
        pte = pte_find(as, virt, false);
    }
    return phys_to_virt(*pte & PTE_ADDR_MASK);
}

int aspace_write(struct aspace *as, uint64_t virt, const void *src, size_t length)
{
    const uint8_t *from = src;
    while (length > 0) {
        uint64_t offset = virt % PAGE_SIZE;
        size_t chunk = PAGE_SIZE - offset < length ? PAGE_SIZE - offset : length;
        uint8_t *page = page_for_write(as, virt - offset);
        if (page == NULL)
            return -E_FAULT;
        memcpy(page + offset, from, chunk);
        virt += chunk;
        from += chunk;
        length -= chunk;
    }
    return 0;
}

int aspace_fault(struct aspace *as, uint64_t addr, uint64_t err, const char **why)
{
    struct vm_area *area = area_find(as, addr);
    *why = "no mapping at this address";
    if (area == NULL)
        return -E_FAULT;
    if (area->flags & AREA_GUARD) {
        *why = "stack overflow (guard page)";
        return -E_FAULT;
    }
    if ((err & PF_WRITE) && !(area->flags & AREA_WRITE)) {
        *why = "write to a read-only page";
        return -E_FAULT;
    }
    if ((err & PF_FETCH) && !(area->flags & AREA_EXEC)) {
        *why = "execute from a no-execute page";
        return -E_FAULT;
    }
    if ((err & PF_PRESENT) || !(area->flags & AREA_DEMAND)) {
        *why = "access not allowed";
        return -E_FAULT;
    }
    uint64_t phys = zeroed_frame();
    if (phys == 0) {
        *why = "out of memory";
        return -E_FAULT;
    }
    if (aspace_map(as, addr & ~(PAGE_SIZE - 1), phys, area->flags) < 0) {
        frame_free(phys);
        *why = "out of memory for page tables";
        return -E_FAULT;
    }
    return 0;
}

/* Frees the page-table pages below `table` at `level` (3 = PDPT). */
static void free_tables(uint64_t table_phys, int level)
{
    uint64_t *table = table_at(table_phys);
    if (level > 1)
        for (int i = 0; i < 512; i++)
            if (table[i] & PTE_PRESENT)
                free_tables(table[i] & PTE_ADDR_MASK, level - 1);
    frame_free(table_phys);
}

void aspace_destroy(struct aspace *as)
{
    if (read_cr3() == as->root)
        write_cr3(vm_kernel_root());
    while (!list_empty(&as->areas)) {
        struct vm_area *area = container_of(list_pop_front(&as->areas), struct vm_area, link);
        unmap_range(as, area->start, area->end);
        kfree(area);
    }
    uint64_t *root = table_at(as->root);
    for (int i = 0; i < USER_HALF_ENTRIES; i++)
        if (root[i] & PTE_PRESENT)
            free_tables(root[i] & PTE_ADDR_MASK, 3);
    frame_free(as->root);
    kfree(as);
}

void aspace_activate(const struct aspace *as)
{
    uint64_t root = as != NULL ? as->root : vm_kernel_root();
    if (read_cr3() != root)
        write_cr3(root);
}
