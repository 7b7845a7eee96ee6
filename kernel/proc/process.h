/*
 * Processes: an address space, its threads, and a place in the family
 * tree (parent, children) so that a parent can wait for a child's exit
 * status. A process lives until its last thread exits or it is killed;
 * it then becomes a zombie holding only its exit status until its parent
 * collects it with process_wait (or at once, if the parent is gone).
 */
#ifndef PROC_PROCESS_H
#define PROC_PROCESS_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include <parley/syscall.h>

#include "ipc/handle.h"
#include "lib/list.h"
#include "sched/sched.h"

struct aspace;
struct rgroup;
struct thread;

#define PROCESS_NAME_MAX 32
#define EXIT_STATUS_FAULT_BASE 128 /* killed by CPU exception n: status 128 + n */
#define EXIT_STATUS_KILLED 137     /* killed by SYS_KILL (128 + 9, as in Unix shells) */

enum process_state { PROCESS_ALIVE, PROCESS_ZOMBIE };

struct process {
    uint32_t pid;
    char name[PROCESS_NAME_MAX];
    enum process_state state;
    int exit_status;
    struct aspace *aspace;
    struct process *parent;
    struct list_node threads;  /* struct thread.process_link */
    struct list_node children; /* struct process.sibling_link */
    struct list_node sibling_link;
    struct list_node all_link;
    struct list_node waiters; /* threads blocked in process_wait */
    struct handle_table handles;
    bool traced;          /* IPC trace on for this process */
    uint32_t uid;         /* the user it runs for: inherited, set by a uid-0 parent */
    uint8_t *io_bitmap;   /* ports it may use (bit clear = allowed), or NULL for none */
    struct rgroup *group; /* what it and its address space are charged to (rgroup.h) */
    uint64_t group_limits[GROUP_KINDS]; /* for the groups it makes (SYS_GROUP_LIMIT); 0: default */
    /* Messages delivered from and to it (sends, calls, replies), for SYS_PROC_INFO. */
    uint64_t messages_sent, messages_received;
};

/* Where an executable image comes from: kernel memory or a user buffer. */
struct image_source {
    const uint8_t *kernel_data; /* non-NULL: the image is in kernel memory */
    uint64_t user_address;      /* otherwise: in the calling process's memory */
    uint64_t size;
};

/*
 * Creates a process from an ELF image, with argv (`argc` strings, copied
 * from the kernel buffer `args`, NUL-separated, `args_length` bytes) and
 * environment `env` (same form, may be empty). Its first thread is
 * runnable when this returns. It joins the parent's resource group, or
 * with new_group a new session group inside it (rgroup.h); -E_QUOTA when
 * that group has no room for a process. Returns the new pid or a
 * negative error.
 */
long process_spawn(const struct image_source *image, const char *args, size_t args_length,
                   const char *env, size_t env_length, struct process *parent, bool new_group);

/*
 * Moves handles (numbers in the parent's table) into the child as
 * 1..count, each needing RIGHT_TRANSFER. Checks all before moving any.
 */
long process_give_handles(struct process *parent, struct process *child, const uint32_t *handles,
                          uint32_t count);

/* The running thread's process (NULL for kernel threads). */
#define process_current() (sched_current()->process)
struct process *process_find(uint32_t pid);

/* Sets the priority of every thread of a process that has not run yet (spawn). */
void process_set_priority(struct process *p, int priority);
size_t process_count(void);

/* Ends `p` with `status`: every thread dies, memory is freed, the parent is told. */
void process_exit(struct process *p, int status);

/* Sets the uid of `pid`, a child of `caller`, which must run as uid 0. */
long process_set_uid(struct process *caller, long pid, uint32_t uid);

/* Describes the index-th process (0-based, in pid order); -E_NOENT past the end. */
struct proc_info;
long process_info(uint64_t index, struct proc_info *out);

/* Waits for child `pid` (-1: any) to end; returns its pid and stores its status. */
long process_wait(struct process *parent, long pid, int *status);

/*
 * May `caller` end `target`? Itself and its descendants, always; and
 * when the caller is in a session (a resource group other than the
 * root), every process of that session and of groups inside it. Never
 * init. No uid, root's included, gives more: ending a service needs a
 * process handle that init grants (proccap.c).
 */
bool process_may_end(const struct process *caller, const struct process *target);

/* Kills `pid` (status 137) if process_may_end allows it: -E_SRCH, -E_PERM. */
long process_kill(struct process *caller, long pid);

/* Ends every live process of g and of the groups inside it but `caller`; returns how many. */
long process_end_group(struct process *caller, struct rgroup *g);

/* Reports a fatal user-mode exception on serial and kills the current process. */
__attribute__((noreturn)) void process_fault(uint64_t vector, uint64_t rip, uint64_t addr,
                                             uint64_t err, const char *why);

#endif
