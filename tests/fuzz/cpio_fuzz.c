/*
 * libFuzzer target for the boot image's cpio reader (lib/common/cpio.c).
 * Each input is a whole archive. Besides what the sanitizers catch, every
 * entry cpio_next returns must lie inside the archive with its name
 * NUL-terminated where it says, the offset must move forward on 4-byte
 * boundaries until the trailer or an error, and cpio_find must agree with
 * a plain walk of the entries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "common/cpio.h"

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "cpio_fuzz: %s\n", what);
        abort();
    }
}

/* Is [p, p + n) inside [base, base + size)? */
static int inside(const void *p, size_t n, const uint8_t *base, size_t size)
{
    const uint8_t *q = p;
    return q >= base && (size_t)(q - base) <= size && n <= size - (size_t)(q - base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly `size` bytes, so ASan sees any read past the end. */
    uint8_t *archive = malloc(size ? size : 1);
    if (archive == NULL)
        return 0;
    memcpy(archive, data, size);

    size_t offset = 0;
    struct cpio_entry e, first_file = {0};
    int r, have_file = 0;
    while ((r = cpio_next(archive, size, &offset, &e)) == 1) {
        size_t before = (size_t)((const uint8_t *)e.name - archive) - 110;
        require(inside(e.name, e.name_length + 1, archive, size), "name outside the archive");
        require(e.name_length > 0 && e.name[e.name_length] == '\0' &&
                    strlen(e.name) == e.name_length,
                "name not a C string of name_length bytes");
        require(inside(e.data, e.size, archive, size), "data outside the archive");
        require(offset % 4 == 0 && offset > before && offset <= size, "offset did not advance");
        if (!have_file && (e.mode & CPIO_MODE_TYPE_MASK) == CPIO_MODE_REGULAR) {
            first_file = e;
            have_file = 1;
        }
    }
    require(r == 0 || r == -E_INVAL, "cpio_next returned something undocumented");
    if (r == 0) {
        size_t again = offset;
        require(cpio_next(archive, size, &again, &e) == 0 && again == offset,
                "asking again at the trailer moved");
    }

    /* The first regular file must be what cpio_find finds by its name. */
    if (have_file) {
        struct cpio_entry found;
        require(cpio_find(archive, size, first_file.name, &found) == 0, "cpio_find missed a file");
        require(found.data == first_file.data && found.size == first_file.size,
                "cpio_find found another entry");
    }
    struct cpio_entry init;
    int f = cpio_find(archive, size, "bin/init", &init);
    require(f == 0 || f == -E_NOENT || f == -E_INVAL, "cpio_find returned something undocumented");
    if (f == -E_NOENT)
        require(r == 0, "no trailer, yet cpio_find said -E_NOENT");
    free(archive);
    return 0;
}
