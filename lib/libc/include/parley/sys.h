/*
 * System calls from C: one typed function per call in <parley/syscall.h>,
 * all built on sys_call6, plus the clock read from the time page.
 *
 * Every call returns what the kernel put in rax: zero or a positive value
 * on success, a negative code from <parley/errors.h> on failure (there is
 * no errno). error_string() or strerror() turns a code into a message.
 */
#ifndef PARLEY_SYS_H
#define PARLEY_SYS_H

#include <stddef.h>
#include <stdint.h>

#include <parley/errors.h>
#include <parley/syscall.h>

/*
 * The raw system call: number in rax, arguments in rdi, rsi, rdx, r10, r8,
 * r9; the `syscall` instruction itself overwrites rcx and r11. The
 * argument registers are declared as possibly changed so nothing here
 * depends on the kernel preserving them.
 */
static inline long sys_call6(long number, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long r10 __asm__("r10") = a3;
    register long r8 __asm__("r8") = a4;
    register long r9 __asm__("r9") = a5;
    long ret = number;

    __asm__ volatile("syscall"
                     : "+a"(ret), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8), "+r"(r9)
                     :
                     : "rcx", "r11", "memory");
    return ret;
}

/* Does nothing; for measuring the cost of a system call. */
long sys_null(void);

/* Writes one line (len bytes, at most LOG_MAX_LENGTH, no '\n') to the kernel log. */
long sys_log(const char *text, size_t len);

/* Ends the calling process with the given status. */
_Noreturn void sys_exit(int status);

/* Gives the rest of this time slice to another thread. */
long sys_yield(void);

/* Sleeps for at least ns nanoseconds. */
long sys_sleep(uint64_t ns);

/* Returns the calling process's id. */
long sys_getpid(void);

/*
 * Starts a new process from an ELF image in memory (len bytes) with the
 * NULL-terminated argument list argv; returns its pid. The kernel copies
 * both before returning, so the caller may reuse them at once.
 */
long sys_spawn(const void *elf, size_t len, const char *const argv[]);

/*
 * sys_spawn, also moving `count` handles (each needs RIGHT_TRANSFER) to
 * the child, which sees them as handles 1..count in this order; the caller
 * no longer has them.
 */
long sys_spawn_handles(const void *elf, size_t len, const char *const argv[],
                       const uint32_t *handles, uint32_t count);

/*
 * sys_spawn_handles with SPAWN_* flags, e.g. SPAWN_DRIVER_PRIORITY; with
 * SPAWN_ENV, argv's NULL is followed by the environment strings and a
 * second NULL.
 */
long sys_spawn_flags(const void *elf, size_t len, const char *const argv[],
                     const uint32_t *handles, uint32_t count, uint64_t flags);

/*
 * Waits for the child pid (or any child, for pid -1) to exit; stores its
 * exit status in *status when status is not NULL and returns its pid.
 */
long sys_wait(long pid, int *status);

/* Ends the process pid. */
long sys_kill(long pid);

/*
 * Reserves len bytes of zero-filled, demand-paged address space with the
 * VM_READ / VM_WRITE bits in prot; returns its address, or a negative code.
 */
long sys_vm_reserve(size_t len, int prot);

/* Gives back [addr, addr + len) from an earlier reservation. */
long sys_vm_release(void *addr, size_t len);

/*
 * Makes the pages of [addr, addr + len) (within one reservation, at most
 * VM_COMMIT_MAX bytes) present now; -E_NOMEM when memory has run out,
 * which touching them would instead have answered by ending the process.
 */
long sys_vm_commit(void *addr, size_t len);

/*
 * A read-write region of len bytes (rounded up to pages) with every page
 * present now: its address, or -E_NOMEM (nothing kept) when memory has
 * run out. For a buffer filled at once, as a server's reply region is,
 * so that a full machine is an error to answer rather than a fault that
 * ends the server.
 */
long vm_region_new(size_t len);

/*
 * Starts a thread in this process running entry(arg) on the stack whose
 * (16-byte aligned) top is stack_top; returns its thread id. entry must
 * end with sys_thread_exit(), never return.
 */
long sys_thread_create(void (*entry)(void *), void *stack_top, void *arg);

/* Ends the calling thread; the process ends with its last thread. */
_Noreturn void sys_thread_exit(void);

/* Fills *info with memory, process and clock figures. */
long sys_sysinfo(struct sysinfo *info);

/*
 * Hardware capabilities (docs/ipc.md). sys_cap_derive makes a handle to a
 * sub-range [base, base + length) of a port, IRQ or physical-memory
 * capability, or a DMA budget of `length` pages.
 */
long sys_cap_derive(uint32_t handle, uint64_t base, uint64_t length);
long sys_ioport_enable(uint32_t ioports);
long sys_irq_bind(uint32_t irq, uint32_t endpoint, uint64_t bits);
long sys_irq_ack(uint32_t irq);
long sys_phys_map(uint32_t phys);
long sys_dma_alloc(uint32_t dma, uint64_t pages, uint64_t *phys);

/* Sets the uid of a child (the caller must run as uid 0). */
long sys_set_uid(long pid, uint32_t uid);

/* A process handle for pid (one the caller may end itself): see SYS_PROC_HANDLE. */
long sys_proc_handle(long pid);

/*
 * Sets the limit of kind (GROUP_PROCESSES, _THREADS, _PAGES, _AREAS) for
 * the resource groups this process makes from now on (SPAWN_GROUP); 0
 * goes back to the session default. See SYS_GROUP_LIMIT.
 */
long sys_group_limit(uint32_t kind, uint64_t max);

/* Ends the handle's process, or with PROC_END_GROUP every process of the group it leads. */
long sys_proc_end(uint32_t handle, uint64_t flags);

/* Describes the index-th process; -E_NOENT past the last (for ps). */
long sys_proc_info(uint64_t index, struct proc_info *info);

/* Fills buf with len (<= 256) random bytes from the kernel: seed material. */
long sys_random(void *buf, size_t len);

/* Reads the CPU's time-stamp counter. */
uint64_t rdtsc(void);

/*
 * Monotonic time in nanoseconds since boot, from the kernel's time page
 * and the TSC, without a system call.
 */
uint64_t time_now_ns(void);

#endif
