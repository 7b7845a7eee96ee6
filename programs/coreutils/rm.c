/*
 * rm [-r] PATH...: removes files; with -r also directories and all they
 * hold. Without -r a directory is refused ("is a directory").
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

#include "common.h"

/* Removes full (absolute) and, if it is a directory, everything below it. */
static long remove_tree(const char *full)
{
    struct fs_stat st;
    long err = ns_stat(full, &st);
    if (err < 0)
        return err;
    if (st.type != FS_TYPE_DIR)
        return ns_unlink(full);
    struct fs_dirent entry;
    /* Removing entry 0 shifts the rest down, so always take the first. */
    while (err == 0 && ns_readdir(full, 0, &entry) == 0) {
        char child[PATH_BUFFER];
        err = util_child(full, entry.name, child) ? remove_tree(child) : -E_RANGE;
    }
    return err < 0 ? err : ns_rmdir(full);
}

int main(int argc, char **argv)
{
    util_start("rm");
    bool recursive = argc > 1 && (strcmp(argv[1], "-r") == 0 || strcmp(argv[1], "-rf") == 0);
    int first = 1 + recursive, status = 0;
    if (first >= argc)
        return util_usage("usage: rm [-r] PATH...");
    for (int i = first; i < argc; i++) {
        char full[PATH_BUFFER];
        if (!util_path(argv[i], full)) {
            status = 1;
            continue;
        }
        long err;
        if (strcmp(full, "/") == 0) {
            err = -E_PERM;
        } else if (recursive) {
            err = remove_tree(full);
        } else {
            struct fs_stat st;
            err = ns_stat(full, &st);
            if (err == 0)
                err = st.type == FS_TYPE_DIR ? -E_ISDIR : ns_unlink(full);
        }
        if (err < 0)
            status = util_fail(argv[i], err);
    }
    return status;
}
