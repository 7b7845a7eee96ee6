/*
 * Reading newc cpio archives. The archive may come from anywhere, so every
 * length read from a header is checked against what is left of the
 * archive before it is used, always by subtracting from the remaining
 * size rather than adding to an offset (sums could overflow). The hex
 * fields are parsed strictly: exactly eight hex digits, nothing else.
 */
#include <stdbool.h>

#include <parley/errors.h>

#include "common/cpio.h"
#include "common/string.h"

#define CPIO_HEADER_SIZE 110
#define CPIO_FIELD_DIGITS 8
#define CPIO_TRAILER "TRAILER!!!"

/* Positions of the header fields we use, counted in 8-digit fields after
 * the 6-byte magic; the rest (inode, owner, times, devices, checksum) mean
 * nothing to Parley. */
enum cpio_field {
    CPIO_FIELD_MODE = 1,
    CPIO_FIELD_FILESIZE = 6,
    CPIO_FIELD_NAMESIZE = 11,
};

static const char cpio_magic[6] = {'0', '7', '0', '7', '0', '1'};

/*
 * Moves pos past the padding to the next 4-byte boundary, refusing if the
 * padding would run past size. Phrased without computing pos + 3, which
 * could wrap for an archive at the very top of the address space.
 */
static bool cpio_skip_padding(size_t *pos, size_t size)
{
    size_t pad = (4 - *pos % 4) % 4;

    if (pad > size - *pos)
        return false;
    *pos += pad;
    return true;
}

/* Parses one 8-digit hex field; false if any character is not a digit. */
static bool cpio_parse_field(const unsigned char *header, enum cpio_field field, uint32_t *value)
{
    const unsigned char *p = header + sizeof(cpio_magic) + (size_t)field * CPIO_FIELD_DIGITS;
    uint32_t v = 0;

    for (int i = 0; i < CPIO_FIELD_DIGITS; i++) {
        unsigned char c = p[i];
        uint32_t digit;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return false;
        v = v << 4 | digit;
    }
    *value = v;
    return true;
}

int cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_entry *entry)
{
    const unsigned char *base = archive;
    size_t pos = *offset;
    uint32_t mode, filesize, namesize;

    if (pos > size || pos % 4 != 0 || size - pos < CPIO_HEADER_SIZE)
        return -E_INVAL;
    const unsigned char *header = base + pos;
    if (memcmp(header, cpio_magic, sizeof(cpio_magic)) != 0)
        return -E_INVAL;
    if (!cpio_parse_field(header, CPIO_FIELD_MODE, &mode) ||
        !cpio_parse_field(header, CPIO_FIELD_FILESIZE, &filesize) ||
        !cpio_parse_field(header, CPIO_FIELD_NAMESIZE, &namesize))
        return -E_INVAL;

    /* namesize counts the NUL; the name must be non-empty, NUL-terminated
     * and free of embedded NULs, so that it is also a valid C string. */
    size_t rest = size - pos - CPIO_HEADER_SIZE;
    const char *name = (const char *)header + CPIO_HEADER_SIZE;
    if (namesize < 2 || namesize > rest || strnlen(name, namesize) != namesize - 1)
        return -E_INVAL;

    if (namesize == sizeof(CPIO_TRAILER) && memcmp(name, CPIO_TRAILER, namesize) == 0)
        return 0;

    /* The padding after the name and after the data must both be there:
     * at least the trailer still has to follow. */
    size_t data_pos = pos + CPIO_HEADER_SIZE + namesize;
    if (!cpio_skip_padding(&data_pos, size) || filesize > size - data_pos)
        return -E_INVAL;
    size_t next = data_pos + filesize;
    if (!cpio_skip_padding(&next, size))
        return -E_INVAL;

    entry->name = name;
    entry->name_length = namesize - 1;
    entry->data = base + data_pos;
    entry->size = filesize;
    entry->mode = mode;
    *offset = next;
    return 1;
}

int cpio_find(const void *archive, size_t size, const char *name, struct cpio_entry *entry)
{
    size_t offset = 0;
    size_t length;
    struct cpio_entry e;
    int r;

    if (name == NULL)
        return -E_INVAL;
    length = strlen(name);
    while ((r = cpio_next(archive, size, &offset, &e)) == 1) {
        if (e.name_length == length && memcmp(e.name, name, length) == 0 &&
            (e.mode & CPIO_MODE_TYPE_MASK) == CPIO_MODE_REGULAR) {
            *entry = e;
            return 0;
        }
    }
    return r == 0 ? -E_NOENT : r;
}
