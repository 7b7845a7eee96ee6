/*
 * The scheduler: preemptive, round robin within a priority level, two
 * levels (drivers above ordinary programs). One CPU; the kernel itself is
 * not preemptible (interrupts are off in kernel mode), so scheduler state
 * needs no locks.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include <stdint.h>

#include "lib/list.h"
#include "sched/thread.h"

/* Turns the boot context into the idle thread; call once, before sched_add(). */
void sched_init(void);

/* The running thread; inline because every system call asks. */
extern struct thread *sched_running;

static inline struct thread *sched_current(void)
{
    return sched_running;
}

/* Makes a new or woken thread runnable. */
void sched_add(struct thread *t);

/* Gives up the CPU; the current thread stays runnable. */
void sched_yield(void);

/*
 * Blocks the current thread on `queue` (NULL: on nothing) until
 * sched_wake_one/all or, if deadline_ns is not 0, until that time.
 * Returns the thread's wait_result (set by the waker; -E_TIMEOUT on timeout).
 */
long sched_block(struct list_node *queue, uint64_t deadline_ns);

/*
 * sched_block, but runs `next` (blocked, about to be woken with
 * next_result) at once instead of going through the run queue: the IPC
 * hand-off from a caller to its server and back. Falls back to a plain
 * wake and block when a thread of higher priority than `next` is waiting.
 */
long sched_block_handoff(struct list_node *queue, uint64_t deadline_ns, struct thread *next,
                         long next_result);

/* Whether sched_block_handoff() would hand the CPU straight to `next`. */
bool sched_handoff_allowed(const struct thread *next);

/*
 * The IPC fast path's hand-off: false, having done nothing, unless
 * sched_handoff_allowed(next). Otherwise it blocks the current thread on `queue` (may be NULL)
 * without a deadline and makes `next` the running thread (its address space, kernel stack and FPU
 * state) with wait_result 0, but leaves the stacks alone: arch/syscall.asm saves the old thread's
 * registers and returns to ring 3 as `next` (see ipc/fastpath.c).
 */
bool sched_handoff_direct(struct list_node *queue, struct thread *next);

/* Wakes a thread blocked in sched_block, with `result` as its return value. */
void sched_wake(struct thread *t, long result);
void sched_wake_all(struct list_node *queue, long result);

/* Sleeps the current thread until monotonic time `ns`. */
void sched_sleep_until(uint64_t ns);

/* Marks the current thread dead and switches away for good. */
__attribute__((noreturn)) void sched_exit_current(void);

/* Takes a thread that is not running off whatever queue it is on and marks it dead. */
void sched_remove(struct thread *t);

/*
 * After an interrupt woke someone: switches now if a thread of higher
 * priority than the running one (any thread, when the CPU was idle) is
 * runnable, instead of at the next tick. Without it a driver woken from
 * idle would wait up to a whole tick (10 ms) for its interrupt.
 */
void sched_preempt(void);

/* Timer tick: wakes sleepers and preempts the running thread. */
void sched_tick(void);

/* Called on the new stack after every switch (and by a new thread's first run). */
void sched_finish_switch(void);

/* TSC ticks spent in the idle thread since boot (halted, waiting for an interrupt). */
uint64_t sched_idle_tsc(void);

#endif
