/*
 * A reader for the boot image: a cpio archive in the "newc" format, the
 * one `cpio -o -H newc` and tools/mkbootimage.py write. The kernel uses it
 * to find init, and init to list the programs it may start, so it is pure
 * code: no allocation, no copying, only pointers into the archive.
 *
 * Each entry is a 110-byte header (the magic "070701" and thirteen 8-digit
 * hex fields), the NUL-terminated name padded so that header and name end
 * on a 4-byte boundary, then the data padded to 4 bytes. The archive ends
 * with an entry named "TRAILER!!!". Only the plain newc magic is read (not
 * the "070702" checksummed variant), and hard links are not resolved: each
 * entry is returned as it is stored.
 */
#ifndef LIB_COMMON_CPIO_H
#define LIB_COMMON_CPIO_H

#include <stddef.h>
#include <stdint.h>

/* The file-type bits of cpio_entry.mode, as in POSIX st_mode. */
#define CPIO_MODE_TYPE_MASK 0170000
#define CPIO_MODE_DIRECTORY 0040000
#define CPIO_MODE_REGULAR 0100000

/*
 * One archive member. name points into the archive and is NUL-terminated
 * (name_length excludes the NUL); data points at size bytes inside the
 * archive. mode holds the type and permission bits.
 */
struct cpio_entry {
    const char *name;
    size_t name_length;
    const void *data;
    size_t size;
    uint32_t mode;
};

/*
 * Iterates over the archive's entries. *offset starts at 0 and is moved to
 * the next entry on each success. Returns 1 and fills *entry; 0 at the
 * trailer (leaving *offset there, so asking again gives 0 again); or
 * -E_INVAL if the archive is malformed, including when it ends without a
 * trailer or *offset is not a 4-byte aligned position inside it. Never
 * reads outside [archive, archive + size).
 */
int cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_entry *entry);

/*
 * Finds the first regular file named exactly name ("bin/init", no leading
 * "./" or "/"). Returns 0 and fills *entry, -E_NOENT if the archive has no
 * such file (a directory of that name does not count), or -E_INVAL if the
 * archive is malformed before such a file is found.
 */
int cpio_find(const void *archive, size_t size, const char *name, struct cpio_entry *entry);

#endif
