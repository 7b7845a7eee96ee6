/*
 * The system-call ABI, shared by the kernel and the user runtime.
 *
 * A user thread executes `syscall` with the call number in rax and up to
 * six arguments in rdi, rsi, rdx, r10, r8, r9 (rcx and r11 are clobbered
 * by the instruction itself). The result comes back in rax: zero or a
 * positive value on success, a negative code from parley/errors.h on
 * failure. docs/syscalls.md describes every call.
 */
#ifndef PARLEY_SYSCALL_H
#define PARLEY_SYSCALL_H

#include <stdint.h>

#define SYS_NULL 0           /* () -> 0: does nothing; for benchmarks */
#define SYS_LOG 1            /* (text, length) -> 0: one line to the kernel log */
#define SYS_EXIT 2           /* (status) -> does not return */
#define SYS_YIELD 3          /* () -> 0 */
#define SYS_SLEEP 4          /* (nanoseconds) -> 0 */
#define SYS_GETPID 5         /* () -> pid */
#define SYS_SPAWN 6          /* (elf, elf_length, argv, handles, handle_count, flags) -> pid */
#define SYS_WAIT 7           /* (pid or -1, &status) -> pid */
#define SYS_KILL 8           /* (pid) -> 0 */
#define SYS_VM_RESERVE 9     /* (length, prot) -> address */
#define SYS_VM_RELEASE 10    /* (address, length) -> 0 */
#define SYS_THREAD_CREATE 11 /* (entry, stack_top, argument) -> thread id */
#define SYS_THREAD_EXIT 12   /* () -> does not return */
#define SYS_SYSINFO 13       /* (struct sysinfo *) -> 0 */
#define SYS_IPC_SEND 14      /* see parley/ipc.h for the register layout of the IPC calls */
#define SYS_IPC_RECEIVE 15
#define SYS_IPC_CALL 16
#define SYS_IPC_REPLY 17
#define SYS_IPC_REPLY_RECEIVE 18
#define SYS_ENDPOINT_CREATE 19 /* () -> handle with RIGHTS_ALL */
#define SYS_HANDLE_DUP 20      /* (handle, rights) -> new handle with rights (a subset) */
#define SYS_HANDLE_CLOSE 21    /* (handle) -> 0 */
#define SYS_HANDLE_INFO 22     /* (handle) -> type << 32 | rights */
#define SYS_TRACE_SET 23       /* (trace handle, pid or 0 for all, on) -> 0 */
#define SYS_CAP_DERIVE 24      /* (hardware handle, base, length) -> handle to a sub-range */
#define SYS_IOPORT_ENABLE 25   /* (ioports handle) -> 0: its ports now work in ring 3 */
#define SYS_IRQ_BIND 26        /* (irq handle, endpoint handle, bits) -> 0 */
#define SYS_IRQ_ACK 27         /* (irq handle) -> 0: unmask the line again */
#define SYS_PHYS_MAP 28        /* (phys handle) -> address of the mapped range */
#define SYS_DMA_ALLOC 29       /* (dma handle, pages, uint64_t *phys) -> address */
#define SYS_HANDLE_MINT 30     /* (handle, rights, badge) -> new badged handle */
#define SYS_REPLY_SAVE 31      /* () -> handle to answer the last call later */
#define SYS_RANDOM 32          /* (buffer, length <= 256) -> 0: random bytes (seed material) */
#define SYS_SET_UID 33         /* (pid of a child, uid) -> 0: only a uid-0 parent */
#define SYS_PROC_INFO 34       /* (index, struct proc_info *) -> 0, -E_NOENT past the last */
#define SYS_PROC_HANDLE 35     /* (pid) -> handle that may end it: only for what the caller may end */
#define SYS_PROC_END 36        /* (process handle, flags) -> 0, or with PROC_END_GROUP: how many */
#define SYS_VM_COMMIT 37      /* (address, length) -> 0: its pages present now, or -E_NOMEM */
#define SYS_GROUP_LIMIT 38    /* (kind, max) -> 0: the limit of groups the caller makes from now */
#define SYS_COUNT 39

