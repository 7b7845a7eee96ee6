/*
 * Process lifecycle: spawn, exit, wait, kill and fatal faults.
 */
#include "proc/process.h"

#include <parley/errors.h>
#include <parley/syscall.h>

#include "arch/gdt.h"
#include "common/string.h"
#include "ipc/endpoint.h"
#include "ipc/trace.h"
#include "log.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "proc/rgroup.h"
#include "proc/loader.h"
#include "sched/sched.h"

static struct list_node all_processes = {&all_processes, &all_processes};
static uint32_t next_pid = 1;
static size_t live_count;

struct process *process_find(uint32_t pid)
{
    struct list_node *node;
    list_for_each(node, &all_processes)
    {
        struct process *p = container_of(node, struct process, all_link);
        if (p->pid == pid)
            return p;
    }
    return NULL;
}

void process_set_priority(struct process *p, int priority)
{
    log_info("proc: %u:%s runs at %s priority", p->pid, p->name,
             priority == PRIORITY_DRIVER ? "driver" : "normal");
    struct list_node *node;
    list_for_each(node, &p->threads)
    {
        struct thread *t = container_of(node, struct thread, process_link);
        if (t->state == THREAD_RUNNABLE && t != sched_current()) {
            /* Re-queue at the new level. */
            list_remove(&t->sched_link);
            t->priority = priority;
            sched_add(t);
        } else {
            t->priority = priority;
        }
    }
}

size_t process_count(void)
{
    return live_count;
}

/* The name is the last path component of argv[0]. */
static void set_name(struct process *p, const char *argv0)
{
    const char *slash = argv0;
    for (const char *c = argv0; *c; c++)
        if (*c == '/')
            slash = c + 1;
    strlcpy(p->name, slash, sizeof(p->name));
}

/* The group's share of a process: itself and `threads` threads still charged. */
static void group_drop(struct rgroup *g, uint64_t threads)
{
    rgroup_uncharge_threads(g, threads);
    rgroup_uncharge(g, RG_PROCESSES, 1);
    rgroup_leave(g);
}

static void process_free(struct process *p)
{
    list_remove(&p->all_link);
    list_remove(&p->sibling_link);
    group_drop(p->group, 0); /* its threads were uncharged as they ended */
    kfree(p);
}

/* The group a new process joins, charged for it and its first thread; NULL + *err if none. */
static struct rgroup *group_for_child(struct process *parent, bool new_group, long *err)
{
    struct rgroup *g = parent != NULL ? parent->group : rgroup_root();
    if (new_group) {
        g = rgroup_new_session(g,
                               parent != NULL ? parent->group_limits : NULL); /* its first member */
        if (g == NULL) {
            *err = -E_NOMEM;
            return NULL;
        }
    } else {
        rgroup_join(g);
    }
    if (!rgroup_charge(g, RG_PROCESSES, 1)) {
        rgroup_leave(g);
        *err = -E_QUOTA;
        return NULL;
    }
    if (!rgroup_charge_thread(g)) {
        rgroup_uncharge(g, RG_PROCESSES, 1);
        rgroup_leave(g);
        *err = -E_QUOTA;
        return NULL;
    }
    return g;
}

