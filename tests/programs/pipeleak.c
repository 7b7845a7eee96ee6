/*
 * pipeleak N: make pipe ends and never PIPE_CLOSE them (docs/security.md,
 * "Servers"; tests/qemu/test_peer_closed.py). Run as `pipeleak N | cat`.
 *
 * Makes N more write ends of its stdout pipe with PIPE_DUP, says so
 * through the pipe, and ends with sys_exit, skipping exit()'s close of
 * stdout, so that only the kernel's IPC_TAG_CLOSED tells the pipe server
 * the ends are gone. The reader (cat) then sees end of file and the
 * pipeline finishes. Before the pipe server listened, cat waited for
 * ever, and the ends stayed taken in its 256-entry table. Prints
 * "pipeleak: N write ends made, none closed: ok", or what failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#define HANDLE_STDOUT 2

int main(int argc, char **argv)
{
    long count = argc > 1 ? atoi(argv[1]) : 40;
    const char *out = getenv("STDOUT");
    if (out == NULL || strcmp(out, "pipe") != 0) {
        printf("pipeleak: stdout must be a pipe (pipeleak N | cat)\n");
        return 2;
    }
    for (long i = 0; i < count; i++) {
        long end = pipe_dup(HANDLE_STDOUT);
        if (end < 0) {
            printf("pipeleak: dup %ld of %ld failed: %s\n", i + 1, count, error_string((int)end));
            fflush(stdout);
            sys_exit(1);
        }
    }
    printf("pipeleak: %ld write ends made, none closed: ok\n", count);
    fflush(stdout);
    sys_exit(0); /* not exit(): stdout's end is not closed either */
}
