/*
 * Program loading.
 *
 * The ELF headers are copied into the kernel and checked by elf_parse
 * before anything is mapped; segment bytes are then copied page by page
 * straight into freshly zeroed frames of the new address space, from
 * kernel memory (init, from the boot image) or from the parent's memory
 * through the checked user copy (SYS_SPAWN). Each segment becomes an
 * area with exactly its own permissions, its bss zero-filled on demand
 * (load_segment); the stack is a demand area with
 * a guard page below it; the time page is mapped read-only.
 *
 * Initial stack, from USER_STACK_TOP down:
 *   argument and environment strings
 *   (padding to 16 bytes)
 *   envp[0..n-1], NULL        <- higher addresses
 *   argv[0..argc-1], NULL
 *   argc                      <- rsp, 16-byte aligned
 */
#include "proc/loader.h"

#include <parley/errors.h>
#include <parley/syscall.h>

#include "common/format.h"
#include "common/string.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/vm.h"
#include "proc/elf.h"
#include "proc/process.h"
#include "proc/usercopy.h"
#include "timepage.h"

#define HEADER_BYTES 4096

static char last_error[128];

const char *loader_last_error(void)
{
    return last_error;
}

static long fail(long err, const char *why)
{
    strlcpy(last_error, why, sizeof(last_error));
    return err;
}

static int image_read(const struct image_source *image, uint64_t offset, void *dst, size_t n)
{
    if (image->kernel_data != NULL) {
        memcpy(dst, image->kernel_data + offset, n);
        return 0;
    }
    return copy_from_user(dst, image->user_address + offset, n);
}

static uint32_t area_flags(uint32_t elf_flags)
{
    uint32_t flags = AREA_READ;
    if (elf_flags & ELF_SEGMENT_WRITE)
        flags |= AREA_WRITE;
    if (elf_flags & ELF_SEGMENT_EXEC)
        flags |= AREA_EXEC;
    return flags;
}

/*
 * Only the pages holding file bytes are allocated and filled now; the
 * rest of the segment (its bss) is a demand area whose zeroed pages
 * appear when first touched. So loading costs what the file holds, never
 * what memsz asks for: a tiny ELF asking for gigabytes of bss loads at
 * once and pays, page by page, only for what it touches.
 */
static long load_segment(struct aspace *as, const struct image_source *image,
                         const struct elf_segment *seg)
{
    uint64_t start = seg->vaddr & ~(PAGE_SIZE - 1);
    uint64_t end = (seg->vaddr + seg->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t file_end = seg->vaddr + seg->filesz;
    uint64_t filled_end = seg->filesz == 0 ? start : (file_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint32_t flags = area_flags(seg->flags);
    if (aspace_add_area(as, start, end, filled_end < end ? flags | AREA_DEMAND : flags) < 0)
        return fail(-E_INVAL, "segment outside user space or overlapping");
    for (uint64_t page = start; page < filled_end; page += PAGE_SIZE) {
        if (!aspace_page_room(as))
            return fail(-E_QUOTA, "over its resource group's memory limit");
        uint64_t phys = frame_alloc();
        if (phys == 0)
            return fail(-E_NOMEM, "out of memory");
        uint8_t *bytes = phys_to_virt(phys);
        memset(bytes, 0, PAGE_SIZE);
        if (aspace_map(as, page, phys, flags) < 0) {
            frame_free(phys);
            return fail(-E_NOMEM, "out of memory for page tables");
        }
        uint64_t lo = page > seg->vaddr ? page : seg->vaddr;
        uint64_t hi = page + PAGE_SIZE < file_end ? page + PAGE_SIZE : file_end;
        if (lo < hi &&
            image_read(image, seg->offset + (lo - seg->vaddr), bytes + (lo - page), hi - lo) < 0)
            return fail(-E_FAULT, "image not readable");
    }
    return 0;
}

static size_t count_strings(const char *block, size_t length)
{
    size_t n = 0;
    for (size_t i = 0; i < length; i++)
        if (block[i] == '\0')
            n++;
    return n;
}

/* Writes the pointer array for one string block; returns the next free slot. */
static uint64_t *fill_pointers(uint64_t *slot, const char *block, size_t length, uint64_t at)
{
    size_t i = 0;
    while (i < length) {
        *slot++ = at + i;
        i += strnlen(block + i, length - i) + 1;
    }
    *slot++ = 0;
    return slot;
}

static long build_stack(struct aspace *as, const char *args, size_t args_length, const char *env,
                        size_t env_length, uint64_t *stack)
{
    uint64_t guard = USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE;
    if (aspace_add_area(as, guard + PAGE_SIZE, USER_STACK_TOP,
                        AREA_READ | AREA_WRITE | AREA_DEMAND) < 0 ||
        aspace_add_area(as, guard, guard + PAGE_SIZE, AREA_GUARD) < 0)
        return fail(-E_INVAL, "no room for the stack");

    size_t argc = count_strings(args, args_length);
    size_t envc = count_strings(env, env_length);
    uint64_t env_at = USER_STACK_TOP - env_length;
    uint64_t args_at = env_at - args_length;
    size_t slots = 1 + argc + 1 + envc + 1;
    uint64_t sp = (args_at - slots * 8) & ~15ull;

    uint64_t *table = kmalloc(slots * 8);
    if (table == NULL)
        return fail(-E_NOMEM, "out of memory");
    table[0] = argc;
    fill_pointers(fill_pointers(&table[1], args, args_length, args_at), env, env_length, env_at);
    long err = aspace_write(as, sp, table, slots * 8);
    kfree(table);
    if (err == 0)
        err = aspace_write(as, args_at, args, args_length);
    if (err == 0)
        err = aspace_write(as, env_at, env, env_length);
    if (err < 0)
        return fail(-E_NOMEM, "out of memory for the stack");
    *stack = sp;
    return 0;
}

long loader_load(struct aspace *as, const struct image_source *image, const char *args,
                 size_t args_length, const char *env, size_t env_length, uint64_t *entry,
                 uint64_t *stack)
{
    size_t available = image->size < HEADER_BYTES ? image->size : HEADER_BYTES;
    uint8_t *headers = kmalloc(HEADER_BYTES);
    if (headers == NULL)
        return fail(-E_NOMEM, "out of memory");
    struct elf_image elf;
    long err = image_read(image, 0, headers, available);
    if (err == 0)
        err = elf_parse(headers, available, image->size, USER_RESERVE_BASE, &elf);
    kfree(headers);
    if (err < 0) {
        if (err == -E_FAULT)
            return fail(err, "image not readable");
        ksnprintf(last_error, sizeof(last_error), "bad executable: %s (header %d)",
                  elf.reason != NULL ? elf.reason : "?", elf.reason_header);
        return err;
    }
    for (size_t i = 0; i < elf.segment_count; i++) {
        err = load_segment(as, image, &elf.segments[i]);
        if (err < 0)
            return err;
    }
    if (aspace_add_area(as, TIME_PAGE_ADDRESS, TIME_PAGE_ADDRESS + PAGE_SIZE,
                        AREA_READ | AREA_SHARED) < 0 ||
        aspace_map(as, TIME_PAGE_ADDRESS, timepage_phys(), AREA_READ | AREA_SHARED) < 0)
        return fail(-E_NOMEM, "cannot map the time page");
    *entry = elf.entry;
    return build_stack(as, args, args_length, env, env_length, stack);
}