long process_spawn(const struct image_source *image, const char *args, size_t args_length,
                   const char *env, size_t env_length, struct process *parent, bool new_group)
{
    long err = -E_NOMEM;
    struct rgroup *group = group_for_child(parent, new_group, &err);
    if (group == NULL)
        return err;
    struct process *p = kzalloc(sizeof(*p));
    if (p == NULL) {
        group_drop(group, 1);
        return -E_NOMEM;
    }
    p->group = group;
    p->aspace = aspace_create();
    if (p->aspace == NULL) {
        group_drop(group, 1);
        kfree(p);
        return -E_NOMEM;
    }
    p->aspace->group = group;
    list_init(&p->threads);
    list_init(&p->children);
    list_init(&p->sibling_link);
    list_init(&p->waiters);
    p->pid = next_pid;
    if (new_group)
        group->leader = p->pid;
    p->uid = parent != NULL ? parent->uid : 0;
    set_name(p, args);

    uint64_t entry, stack;
    err = loader_load(p->aspace, image, args, args_length, env, env_length, &entry, &stack);
    if (err < 0) {
        log_warn("proc: cannot start %s: %s", p->name, loader_last_error());
        aspace_destroy(p->aspace);
        group_drop(group, 1);
        kfree(p);
        return err;
    }
    struct thread *t = thread_create_user(p, entry, stack, 0);
    if (t == NULL) {
        aspace_destroy(p->aspace);
        group_drop(group, 1);
        kfree(p);
        return -E_NOMEM;
    }
    next_pid++;
    live_count++;
    list_push_back(&p->threads, &t->process_link);
    list_push_back(&all_processes, &p->all_link);
    p->parent = parent;
    if (parent != NULL)
        list_push_back(&parent->children, &p->sibling_link);
    log_info("proc: started %u:%s (%zu pages)", p->pid, p->name, p->aspace->pages);
    sched_add(t);
    return p->pid;
}

void process_exit(struct process *p, int status)
{
    if (p->state == PROCESS_ZOMBIE)
        return;
    struct thread *self = sched_current();
    while (!list_empty(&p->threads)) {
        struct thread *t = container_of(list_pop_front(&p->threads), struct thread, process_link);
        ipc_thread_exit(t);
        if (t != self) {
            sched_remove(t);
            thread_free(t);
        }
        rgroup_uncharge_threads(p->group, 1);
    }
    handle_close_all(&p->handles);
    ipc_trace_set_process(p, false);
    if (p->io_bitmap != NULL) {
        gdt_forget_io_bitmap(p->io_bitmap);
        if (self->process == p)
            gdt_set_io_bitmap(NULL);
        kfree(p->io_bitmap);
        p->io_bitmap = NULL;
    }
    p->state = PROCESS_ZOMBIE;
    p->exit_status = status;
    aspace_destroy(p->aspace);
    p->aspace = NULL;
    live_count--;
    log_info("proc: %u:%s exited status=%d", p->pid, p->name, status);

    while (!list_empty(&p->children)) {
        struct process *child =
            container_of(list_first(&p->children), struct process, sibling_link);
        list_remove(&child->sibling_link);
        child->parent = NULL;
        if (child->state == PROCESS_ZOMBIE)
            process_free(child);
    }
    if (p->parent != NULL)
        sched_wake_all(&p->parent->waiters, 0);
    else
        process_free(p);

    if (self->process == p)
        sched_exit_current();
}

long process_give_handles(struct process *parent, struct process *child, const uint32_t *handles,
                          uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        long err;
        if (handle_get(&parent->handles, handles[i], 0, RIGHT_TRANSFER, &err) == NULL)
            return err;
    }
    for (uint32_t i = 0; i < count; i++)
        for (uint32_t j = 0; j < i; j++)
            if (handles[j] == handles[i])
                return -E_INVAL; /* one handle cannot move twice */
    for (uint32_t i = 0; i < count; i++)
        handle_move(&parent->handles, handles[i], &child->handles);
    return 0;
}

long process_set_uid(struct process *caller, long pid, uint32_t uid)
{
    struct process *target = pid > 0 && pid <= UINT32_MAX ? process_find((uint32_t)pid) : NULL;
    if (target == NULL || target->state == PROCESS_ZOMBIE)
        return -E_SRCH;
    if (caller->uid != 0 || target->parent != caller)
        return -E_PERM;
    target->uid = uid;
    log_info("proc: %u:%s now runs as uid %u", target->pid, target->name, uid);
    return 0;
}

