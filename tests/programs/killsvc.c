/*
 * Kills the service named "pci": finds it with sys_proc_info and ends it
 * with sys_kill (allowed: it runs as uid 0, like the services). init must
 * notice the service ended and log it.
 */
#include <parley/errors.h>
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    struct proc_info info;
    for (uint64_t i = 0; sys_proc_info(i, &info) == 0; i++) {
        if (strcmp(info.name, "pci") != 0 || info.state == PROC_STATE_ZOMBIE)
            continue;
        long err = sys_kill(info.pid);
        printf("killsvc: kill pci (pid %u): %s\n", info.pid,
               err == 0 ? "done" : strerror((int)err));
        return err == 0 ? 0 : 1;
    }
    printf("killsvc: no pci process\n");
    return 1;
}
