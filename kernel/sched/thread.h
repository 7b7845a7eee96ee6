/*
 * Threads: the unit the scheduler runs. A thread has a kernel stack, a
 * saved kernel stack pointer while it is not running, and, for user
 * threads, a process and an FPU/SSE save area (user code may use them;
 * the kernel never does, so the state only moves at thread switches).
 */
#ifndef SCHED_THREAD_H
#define SCHED_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include <parley/ipc.h>

#include "lib/list.h"

struct process;

/* A message inside the kernel: queued by a sender, or delivered to a receiver. */
struct ipc_message {
    uint64_t tag;
    uint64_t words[4];
    uint32_t handles[IPC_MAX_HANDLES]; /* sender's numbers, or the receiver's new ones */
    uint32_t handle_count;
    uint32_t copy_flags;
    uint64_t mem; /* region start (sender's, or where it landed) */
    uint64_t mem_length;
    uint32_t peer_pid; /* on delivery: who sent it */
    uint32_t badge;    /* the badge of the sender's handle */
};

struct reply_cap;
struct fast_frame;

#define KERNEL_STACK_PAGES 4
#define PRIORITY_DRIVER 0 /* runs before anything at PRIORITY_NORMAL */
#define PRIORITY_NORMAL 1
#define PRIORITY_LEVELS 2

enum thread_state {
    THREAD_RUNNABLE, /* on a run queue, or running */
    THREAD_BLOCKED,  /* waiting for a wake-up or its deadline (wake_ns) */
    THREAD_DEAD,     /* finished; stack freed after the switch away */
};

struct thread {
    uint64_t saved_rsp; /* must stay first: switch.asm stores here */
    uint64_t stack_phys;
    uint64_t stack_top;      /* kernel virtual address of the stack's top */
    struct process *process; /* NULL for kernel threads */
    uint32_t tid;
    int priority;
    enum thread_state state;
    uint64_t wake_ns;
    long wait_result;            /* set by whoever wakes a blocked thread */
    struct list_node sched_link; /* run queue or the queue it waits on */
    struct list_node sleep_link; /* the sleep list, while it has a deadline */
    struct list_node process_link;
    /* IPC state (kernel/ipc/endpoint.c). */
    struct ipc_message ipc_out;  /* the message waiting in a send queue */
    struct ipc_message ipc_in;   /* the message delivered to this thread */
    bool ipc_is_call;            /* ipc_out is a call: wait for the reply */
    bool ipc_accepts_extra;      /* the thread can take handles and memory */
    uint64_t ipc_mem_max;        /* and regions of at most this many bytes (0: any) */
    struct thread *reply_to;     /* server: the caller waiting for our reply */
    struct thread *reply_from;   /* caller: the server thread holding our reply */
    struct reply_cap *reply_cap; /* caller: or the saved reply handle holding it */
    uint64_t call_id;            /* pairs a call with its reply in the trace */
    uint32_t call_endpoint;      /* the endpoint of that call, for the reply's trace line */
    struct fast_frame *fast_frame; /* while blocked in the IPC fast path: its saved registers */
    int fast_op;                   /* and which operation blocked there (ipc/fastpath.c) */
    uint8_t fpu_state[512] __attribute__((aligned(16)));
};

/*
 * Creates a user thread of `process` that will enter ring 3 at `rip`
 * with stack `rsp` and `arg` in rdi. It is not runnable until sched_add().
 */
struct thread *thread_create_user(struct process *process, uint64_t rip, uint64_t rsp,
                                  uint64_t arg);

/* Frees a dead thread's stack and structure; never the running thread. */
void thread_free(struct thread *t);

/* User threads that exist (created, not yet freed), for SYS_SYSINFO. */
uint64_t thread_count(void);

/* Called once at boot: the clean FPU state every new user thread starts with. */
void thread_fpu_init(void);

#endif
