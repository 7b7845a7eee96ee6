/*
 * Ending a service needs a capability, not a uid (docs/security.md):
 * killsvc runs as uid 0, finds the service "pci" with sys_proc_info and
 * first tries sys_kill, which must be refused (it is not killsvc's
 * descendant and killsvc is in no session); then ends it through the
 * process handle init gave it (run=killsvc@proc:pci, handle 1). init
 * must notice the service ended and log it.
 */
#include <parley/errors.h>
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdio.h>
#include <string.h>

#define HANDLE_PCI 1

int main(void)
{
    struct proc_info info;
    for (uint64_t i = 0; sys_proc_info(i, &info) == 0; i++) {
        if (strcmp(info.name, "pci") != 0 || info.state == PROC_STATE_ZOMBIE)
            continue;
        long err = sys_kill(info.pid);
        printf("killsvc: sys_kill pci (pid %u): %s\n", info.pid,
               err == 0 ? "done" : strerror((int)err));
        if (err == 0)
            return 1;
        err = sys_proc_end(HANDLE_PCI, 0);
        printf("killsvc: end pci (pid %u) through its handle: %s\n", info.pid,
               err == 0 ? "done" : strerror((int)err));
        return err == 0 ? 0 : 1;
    }
    printf("killsvc: no pci process\n");
    return 1;
}
