/* Sets up the frame allocator from the boot memory map. */
#ifndef MM_FRAME_BOOT_H
#define MM_FRAME_BOOT_H

#include <stdint.h>

struct boot_info;

/*
 * Makes every usable frame of the memory map free, except the first
 * 1 MiB, the kernel image, the boot modules and the allocator's own
 * bitmap. Returns the end of the highest usable region (for the direct map).
 */
uint64_t frame_boot_init(const struct boot_info *info);

#endif
