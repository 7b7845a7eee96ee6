/*
 * What the kernel keeps from GRUB's multiboot2 boot information: the
 * command line, the memory map and the boot modules. Parsing copies it all
 * into struct boot_info, so the original can be overwritten afterwards.
 */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H

#include <stddef.h>
#include <stdint.h>

#define MULTIBOOT2_LOADER_MAGIC 0x36D76289u
#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 1024
#define BOOT_MODULE_NAME_MAX 64

/* Memory-map entry types, as multiboot2 (and the BIOS e820 call) define them. */
#define BOOT_MEMORY_USABLE 1

struct boot_region {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

struct boot_module {
    uint64_t start; /* physical, inclusive */
    uint64_t end;   /* physical, exclusive */
    char name[BOOT_MODULE_NAME_MAX];
};

struct boot_info {
    char cmdline[BOOT_CMDLINE_MAX];
    struct boot_region regions[BOOT_MAX_REGIONS];
    size_t region_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    size_t module_count;
    uint32_t info_size; /* bytes of the original information block */
};

/*
 * Parses the information block at `info` (mapped), of at most `limit`
 * bytes. Returns 0, or -E_INVAL if it is malformed (sizes out of bounds,
 * no memory map). Entries beyond the fixed limits are dropped.
 */
int multiboot2_parse(const void *info, size_t limit, struct boot_info *out);

#endif
