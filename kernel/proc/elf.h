/*
 * The ELF64 executable parser. It only reads and checks headers: it turns
 * the file's program headers into a short list of loadable segments that
 * the kernel can map without further checks, and it never touches memory
 * outside the bytes it is given. Mapping, copying and zeroing are the
 * caller's job.
 *
 * Only static, non-PIE x86-64 executables are accepted (ET_EXEC, no
 * PT_INTERP), with segments laid out the way our linker script lays them
 * out: page-aligned against their file offsets, each on pages of its own,
 * and never both writable and executable.
 */
#ifndef KERNEL_PROC_ELF_H
#define KERNEL_PROC_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16

/* The lowest address a segment may use: page 0 and its neighbours stay
 * unmapped so that null-pointer dereferences (with small offsets) fault. */
#define ELF_USER_MIN 0x10000

/* Segment permissions; the same values as the ELF p_flags bits PF_R,
 * PF_W and PF_X, so they are copied straight from the file. */
#define ELF_SEGMENT_READ 4
#define ELF_SEGMENT_WRITE 2
#define ELF_SEGMENT_EXEC 1

/*
 * One loadable segment: memsz bytes at vaddr, of which the first filesz
 * come from the file at offset and the rest are zero. filesz <= memsz,
 * memsz > 0, and vaddr and offset are equal modulo 4096.
 */
struct elf_segment {
    uint64_t vaddr;
    uint64_t memsz;
    uint64_t offset;
    uint64_t filesz;
    uint32_t flags; /* ELF_SEGMENT_* bits */
};

struct elf_image {
    uint64_t entry;
    size_t segment_count;
    struct elf_segment segments[ELF_MAX_SEGMENTS]; /* in program-header order */

    /*
     * Why elf_parse() failed: a short static phrase such as "segment is
     * both writable and executable", and the index of the program header
     * it is about, or -1 when it is about the file as a whole. NULL and -1
     * after a success. Kept here rather than in a global so that two
     * loaders running at once cannot overwrite each other's reason.
     */
    const char *reason;
    int reason_header;
};

/*
 * Parses an executable. data holds the first `available` bytes of a file
 * of file_size bytes (available <= file_size); the ELF header and program
 * headers must lie inside those bytes, while segment contents need only
 * lie inside the file. Every segment must lie in [ELF_USER_MIN,
 * user_limit), none may exceed 1 GiB, no two may share a page, and the
 * entry point must be inside an executable segment. Program headers other
 * than PT_LOAD are ignored, as are PT_LOAD headers with a memory size of 0.
 *
 * Returns 0 and fills *out, or fills out->reason and returns -E_NOEXEC
 * (not an ELF file, or not one we can run: wrong class, byte order,
 * version, machine or type, or it asks for a dynamic linker) or -E_INVAL
 * (an x86-64 executable, but malformed). Never reads outside
 * [data, data + available).
 */
int elf_parse(const void *data, size_t available, uint64_t file_size, uint64_t user_limit,
              struct elf_image *out);

#endif
