/* mv SOURCE DEST: renames a file or directory, into DEST if it is a directory. */
#include <string.h>

#include <parley/errors.h>

#include "common.h"
#include "target.h"

int main(int argc, char **argv)
{
    util_start("mv");
    if (argc != 3)
        return util_usage("usage: mv SOURCE DEST");
    char dest[PATH_BUFFER];
    if (!target_path(argv[1], argv[2], dest))
        return 1;
    struct fs_stat st;
    long err = ns_stat(argv[1], &st);
    if (err < 0)
        return util_fail(argv[1], err);
    err = ns_rename(argv[1], dest);
    return err < 0 ? util_fail(argv[2], err) : 0;
}
