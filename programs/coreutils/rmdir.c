/* rmdir DIR...: removes empty directories. */
#include "common.h"

int main(int argc, char **argv)
{
    util_start("rmdir");
    if (argc < 2)
        return util_usage("usage: rmdir DIR...");
    int status = 0;
    for (int i = 1; i < argc; i++) {
        long err = ns_rmdir(argv[i]);
        if (err < 0)
            status = util_fail(argv[i], err);
    }
    return status;
}
