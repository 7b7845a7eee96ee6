/*
 * ps: one line for every process the kernel has: pid, parent, user (a
 * name from /etc/passwd when it can be read, else the number), state,
 * memory and name.
 */
#include <stdio.h>

#include <parley/errors.h>
#include <parley/sys.h>

#include "common.h"
#include "text.h"

static const char *state_name(uint32_t state)
{
    switch (state) {
    case PROC_STATE_RUNNING:
        return "run";
    case PROC_STATE_BLOCKED:
        return "wait";
    case PROC_STATE_ZOMBIE:
        return "zombie";
    }
    return "?";
}

int main(void)
{
    util_start("ps");
    printf("  PID  PPID USER     STATE     MEMORY NAME\n");
    struct proc_info info;
    long err;
    uint64_t index = 0;
    while ((err = sys_proc_info(index++, &info)) == 0) {
        char user[32], memory[24];
        util_user_name(info.uid, user, sizeof(user));
        size_human(info.pages * 4096, memory, sizeof(memory));
        printf("%5u %5u %-8s %-6s %9s %s\n", (unsigned)info.pid, (unsigned)info.parent, user,
               state_name(info.state), memory, info.name);
    }
    return err == -E_NOENT ? 0 : util_fail(NULL, err);
}
