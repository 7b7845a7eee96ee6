/*
 * trace on|off [PID]: switches the kernel's IPC trace (docs/ipc-trace.md)
 * for one process or, without PID, for all. Needs handle 5, the trace
 * capability, which only root's shell passes on; without it:
 * "trace: permission denied".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>

#include "common.h"

int main(int argc, char **argv)
{
    util_start("trace");
    if (argc < 2 || argc > 3 || (strcmp(argv[1], "on") != 0 && strcmp(argv[1], "off") != 0))
        return util_usage("usage: trace on|off [PID]");
    long pid = 0;
    if (argc == 3) {
        char *end;
        pid = strtol(argv[2], &end, 10);
        if (*argv[2] == '\0' || *end != '\0' || pid <= 0) {
            fprintf(stderr, "trace: %s: not a process id\n", argv[2]);
            return 1;
        }
    }
    if (util_uid() != 0)
        return util_fail(NULL, -E_PERM);
    long err = trace_set(HANDLE_TRACE, (uint32_t)pid, strcmp(argv[1], "on") == 0);
    /* Any handle 5 that is not the trace capability means no permission either. */
    if (err == -E_BADHANDLE || err == -E_PERM || err == -E_INVAL)
        return util_fail(NULL, -E_PERM);
    return err < 0 ? util_fail(argc == 3 ? argv[2] : NULL, err) : 0;
}
