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
#include "proc/rgroup.h"
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
    return as;
}

/*
 * Page tables count against the group like the pages they map, so a
 * process touching all over its address space pays for its tables
 * itself. A table the unmapping walks leave empty is freed at once
 * (table_prune), so released space gives its tables back too.
 */
static void tables_add(struct aspace *as)
{
    as->tables++;
    if (as->group != NULL)
        rgroup_force(as->group, RG_PAGES, 1);
}

static void tables_sub(struct aspace *as)
{
    as->tables--;
    if (as->group != NULL)
        rgroup_uncharge(as->group, RG_PAGES, 1);
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
            tables_add(as);
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

/* The pages an address space owns, counted against its group too (rgroup.h). */
static void pages_add(struct aspace *as, uint64_t n)
{
    as->pages += n;
    if (as->group != NULL)
        rgroup_force(as->group, RG_PAGES, n);
}

static void pages_sub(struct aspace *as, uint64_t n)
{
    as->pages -= n;
    if (as->group != NULL)
        rgroup_uncharge(as->group, RG_PAGES, n);
}

static void area_free(struct aspace *as, struct vm_area *area)
{
    kfree(area);
    if (as->group != NULL)
        rgroup_uncharge(as->group, RG_AREAS, 1);
}

bool aspace_page_room(const struct aspace *as)
{
    return as->group == NULL || rgroup_room(as->group, RG_PAGES, 1);
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
        pages_add(as, 1);
    return 0;
}

/*
 * The walks below visit, in a table at `level` whose first entry maps
 * `base`, only the entries that [start, end) overlaps: one entry per level
 * for a one-page region, never all 512 of each table on the way down.
 */
static unsigned index_first(int level, uint64_t base, uint64_t start)
{
    return start <= base ? 0 : (unsigned)((start - base) >> (12 + 9 * level));
}

static unsigned index_last(int level, uint64_t base, uint64_t end)
{
    uint64_t last = (end - 1 - base) >> (12 + 9 * level);
    return last > 511 ? 511 : (unsigned)last;
}

static bool table_empty(const uint64_t *table)
{
    for (unsigned i = 0; i < 512; i++)
        if (table[i] & PTE_PRESENT)
            return false;
    return true;
}

/*
 * Frees the table that entry `index` of `parent` points to if nothing in
 * it is present any more; `covered` is the first address it maps. The
 * parent entry is cleared and the CPU told before the frame can be
 * reused: INVLPG of any address also empties the paging-structure caches
 * (Intel SDM 3A, 4.10.4.1), which may still hold the old parent entry,
 * and the entries below were flushed as they were cleared. An address
 * space that is not loaded has nothing cached: there is one CPU and no
 * PCIDs, so loading CR3 flushes everything but global (kernel) entries.
 */
static void table_prune(struct aspace *as, uint64_t *parent, unsigned index, uint64_t covered)
{
    uint64_t child = parent[index] & PTE_ADDR_MASK;
    if (!table_empty(table_at(child)))
        return;
    parent[index] = 0;
    invalidate(covered);
    frame_free(child);
    tables_sub(as);
}

/*
 * Unmaps [start, end) by walking the tables, skipping absent subtrees
 * whole, so releasing a large, mostly untouched reservation is cheap.
 * Owned frames are freed unless `keep_frames`; tables left empty are freed.
 */
static void unmap_walk(struct aspace *as, uint64_t table_phys, int level, uint64_t base,
                       uint64_t start, uint64_t end, bool keep_frames)
{
    uint64_t span = 1ull << (12 + 9 * level);
    uint64_t *table = table_at(table_phys);
    unsigned last = index_last(level, base, end);
    for (unsigned i = index_first(level, base, start); i <= last; i++) {
        uint64_t entry_start = base + i * span;
        if (!(table[i] & PTE_PRESENT))
            continue;
        if (level > 0) {
            unmap_walk(as, table[i] & PTE_ADDR_MASK, level - 1, entry_start, start, end,
                       keep_frames);
            table_prune(as, table, i, entry_start);
            continue;
        }
        if (table[i] & PTE_OWNED) {
            if (!keep_frames)
                frame_free(table[i] & PTE_ADDR_MASK);
            pages_sub(as, 1);
        }
        table[i] = 0;
        invalidate(entry_start);
    }
}

static void unmap_range(struct aspace *as, uint64_t start, uint64_t end)
{
    unmap_walk(as, as->root, 3, 0, start, end, false);
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

/*
 * The area list is kept sorted by start address, so finding a gap for a
 * reservation is one pass over it.
 */
int aspace_add_area(struct aspace *as, uint64_t start, uint64_t end, uint32_t flags)
{
    if (start % PAGE_SIZE || end % PAGE_SIZE || start >= end || start < USER_MIN ||
        !user_range_ok(start, end - start))
        return -E_INVAL;
    struct list_node *node, *after = &as->areas;
    list_for_each(node, &as->areas)
    {
        struct vm_area *area = container_of(node, struct vm_area, link);
        if (start < area->end && area->start < end)
            return -E_INVAL;
        if (area->start < start)
            after = node;
    }
    if (as->group != NULL && !rgroup_charge(as->group, RG_AREAS, 1))
        return -E_QUOTA;
    struct vm_area *area = kzalloc(sizeof(*area));
    if (area == NULL) {
        if (as->group != NULL)
            rgroup_uncharge(as->group, RG_AREAS, 1);
        return -E_NOMEM;
    }
    area->start = start;
    area->end = end;
    area->flags = flags;
    list_insert_between(&area->link, after, after->next);
    return 0;
}

/*
 * The lowest address in [USER_RESERVE_BASE, USER_BOOT_IMAGE) with room
 * for `length` bytes and an unmapped guard page on either side of them,
 * so that overruns fault; 0 if there is none. Released reservations leave
 * gaps that later ones fill, so a process (or a server receiving regions)
 * never runs out of address space while it gives back what it took.
 */
static uint64_t reserve_find(const struct aspace *as, uint64_t length)
{
    uint64_t candidate = USER_RESERVE_BASE;
    const struct list_node *node;
    list_for_each(node, &as->areas)
    {
        const struct vm_area *area = container_of(node, struct vm_area, link);
        if (area->end + PAGE_SIZE <= candidate)
            continue; /* below the candidate, guard page included */
        if (area->start >= USER_BOOT_IMAGE || candidate + length + PAGE_SIZE <= area->start)
            break;
        candidate = area->end + PAGE_SIZE;
        if (candidate >= USER_BOOT_IMAGE)
            return 0;
    }
    return length <= USER_BOOT_IMAGE - candidate ? candidate : 0;
}

int64_t aspace_reserve(struct aspace *as, uint64_t length, uint32_t flags)
{
    if (length == 0 || length > USER_BOOT_IMAGE - USER_RESERVE_BASE)
        return -E_INVAL;
    length = (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t start = reserve_find(as, length);
    if (start == 0)
        return -E_NOMEM;
    int err = aspace_add_area(as, start, start + length, flags | AREA_DEMAND);
    return err < 0 ? err : (int64_t)start;
}

static void aspace_release_area(struct aspace *as, struct vm_area *area)
{
    unmap_range(as, area->start, area->end);
    list_remove(&area->link);
    area_free(as, area);
}

int aspace_release(struct aspace *as, uint64_t start, uint64_t end)
{
    struct vm_area *area = area_find(as, start);
    if (area == NULL || area->start != start || area->end != end || !(area->flags & AREA_DEMAND) ||
        start < USER_RESERVE_BASE || end > USER_BOOT_IMAGE)
        return -E_INVAL; /* SYS_VM_RESERVE's regions only: not the stack or a segment's bss */
    aspace_release_area(as, area);
    return 0;
}

/*
 * On failure the frames stay the caller's: the pages mapped so far are
 * unmapped without freeing them, so the caller frees the whole range once.
 */
int64_t aspace_map_physical(struct aspace *as, uint64_t phys, uint64_t length, uint32_t flags)
{
    int64_t start = aspace_reserve(as, length, flags);
    if (start < 0)
        return start;
    struct vm_area *area = area_find(as, (uint64_t)start);
    area->flags &= ~AREA_DEMAND; /* every page is mapped now; none appear on demand */
    for (uint64_t offset = 0; offset < area->end - area->start; offset += PAGE_SIZE) {
        if (aspace_map(as, (uint64_t)start + offset, phys + offset, flags) < 0) {
            unmap_walk(as, as->root, 3, 0, area->start, area->end, true);
            list_remove(&area->link);
            area_free(as, area);
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
    return reserve_find(to, length) != 0;
}

int64_t aspace_region_reserve_for(struct aspace *to, const struct aspace *from, uint64_t start,
                                  uint64_t length)
{
    struct vm_area *area = area_find((struct aspace *)from, start);
    return aspace_reserve(to, length, area->flags & ~AREA_DEMAND);
}

/*
 * Moves the present pages of [start, end) of `from` to the same offsets
 * from `target` in `to`, walking the page tables like unmap_walk: absent
 * subtrees are skipped whole, so the cost follows the pages that exist,
 * never the region's size (a 16 TiB reservation with nothing in it moves
 * in a few steps), and the tables emptied in `from` are freed.
 */
static void move_walk(struct aspace *from, uint64_t table_phys, int level, uint64_t base,
                      uint64_t start, uint64_t end, struct aspace *to, uint64_t target,
                      uint32_t flags)
{
    uint64_t span = 1ull << (12 + 9 * level);
    uint64_t *table = table_at(table_phys);
    unsigned last = index_last(level, base, end);
    for (unsigned i = index_first(level, base, start); i <= last; i++) {
        uint64_t entry_start = base + i * span;
        if (!(table[i] & PTE_PRESENT))
            continue;
        if (level > 0) {
            move_walk(from, table[i] & PTE_ADDR_MASK, level - 1, entry_start, start, end, to,
                      target, flags);
            table_prune(from, table, i, entry_start);
            continue;
        }
        uint64_t phys = table[i] & PTE_ADDR_MASK;
        table[i] = 0;
        invalidate(entry_start);
        pages_sub(from, 1);
        if (aspace_map(to, target + (entry_start - start), phys, flags) < 0)
            frame_free(phys); /* out of page-table memory: the page reads as zero */
    }
}

void aspace_region_move(struct aspace *from, uint64_t start, uint64_t length, struct aspace *to,
                        uint64_t target)
{
    struct vm_area *area = area_find(from, start);
    move_walk(from, from->root, 3, 0, start, start + length, to, target, area->flags);
    list_remove(&area->link);
    area_free(from, area);
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
    if (!aspace_page_room(as)) {
        *why = "out of memory (group limit)";
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

int aspace_commit(struct aspace *as, uint64_t start, uint64_t end)
{
    struct vm_area *area = area_find(as, start);
    if (area == NULL || end > area->end || !(area->flags & AREA_DEMAND) ||
        (area->flags & AREA_GUARD))
        return -E_INVAL;
    for (uint64_t page = start & ~(PAGE_SIZE - 1); page < end; page += PAGE_SIZE) {
        uint64_t *pte = pte_find(as, page, false);
        if (pte != NULL && (*pte & PTE_PRESENT))
            continue;
        const char *why;
        if (aspace_fault(as, page, 0, &why) < 0)
            return -E_NOMEM; /* the pages made present so far stay */
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
        area_free(as, area);
    }
    uint64_t *root = table_at(as->root);
    for (int i = 0; i < USER_HALF_ENTRIES; i++)
        if (root[i] & PTE_PRESENT)
            free_tables(root[i] & PTE_ADDR_MASK, 3);
    frame_free(as->root);
    if (as->group != NULL)
        rgroup_uncharge(as->group, RG_PAGES, as->tables);
    kfree(as);
}

void aspace_activate(const struct aspace *as)
{
    uint64_t root = as != NULL ? as->root : vm_kernel_root();
    if (read_cr3() != root)
        write_cr3(root);
}
