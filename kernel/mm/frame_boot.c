/*
 * Frame allocator bring-up.
 *
 * The allocator's bitmap needs memory before any allocator exists, so we
 * carve it out of the first usable region that is large enough, lies in
 * the first 1 GiB (the only memory the boot page tables map) and avoids
 * the kernel image and the boot modules.
 */
#include "mm/frame_boot.h"

#include <stdbool.h>

#include "boot/multiboot2.h"
#include "common/string.h"
#include "log.h"
#include "mm/frame.h"
#include "mm/vm.h"
#include "panic.h"

extern char kernel_phys_start[], kernel_phys_end[];

#define LOW_MEMORY_END (1ull << 20)
#define BOOT_MAPPED_LIMIT (1ull << 30)

static uint64_t align_up(uint64_t value, uint64_t align)
{
    return (value + align - 1) & ~(align - 1);
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return a < b_end && b < a_end;
}

/* True if [start, end) overlaps memory that is already spoken for. */
static bool range_taken(const struct boot_info *info, uint64_t start, uint64_t end)
{
    if (overlaps(start, end, 0, LOW_MEMORY_END) ||
        overlaps(start, end, (uint64_t)kernel_phys_start, (uint64_t)kernel_phys_end))
        return true;
    for (size_t i = 0; i < info->module_count; i++)
        if (overlaps(start, end, info->modules[i].start, info->modules[i].end))
            return true;
    return false;
}

/* Finds page-aligned room for `bytes` in usable memory below 1 GiB. */
static uint64_t place_bitmap(const struct boot_info *info, uint64_t bytes)
{
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        if (r->type != BOOT_MEMORY_USABLE)
            continue;
        uint64_t end = r->base + r->length;
        if (end > BOOT_MAPPED_LIMIT)
            end = BOOT_MAPPED_LIMIT;
        for (uint64_t at = align_up(r->base, PAGE_SIZE); at + bytes <= end; at += PAGE_SIZE)
            if (!range_taken(info, at, at + bytes))
                return at;
    }
    panic("mem: no room for the frame bitmap");
}

uint64_t frame_boot_init(const struct boot_info *info)
{
    uint64_t max_phys = 0;
    for (size_t i = 0; i < info->region_count; i++) {
        const struct boot_region *r = &info->regions[i];
        log_info("mem: map base=0x%lx length=0x%lx type=%u", r->base, r->length, r->type);
        if (r->type == BOOT_MEMORY_USABLE && r->base + r->length > max_phys)
            max_phys = r->base + r->length;
    }

    size_t max_frames = max_phys / FRAME_SIZE;
    uint64_t bitmap_bytes = align_up((max_frames + 63) / 64 * 8, PAGE_SIZE);
    uint64_t bitmap_phys = place_bitmap(info, bitmap_bytes);
    uint64_t *bitmap = phys_to_virt(bitmap_phys);
    frame_init(bitmap, max_frames);

    for (size_t i = 0; i < info->region_count; i++)
        if (info->regions[i].type == BOOT_MEMORY_USABLE)
            frame_add_free_range(info->regions[i].base, info->regions[i].length);
    frame_reserve_range(0, LOW_MEMORY_END);
    frame_reserve_range((uint64_t)kernel_phys_start,
                        (uint64_t)kernel_phys_end - (uint64_t)kernel_phys_start);
    frame_reserve_range(bitmap_phys, bitmap_bytes);
    for (size_t i = 0; i < info->module_count; i++)
        frame_reserve_range(info->modules[i].start, info->modules[i].end - info->modules[i].start);

    log_info("mem: frames total=%zu free=%zu used=%zu (4 KiB each)", frame_total_count(),
             frame_free_count(), frame_used_count());
    return max_phys;
}
