/*
 * mkdir [-p] DIR...: makes directories. -p also makes missing parents
 * and accepts directories that already exist.
 */
#include <string.h>

#include <parley/errors.h>

#include "common.h"

/* Makes every directory along full (an absolute path), as -p does. */
static long make_parents(char *full)
{
    for (char *slash = strchr(full + 1, '/');; slash = strchr(slash + 1, '/')) {
        if (slash != NULL)
            *slash = '\0';
        long err = ns_mkdir(full, 0);
        struct fs_stat st;
        if (err == -E_EXIST && ns_stat(full, &st) == 0 && st.type == FS_TYPE_DIR)
            err = 0;
        if (slash != NULL)
            *slash = '/';
        if (err < 0 || slash == NULL)
            return err;
    }
}

int main(int argc, char **argv)
{
    util_start("mkdir");
    int first = 1, status = 0;
    bool parents = argc > 1 && strcmp(argv[1], "-p") == 0;
    first += parents;
    if (first >= argc)
        return util_usage("usage: mkdir [-p] DIR...");
    for (int i = first; i < argc; i++) {
        char full[PATH_BUFFER];
        if (!util_path(argv[i], full)) {
            status = 1;
            continue;
        }
        long err = parents ? make_parents(full) : ns_mkdir(full, 0);
        if (err < 0)
            status = util_fail(argv[i], err);
    }
    return status;
}
