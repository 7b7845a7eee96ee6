/*
 * ELF64 executable parsing. The file comes from user space (or a boot
 * image anyone could have built), so every field is treated as hostile:
 * headers are copied out with memcpy (the data need not be aligned), every
 * sum is checked for overflow before it is used, and nothing past
 * `available` is ever read.
 *
 * The checks are in the order a reader would ask the questions: is this an
 * ELF file at all, is it one we can run (-E_NOEXEC if not), and then is
 * each loadable segment sane (-E_INVAL if not). The segment rules exist so
 * that the kernel's mapper can trust the result blindly: every segment is
 * in user space, fits in the file, can be mapped page by page straight
 * from file offsets, and has pages of its own so that two segments never
 * fight over one page's permissions.
 */
#include <stdbool.h>

#include <parley/errors.h>

#include "common/string.h"
#include "proc/elf.h"

#define ELF_PAGE_SIZE 4096
#define ELF_MAX_PROGRAM_HEADERS 64
#define ELF_MAX_SEGMENT_SIZE ((uint64_t)1 << 30)

/* Values from the System V ABI and its x86-64 supplement. */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PF_MASK (ELF_SEGMENT_READ | ELF_SEGMENT_WRITE | ELF_SEGMENT_EXEC)

/* The on-disk layouts. x86-64 is little-endian like the files we accept,
 * so a byte copy into these structs decodes them. */
struct elf64_header {
    unsigned char ident[16];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t phoff;
    uint64_t shoff;
    uint32_t flags;
    uint16_t ehsize;
    uint16_t phentsize;
    uint16_t phnum;
    uint16_t shentsize;
    uint16_t shnum;
    uint16_t shstrndx;
};

struct elf64_program_header {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};

_Static_assert(sizeof(struct elf64_header) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_program_header) == 56, "ELF64 program header is 56 bytes");

static const unsigned char elf_magic[4] = {0x7f, 'E', 'L', 'F'};

/* Records why parsing failed and leaves no half-filled image behind. */
static int elf_fail(struct elf_image *out, int err, int header, const char *reason)
{
    out->entry = 0;
    out->segment_count = 0;
    out->reason = reason;
    out->reason_header = header;
    return err;
}

/*
 * The identification and type checks: everything that decides whether
 * this is a file we could ever run, as opposed to a broken one.
 */
static int elf_check_header(const struct elf64_header *h, struct elf_image *out)
{
    if (h->ident[EI_CLASS] != ELFCLASS64)
        return elf_fail(out, -E_NOEXEC, -1, "not a 64-bit ELF file");
    if (h->ident[EI_DATA] != ELFDATA2LSB)
        return elf_fail(out, -E_NOEXEC, -1, "not a little-endian ELF file");
    if (h->ident[EI_VERSION] != EV_CURRENT || h->version != EV_CURRENT)
        return elf_fail(out, -E_NOEXEC, -1, "unknown ELF version");
    if (h->type == ET_DYN)
        return elf_fail(out, -E_NOEXEC, -1,
                        "position-independent executables and shared objects are not supported");
    if (h->type != ET_EXEC)
        return elf_fail(out, -E_NOEXEC, -1, "not an executable file");
    if (h->machine != EM_X86_64)
        return elf_fail(out, -E_NOEXEC, -1, "not an x86-64 program");
    if (h->ehsize != sizeof(struct elf64_header))
        return elf_fail(out, -E_INVAL, -1, "unexpected ELF header size");
    if (h->phentsize != sizeof(struct elf64_program_header))
        return elf_fail(out, -E_INVAL, -1, "unexpected program header size");
    if (h->phnum == 0)
        return elf_fail(out, -E_INVAL, -1, "no program headers");
    if (h->phnum > ELF_MAX_PROGRAM_HEADERS)
        return elf_fail(out, -E_INVAL, -1, "too many program headers");
    return 0;
}

/*
 * Checks one PT_LOAD header on its own (not against the others). The
 * order matters only for which reason is reported: sizes first, because a
 * huge size makes every address check fail too.
 */
static int elf_check_segment(const struct elf64_program_header *ph, uint64_t file_size,
                             uint64_t user_limit, int index, struct elf_image *out)
{
    uint32_t flags = ph->flags & PF_MASK;

    if (ph->filesz > ph->memsz)
        return elf_fail(out, -E_INVAL, index, "segment's file size exceeds its memory size");
    if (ph->memsz > ELF_MAX_SEGMENT_SIZE)
        return elf_fail(out, -E_INVAL, index, "segment has an absurd size");
    if (ph->offset > file_size || ph->filesz > file_size - ph->offset)
        return elf_fail(out, -E_INVAL, index, "segment's data lies past the end of the file");
    if (ph->vaddr > UINT64_MAX - ph->memsz)
        return elf_fail(out, -E_INVAL, index, "segment wraps around the address space");
    if (ph->vaddr < ELF_USER_MIN || ph->vaddr + ph->memsz > user_limit)
        return elf_fail(out, -E_INVAL, index, "segment lies outside user space");
    /* Mapping file page k at address page k needs equal page offsets. */
    if (ph->vaddr % ELF_PAGE_SIZE != ph->offset % ELF_PAGE_SIZE)
        return elf_fail(out, -E_INVAL, index,
                        "segment's address and file offset differ modulo the page size");
    if ((flags & ELF_SEGMENT_WRITE) && (flags & ELF_SEGMENT_EXEC))
        return elf_fail(out, -E_INVAL, index, "segment is both writable and executable");
    return 0;
}

