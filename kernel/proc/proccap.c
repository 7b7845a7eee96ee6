/*
 * Process handles (see proccap.h).
 */
#include "proc/proccap.h"

#include <parley/errors.h>
#include <parley/ipc.h>
#include <parley/syscall.h>

#include "ipc/handle.h"
#include "lib/list.h"
#include "log.h"
#include "mm/heap.h"
#include "proc/process.h"
#include "proc/rgroup.h"

struct proc_cap {
    struct kobject object;
    uint32_t pid;
    struct rgroup *group; /* the group it leads, kept alive by us; NULL if it leads none */
};

static struct proc_cap *proc_cap_of(struct kobject *object)
{
    return container_of(object, struct proc_cap, object);
}

static void proc_cap_destroy(struct kobject *object)
{
    struct proc_cap *cap = proc_cap_of(object);
    if (cap->group != NULL)
        rgroup_leave(cap->group);
    kfree(cap);
}

static const struct kobject_ops proc_cap_ops = {.destroy = proc_cap_destroy};

long proc_handle_make(uint64_t pid)
{
    struct process *caller = process_current();
    struct process *target = pid > 0 && pid <= UINT32_MAX ? process_find((uint32_t)pid) : NULL;
    if (target == NULL || target->state == PROCESS_ZOMBIE)
        return -E_SRCH;
    if (!process_may_end(caller, target))
        return -E_PERM;
    struct proc_cap *cap = kzalloc(sizeof(*cap));
    if (cap == NULL)
        return -E_NOMEM;
    cap->object = (struct kobject){.type = OBJECT_PROCESS, .ops = &proc_cap_ops};
    cap->pid = target->pid;
    if (target->group->leader == target->pid) {
        cap->group = target->group;
        rgroup_join(cap->group);
    }
    long h = handle_install(&caller->handles, &cap->object,
                            RIGHT_USE | RIGHT_TRANSFER | RIGHT_DUPLICATE);
    if (h < 0)
        proc_cap_destroy(&cap->object);
    return h;
}

long proc_end(uint64_t handle, uint64_t flags)
{
    struct process *caller = process_current();
    long err;
    struct kobject *object =
        handle_get(&caller->handles, (uint32_t)handle, OBJECT_PROCESS, RIGHT_USE, &err);
    if (object == NULL)
        return err;
    struct proc_cap *cap = proc_cap_of(object);
    if (flags & ~(uint64_t)PROC_END_GROUP)
        return -E_INVAL;
    if (flags & PROC_END_GROUP) {
        if (cap->group == NULL)
            return -E_INVAL; /* it leads no group */
        return process_end_group(caller, cap->group);
    }
    struct process *target = process_find(cap->pid);
    if (target == NULL || target->state == PROCESS_ZOMBIE)
        return -E_SRCH;
    if (target == caller || target->pid == 1)
        return -E_PERM;
    log_info("proc: %u:%s ended through a process handle by %u:%s", target->pid, target->name,
             caller->pid, caller->name);
    process_exit(target, EXIT_STATUS_KILLED);
    return 0;
}
