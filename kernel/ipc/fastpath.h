/*
 * The IPC fast path (ipc/fastpath.c): the common call and reply-receive,
 * from the syscall entry to sysret without the general trap frame.
 */
#ifndef IPC_FASTPATH_H
#define IPC_FASTPATH_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What arch/syscall.asm saves on the kernel stack before calling in,
 * lowest address first: the IPC argument registers of parley/ipc.h, what
 * sysret needs, and the system-call number, which becomes the result.
 * A delivered message is written over the first six, as the general path
 * does; on an error they go back as they came.
 */
struct fast_frame {
    uint64_t rdi, rsi, rdx, r10, r8, r9, r12, r13;
    uint64_t rip, rflags, rsp; /* the user's rcx, r11 and rsp at `syscall` */
    uint64_t rax;              /* in: the call number; out: the result */
};

/*
 * What the fast path tells the assembly: the stack to switch to (a
 * thread's saved_rsp, as context_switch leaves it) and where to store
 * the stack of the thread that blocks; or next_rsp = FASTPATH_SLOW:
 * nothing was done, take the general path.
 */
struct fast_switch {
    uint64_t next_rsp;
    uint64_t *save_rsp;
};

#define FASTPATH_SLOW 1

struct fast_switch fastpath_call(struct fast_frame *f);
struct fast_switch fastpath_reply_receive(struct fast_frame *f);

/* A thread that blocked in the fast path and was woken by the general path: its result. */
void fastpath_resume(struct fast_frame *f);

/* Off with ipc=slow on the kernel command line (for comparing the paths). */
void fastpath_set_enabled(bool on);

/* How many operations the fast path has completed since boot (SYS_SYSINFO). */
uint64_t fastpath_count(void);

#endif
