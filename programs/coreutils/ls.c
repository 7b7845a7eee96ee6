/*
 * ls [-l] [PATH...]: lists directories (names in order, a '/' after each
 * directory) and names files. -l adds mode, owner and size, one per line.
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

#include "common.h"
#include "text.h"

static bool long_format;

/* Prints one entry; path is where to stat it, name what to show. */
static void show(const char *path, const char *name, uint32_t type)
{
    if (!long_format) {
        printf("%s%s\n", name, type == FS_TYPE_DIR ? "/" : "");
        return;
    }
    struct fs_stat st;
    long err = ns_stat(path, &st);
    if (err < 0) {
        util_fail(path, err);
        return;
    }
    char owner[32], line[FS_NAME_MAX + 64];
    util_user_name(st.uid, owner, sizeof(owner));
    ls_long_line(line, sizeof(line), st.type, st.mode, owner, st.size, name);
    printf("%s\n", line);
}

static int list(const char *path)
{
    char full[PATH_BUFFER];
    if (!util_path(path, full))
        return 1;
    struct fs_stat st;
    long err = ns_stat(full, &st);
    if (err < 0)
        return util_fail(path, err);
    if (st.type != FS_TYPE_DIR) {
        show(full, path, st.type);
        return 0;
    }
    struct fs_dirent entry;
    for (uint64_t i = 0;; i++) {
        err = ns_readdir(full, i, &entry);
        if (err < 0)
            break;
        char child[PATH_BUFFER];
        if (util_child(full, entry.name, child))
            show(child, entry.name, entry.type);
    }
    return err == -E_NOENT ? 0 : util_fail(path, err);
}

int main(int argc, char **argv)
{
    util_start("ls");
    int first = 1, status = 0;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        if (strcmp(argv[first], "-l") != 0)
            return util_usage("usage: ls [-l] [PATH...]");
        long_format = true;
    }
    if (first == argc)
        return list(".");
    /* As other ls do: files (and errors) first, then each directory under a heading. */
    bool headings = argc - first > 1;
    for (int i = first; i < argc; i++) {
        struct fs_stat st;
        if (!headings || ns_stat(argv[i], &st) < 0 || st.type != FS_TYPE_DIR)
            status |= list(argv[i]);
    }
    for (int i = first; i < argc && headings; i++) {
        struct fs_stat st;
        if (ns_stat(argv[i], &st) == 0 && st.type == FS_TYPE_DIR) {
            printf("%s:\n", argv[i]);
            status |= list(argv[i]);
        }
    }
    return status;
}
