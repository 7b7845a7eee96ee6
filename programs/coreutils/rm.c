/*
 * rm [-r] PATH...: removes files; with -r also directories and all they
 * hold. Without -r a directory is refused ("is a directory").
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

#include "common.h"

/*
 * Removes path (absolute; a PATH_BUFFER it may change and puts back) and,
 * if it is a directory, everything below it. A loop, not recursion, so
 * a tree as deep as a path can be long costs no stack: it walks down to
 * the first entry of each directory, removes what it finds at the
 * bottom, and steps up one component at a time until it is back at the
 * start. Removing entry 0 shifts the rest down, so it always takes the
 * first.
 */
static long remove_tree(char *path)
{
    size_t top = strlen(path);
    for (;;) {
        struct fs_stat st;
        long err = ns_stat(path, &st);
        if (err < 0)
            return err;
        struct fs_dirent entry;
        if (st.type == FS_TYPE_DIR && ns_readdir(path, 0, &entry) == 0) {
            size_t len = strlen(path);
            if (len + 1 + strlen(entry.name) >= PATH_BUFFER)
                return -E_RANGE;
            path[len] = '/';
            strcpy(path + len + 1, entry.name);
            continue; /* down into the first entry */
        }
        err = st.type == FS_TYPE_DIR ? ns_rmdir(path) : ns_unlink(path);
        if (err < 0)
            return err;
        if (strlen(path) == top)
            return 0;
        *strrchr(path, '/') = '\0'; /* up to the parent, which may hold more */
    }
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