long process_info(uint64_t index, struct proc_info *out)
{
    struct list_node *node;
    uint64_t i = 0;
    list_for_each(node, &all_processes)
    {
        if (i++ != index)
            continue;
        struct process *p = container_of(node, struct process, all_link);
        memset(out, 0, sizeof(*out));
        out->pid = p->pid;
        out->parent = p->parent != NULL ? p->parent->pid : 0;
        out->uid = p->uid;
        out->state = PROC_STATE_BLOCKED;
        if (p->state == PROCESS_ZOMBIE)
            out->state = PROC_STATE_ZOMBIE;
        out->priority = PRIORITY_NORMAL;
        struct list_node *tn;
        list_for_each(tn, &p->threads)
        {
            struct thread *t = container_of(tn, struct thread, process_link);
            out->threads++;
            out->priority = (uint32_t)t->priority;
            if (t->state == THREAD_RUNNABLE)
                out->state = PROC_STATE_RUNNING;
        }
        out->pages = p->aspace != NULL ? p->aspace->pages : 0;
        out->messages_sent = p->messages_sent;
        out->messages_received = p->messages_received;
        strlcpy(out->name, p->name, sizeof(out->name));
        return 0;
    }
    return -E_NOENT;
}

long process_wait(struct process *parent, long pid, int *status)
{
    for (;;) {
        bool found = false;
        struct list_node *node;
        list_for_each(node, &parent->children)
        {
            struct process *child = container_of(node, struct process, sibling_link);
            if (pid != -1 && child->pid != (uint64_t)pid)
                continue;
            found = true;
            if (child->state == PROCESS_ZOMBIE) {
                long child_pid = child->pid;
                *status = child->exit_status;
                process_free(child);
                return child_pid;
            }
        }
        if (!found)
            return -E_CHILD;
        sched_block(&parent->waiters, 0);
    }
}

bool process_may_end(const struct process *caller, const struct process *target)
{
    if (target->pid == 1)
        return false; /* init never dies */
    for (const struct process *p = target; p != NULL; p = p->parent)
        if (p == caller)
            return true; /* itself or a descendant */
    /* A session's processes end one another (orphans included); the root group's never. */
    return caller->group != rgroup_root() && rgroup_within(target->group, caller->group);
}

long process_kill(struct process *caller, long pid)
{
    if (pid <= 0 || pid > UINT32_MAX)
        return -E_SRCH;
    struct process *target = process_find((uint32_t)pid);
    if (target == NULL || target->state == PROCESS_ZOMBIE)
        return -E_SRCH;
    if (!process_may_end(caller, target))
        return -E_PERM;
    log_info("proc: %u:%s killed by %u:%s", target->pid, target->name, caller->pid, caller->name);
    process_exit(target, EXIT_STATUS_KILLED);
    return 0;
}

/* The first live process in g or a group inside it, other than `spare`. */
static struct process *live_member(const struct rgroup *g, const struct process *spare)
{
    struct list_node *node;
    list_for_each(node, &all_processes)
    {
        struct process *p = container_of(node, struct process, all_link);
        if (p != spare && p->state == PROCESS_ALIVE && p->pid != 1 && rgroup_within(p->group, g))
            return p;
    }
    return NULL;
}

long process_end_group(struct process *caller, struct rgroup *g)
{
    long ended = 0;
    struct process *p;
    /* Ending one may free others (its zombie children), so look again from the start each time. */
    while ((p = live_member(g, caller)) != NULL) {
        log_info("proc: %u:%s ended with its group by %u:%s", p->pid, p->name, caller->pid,
                 caller->name);
        process_exit(p, EXIT_STATUS_KILLED);
        ended++;
    }
    return ended;
}

void process_fault(uint64_t vector, uint64_t rip, uint64_t addr, uint64_t err, const char *why)
{
    struct process *p = process_current();
    log_warn("fault pid=%u name=%s vector=%lu rip=0x%lx addr=0x%lx err=0x%lx (%s)", p->pid, p->name,
             vector, rip, addr, err, why);
    process_exit(p, EXIT_STATUS_FAULT_BASE + (int)vector);
    __builtin_unreachable();
}
