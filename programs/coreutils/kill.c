/* kill PID...: ends processes (your own; root: any but init). */
#include <stdio.h>
#include <stdlib.h>

#include <parley/errors.h>
#include <parley/sys.h>

#include "common.h"

int main(int argc, char **argv)
{
    util_start("kill");
    if (argc < 2)
        return util_usage("usage: kill PID...");
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (*argv[i] == '\0' || *end != '\0' || pid <= 0) {
            fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
            status = 1;
            continue;
        }
        long err = sys_kill(pid);
        if (err == -E_PERM)
            status = util_usage(pid == 1 ? "1: init cannot be killed"
                                         : "permission denied (not your process)");
        else if (err < 0)
            status = util_fail(argv[i], err);
    }
    return status;
}