/*
 * Whether two segments touch a common page. Comparing page numbers of the
 * first and last byte (memsz > 0 for both) avoids rounding the end up,
 * which could overflow.
 */
static bool elf_segments_share_page(const struct elf_segment *a, const struct elf_segment *b)
{
    uint64_t a_first = a->vaddr / ELF_PAGE_SIZE;
    uint64_t a_last = (a->vaddr + a->memsz - 1) / ELF_PAGE_SIZE;
    uint64_t b_first = b->vaddr / ELF_PAGE_SIZE;
    uint64_t b_last = (b->vaddr + b->memsz - 1) / ELF_PAGE_SIZE;

    return a_first <= b_last && b_first <= a_last;
}

/* Reads, checks and records every program header in turn. */
static int elf_collect_segments(const unsigned char *bytes, const struct elf64_header *h,
                                uint64_t file_size, uint64_t user_limit, struct elf_image *out)
{
    for (int i = 0; i < h->phnum; i++) {
        struct elf64_program_header ph;
        memcpy(&ph, bytes + h->phoff + (size_t)i * sizeof(ph), sizeof(ph));

        if (ph.type == PT_INTERP)
            return elf_fail(out, -E_NOEXEC, i, "needs a dynamic linker (PT_INTERP)");
        if (ph.type != PT_LOAD)
            continue;

        int err = elf_check_segment(&ph, file_size, user_limit, i, out);
        if (err != 0)
            return err;
        if (ph.memsz == 0)
            continue; /* maps nothing, so there is nothing to check it against */
        if (out->segment_count == ELF_MAX_SEGMENTS)
            return elf_fail(out, -E_INVAL, i, "too many loadable segments");

        struct elf_segment *seg = &out->segments[out->segment_count];
        seg->vaddr = ph.vaddr;
        seg->memsz = ph.memsz;
        seg->offset = ph.offset;
        seg->filesz = ph.filesz;
        seg->flags = ph.flags & PF_MASK;
        for (size_t j = 0; j < out->segment_count; j++) {
            if (elf_segments_share_page(seg, &out->segments[j]))
                return elf_fail(out, -E_INVAL, i, "segment shares a page with an earlier segment");
        }
        out->segment_count++;
    }
    return 0;
}

static bool elf_entry_is_executable(const struct elf_image *image)
{
    for (size_t i = 0; i < image->segment_count; i++) {
        const struct elf_segment *seg = &image->segments[i];
        if ((seg->flags & ELF_SEGMENT_EXEC) && image->entry >= seg->vaddr &&
            image->entry - seg->vaddr < seg->memsz)
            return true;
    }
    return false;
}

int elf_parse(const void *data, size_t available, uint64_t file_size, uint64_t user_limit,
              struct elf_image *out)
{
    const unsigned char *bytes = data;
    struct elf64_header h;

    out->entry = 0;
    out->segment_count = 0;
    out->reason = NULL;
    out->reason_header = -1;

    if (available > file_size)
        return elf_fail(out, -E_INVAL, -1, "more bytes available than the file holds");
    if (available < sizeof(elf_magic) || memcmp(bytes, elf_magic, sizeof(elf_magic)) != 0)
        return elf_fail(out, -E_NOEXEC, -1, "not an ELF file");
    if (available < sizeof(h))
        return elf_fail(out, -E_INVAL, -1, "file too short for the ELF header");
    memcpy(&h, bytes, sizeof(h));

    int err = elf_check_header(&h, out);
    if (err != 0)
        return err;
    /* phnum <= 64, so the table's size cannot overflow; its offset can. */
    uint64_t table_size = (uint64_t)h.phnum * sizeof(struct elf64_program_header);
    if (h.phoff > available || table_size > available - h.phoff)
        return elf_fail(out, -E_INVAL, -1, "program headers lie past the end of the data");

    err = elf_collect_segments(bytes, &h, file_size, user_limit, out);
    if (err != 0)
        return err;
    if (out->segment_count == 0)
        return elf_fail(out, -E_INVAL, -1, "no loadable segments");
    out->entry = h.entry;
    if (!elf_entry_is_executable(out))
        return elf_fail(out, -E_INVAL, -1, "entry point is not in an executable segment");
    return 0;
}