/* What SYS_GROUP_LIMIT limits: a group's processes, threads, pages (4 KiB) and areas. */
#define GROUP_PROCESSES 0
#define GROUP_THREADS 1
#define GROUP_PAGES 2
#define GROUP_AREAS 3
#define GROUP_KINDS 4

#define PROC_END_GROUP 1u /* end every process of the group the handle's process leads */

/* Protection bits for SYS_VM_RESERVE. */
#define VM_READ 1
#define VM_WRITE 2

/* SYS_VM_COMMIT takes at most this many bytes a call. */
#define VM_COMMIT_MAX (16u << 20)

/* Limits the kernel enforces on SYS_SPAWN arguments. */
#define SPAWN_MAX_ARGS 32
#define SPAWN_MAX_ARG_BYTES 4096
#define SPAWN_MAX_IMAGE (64u << 20)
#define SPAWN_MAX_HANDLES 16 /* moved into the child as handles 1..n, in order */

/* SYS_SPAWN flags. */
#define SPAWN_DRIVER_PRIORITY 1u /* run above ordinary programs (init and drivers only) */
#define SPAWN_ENV 2u /* argv's NULL is followed by environment strings and a second NULL */
#define SPAWN_UID 4u /* the child runs as the uid in the flags' high 32 bits (caller: uid 0) */
#define SPAWN_AS_UID(uid) (SPAWN_UID | (uint64_t)(uid) << 32)
#define SPAWN_GROUP 8u /* the child starts a new resource group with a session's limits */

/* SYS_LOG writes at most this many bytes per call. */
#define LOG_MAX_LENGTH 512

struct sysinfo {
    uint64_t frames_total; /* usable 4 KiB frames */
    uint64_t frames_free;
    uint64_t uptime_ns;
    uint64_t processes;
    uint64_t tsc_hz;
    uint64_t idle_tsc; /* TSC ticks the CPU spent idle since boot; busy = rdtsc() - idle_tsc */
    uint64_t threads;  /* user threads that exist */
    /* Kernel heap objects (threads, endpoints, handles' objects, areas, ...) and their bytes. */
    uint64_t kernel_allocations;
    uint64_t kernel_bytes;
    uint64_t ipc_fast; /* IPC operations the kernel's fast path completed since boot */
};

/* One process, as SYS_PROC_INFO reports it (for ps). */
#define PROC_STATE_RUNNING 0 /* at least one thread runnable or running */
#define PROC_STATE_BLOCKED 1 /* every thread waiting */
#define PROC_STATE_ZOMBIE 2  /* ended, waiting for its parent to collect the status */

struct proc_info {
    uint32_t pid;
    uint32_t parent; /* 0: none */
    uint32_t uid;
    uint32_t state;
    uint32_t threads;
    uint32_t priority;          /* 0 = driver, 1 = normal */
    uint64_t pages;             /* memory it owns, in 4 KiB pages */
    uint64_t messages_sent;     /* messages it delivered since it started (replies too) */
    uint64_t messages_received; /* messages delivered to it (notifications not counted) */
    char name[32];
};

/*
 * The time page: mapped read-only at TIME_PAGE_ADDRESS in every process.
 * The kernel bumps `sequence` to odd before it updates the other fields
 * and to even after; a reader retries while the sequence is odd or
 * changed under it. Monotonic time in nanoseconds is then
 *   base_ns + (rdtsc() - base_tsc) * 1e9 / tsc_hz.
 */
#define TIME_PAGE_ADDRESS 0x00007FFF00000000ull

struct time_page {
    volatile uint64_t sequence;
    volatile uint64_t base_tsc;
    volatile uint64_t base_ns;
    volatile uint64_t tsc_hz;
};

#endif
