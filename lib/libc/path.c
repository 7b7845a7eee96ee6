/*
 * Path arithmetic (see <parley/path.h>). Both functions stream the input
 * through one appender that keeps `out` normal at every step, so ".."
 * only has to cut `out` back to its last '/'.
 *
 * The header is included by its place beside this file so the host unit
 * test (tests/unit/vfs_mount_test.c) can build this file without Parley's
 * C library headers on its include path.
 */
#include "include/parley/path.h"

#include <string.h>

#include <parley/errors.h>

struct builder {
    char *out;
    size_t size, length; /* out[0..length) is normal; "/" is kept as length 0 */
};

/* Appends one component (n bytes at name) to the path being built. */
static long builder_add(struct builder *b, const char *name, size_t n)
{
    if (n == 0 || (n == 1 && name[0] == '.'))
        return 0;
    if (n == 2 && name[0] == '.' && name[1] == '.') {
        if (b->length == 0)
            return -E_NOENT;
        while (b->out[--b->length] != '/')
            ;
        return 0;
    }
    if (b->length + 1 + n + 1 > b->size)
        return -E_RANGE;
    b->out[b->length++] = '/';
    memcpy(b->out + b->length, name, n);
    b->length += n;
    return 0;
}

/* Appends every component of path. */
static long builder_add_all(struct builder *b, const char *path)
{
    while (*path != '\0') {
        const char *slash = strchr(path, '/');
        size_t n = slash != NULL ? (size_t)(slash - path) : strlen(path);
        long err = builder_add(b, path, n);
        if (err < 0)
            return err;
        path += n + (slash != NULL);
    }
    return 0;
}

/* Ends the built path with its NUL, "/" for the root; returns its length. */
static long builder_finish(struct builder *b)
{
    if (b->length == 0) {
        if (b->size < 2)
            return -E_RANGE;
        b->out[b->length++] = '/';
    }
    b->out[b->length] = '\0';
    return (long)b->length;
}

long path_join(const char *base, const char *path, char *out, size_t size)
{
    struct builder b = {out, size, 0};
    if (size == 0)
        return -E_RANGE;
    long err = path[0] != '/' && base != NULL ? builder_add_all(&b, base) : 0;
    if (err == 0)
        err = builder_add_all(&b, path);
    if (err < 0) {
        out[0] = '\0';
        return err;
    }
    return builder_finish(&b);
}

long path_normalize(const char *path, char *out, size_t size)
{
    return path_join(NULL, path, out, size);
}

const char *path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}
