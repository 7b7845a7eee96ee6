/* cp SOURCE DEST: copies a file, into DEST if it is a directory. */
#include <string.h>

#include <parley/errors.h>

#include "common.h"
#include "target.h"

struct copy {
    long handle;
    uint64_t offset;
    long err;
};

static void put(const char *chunk, size_t len, void *arg)
{
    struct copy *c = arg;
    if (c->err < 0)
        return;
    long n = file_write((uint32_t)c->handle, c->offset, chunk, len);
    if (n < 0)
        c->err = n;
    else if ((size_t)n < len)
        c->err = -E_NOSPC; /* the rest did not fit */
    else
        c->offset += len;
}

int main(int argc, char **argv)
{
    util_start("cp");
    if (argc != 3)
        return util_usage("usage: cp SOURCE DEST");
    struct fs_stat st;
    long err = ns_stat(argv[1], &st);
    if (err == 0 && st.type == FS_TYPE_DIR)
        err = -E_ISDIR;
    if (err < 0)
        return util_fail(argv[1], err);
    char dest[PATH_BUFFER], source[PATH_BUFFER];
    if (!target_path(argv[1], argv[2], dest) || !util_path(argv[1], source))
        return 1;
    if (strcmp(source, dest) == 0)
        return util_usage("source and destination are the same file");
    struct copy c = {.handle = ns_open(dest, FS_RIGHT_WRITE | FS_O_CREATE | FS_O_TRUNC)};
    if (c.handle < 0)
        return util_fail(argv[2], c.handle);
    err = util_each_chunk(source, put, &c);
    file_close((uint32_t)c.handle);
    if (err < 0)
        return util_fail(argv[1], err);
    return c.err < 0 ? util_fail(argv[2], c.err) : 0;
}
