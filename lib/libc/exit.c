/*
 * Ending the process. exit() is also where main's return value goes
 * (crt0.asm), so it is the one place that makes sure a last line without
 * a '\n' still reaches its target, and that the pipe ends held as stdin
 * and stdout are closed (the pipe server would hear of it anyway once
 * their last handle is gone, but copies may live on in other processes,
 * and the peers see end of file or -E_CLOSED at once this way). A write
 * to stdout that failed and was not cleared is reported there, and a
 * status of 0 becomes 1.
 */
#include <stdio.h>
#include <stdlib.h>

#include <parley/sys.h>

#include "stream.h"

/* The status a POSIX shell shows for a process killed by SIGABRT. */
#define ABORT_STATUS 134

_Noreturn void exit(int status)
{
    if (stdio_exit() < 0 && status == 0)
        status = 1; /* output was lost: the program did not succeed */
    sys_exit(status);
}

_Noreturn void abort(void)
{
    static const char message[] = "abort() called";

    stdout_flush();
    sys_log(message, sizeof(message) - 1);
    sys_exit(ABORT_STATUS);
}
