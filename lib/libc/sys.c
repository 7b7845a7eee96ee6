/*
 * The system-call wrappers of <parley/sys.h>, the clock, and the platform
 * hooks of libc.h as Parley provides them.
 *
 * Each wrapper only casts its arguments to long for sys_call6; the kernel
 * checks them. Pointers and sizes fit a long on x86-64, and user addresses
 * lie below 2^47, so an address returned as a long is never negative.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <parley/sys.h>

#include "libc.h"

long sys_null(void)
{
    return sys_call6(SYS_NULL, 0, 0, 0, 0, 0, 0);
}

long sys_log(const char *text, size_t len)
{
    return sys_call6(SYS_LOG, (long)text, (long)len, 0, 0, 0, 0);
}

_Noreturn void sys_exit(int status)
{
    sys_call6(SYS_EXIT, status, 0, 0, 0, 0, 0);
    /* Unreachable unless the kernel refused: fault so it ends us anyway. */
    __builtin_trap();
}

long sys_yield(void)
{
    return sys_call6(SYS_YIELD, 0, 0, 0, 0, 0, 0);
}

long sys_sleep(uint64_t ns)
{
    return sys_call6(SYS_SLEEP, (long)ns, 0, 0, 0, 0, 0);
}

long sys_getpid(void)
{
    return sys_call6(SYS_GETPID, 0, 0, 0, 0, 0, 0);
}

long sys_spawn(const void *elf, size_t len, const char *const argv[])
{
    return sys_spawn_handles(elf, len, argv, NULL, 0);
}

long sys_spawn_handles(const void *elf, size_t len, const char *const argv[],
                       const uint32_t *handles, uint32_t count)
{
    return sys_spawn_flags(elf, len, argv, handles, count, 0);
}

long sys_spawn_flags(const void *elf, size_t len, const char *const argv[], const uint32_t *handles,
                     uint32_t count, uint64_t flags)
{
    return sys_call6(SYS_SPAWN, (long)elf, (long)len, (long)argv, (long)handles, (long)count,
                     (long)flags);
}

long sys_wait(long pid, int *status)
{
    return sys_call6(SYS_WAIT, pid, (long)status, 0, 0, 0, 0);
}

long sys_kill(long pid)
{
    return sys_call6(SYS_KILL, pid, 0, 0, 0, 0, 0);
}

long sys_vm_reserve(size_t len, int prot)
{
    return sys_call6(SYS_VM_RESERVE, (long)len, prot, 0, 0, 0, 0);
}

long sys_vm_release(void *addr, size_t len)
{
    return sys_call6(SYS_VM_RELEASE, (long)addr, (long)len, 0, 0, 0, 0);
}

long sys_vm_commit(void *addr, size_t len)
{
    return sys_call6(SYS_VM_COMMIT, (long)addr, (long)len, 0, 0, 0, 0);
}

long vm_region_new(size_t len)
{
    long addr = sys_vm_reserve(len, VM_READ | VM_WRITE);
    if (addr < 0)
        return addr;
    size_t size = (len + 4095) & ~(size_t)4095;
    if (!malloc_arena_commit((void *)addr, size)) {
        sys_vm_release((void *)addr, size);
        return -E_NOMEM;
    }
    return addr;
}

long sys_thread_create(void (*entry)(void *), void *stack_top, void *arg)
{
    return sys_call6(SYS_THREAD_CREATE, (long)entry, (long)stack_top, (long)arg, 0, 0, 0);
}

_Noreturn void sys_thread_exit(void)
{
    sys_call6(SYS_THREAD_EXIT, 0, 0, 0, 0, 0, 0);
    __builtin_trap();
}

long sys_sysinfo(struct sysinfo *info)
{
    return sys_call6(SYS_SYSINFO, (long)info, 0, 0, 0, 0, 0);
}

uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/*
 * A seqlock read: copy the fields, then retry if the kernel was in the
 * middle of an update (odd sequence) or finished one meanwhile (sequence
 * changed). x86 does not reorder loads with loads, so the acquire fences
 * only have to stop the compiler from moving the copies out of the loop.
 *
 * The TSC delta times 10^9 overflows 64 bits after a few seconds at GHz
 * rates, so the product is taken in 128 bits.
 */
uint64_t time_now_ns(void)
{
    const struct time_page *page = (const struct time_page *)TIME_PAGE_ADDRESS;
    uint64_t seq, base_tsc, base_ns, hz, now;

    for (;;) {
        seq = page->sequence;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        base_tsc = page->base_tsc;
        base_ns = page->base_ns;
        hz = page->tsc_hz;
        now = rdtsc();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((seq & 1) == 0 && page->sequence == seq)
            break;
        __asm__ volatile("pause"); /* the kernel's update takes nanoseconds */
    }

    /* A TSC slightly behind base_tsc (another CPU's count) reads as no time passed. */
    if (hz == 0 || now <= base_tsc)
        return base_ns;
    return base_ns + (uint64_t)((unsigned __int128)(now - base_tsc) * 1000000000u / hz);
}

/* --- hooks for the rest of the library (libc.h) --- */

void *malloc_arena_reserve(size_t len)
{
    long addr = sys_vm_reserve(len, VM_READ | VM_WRITE);

    return addr < 0 ? NULL : (void *)addr;
}

bool malloc_arena_commit(void *start, size_t len)
{
    for (char *p = start; len > 0;) {
        size_t step = len < VM_COMMIT_MAX ? len : VM_COMMIT_MAX;
        if (sys_vm_commit(p, step) < 0)
            return false;
        p += step;
        len -= step;
    }
    return true;
}

void malloc_arena_release(void *start, size_t len)
{
    sys_vm_release(start, len);
}

long sys_cap_derive(uint32_t handle, uint64_t base, uint64_t length)
{
    return sys_call6(SYS_CAP_DERIVE, handle, (long)base, (long)length, 0, 0, 0);
}

long sys_ioport_enable(uint32_t ioports)
{
    return sys_call6(SYS_IOPORT_ENABLE, ioports, 0, 0, 0, 0, 0);
}

long sys_irq_bind(uint32_t irq, uint32_t endpoint, uint64_t bits)
{
    return sys_call6(SYS_IRQ_BIND, irq, endpoint, (long)bits, 0, 0, 0);
}

long sys_irq_ack(uint32_t irq)
{
    return sys_call6(SYS_IRQ_ACK, irq, 0, 0, 0, 0, 0);
}

long sys_phys_map(uint32_t phys)
{
    return sys_call6(SYS_PHYS_MAP, phys, 0, 0, 0, 0, 0);
}

long sys_dma_alloc(uint32_t dma, uint64_t pages, uint64_t *phys)
{
    return sys_call6(SYS_DMA_ALLOC, dma, (long)pages, (long)phys, 0, 0, 0);
}

long sys_random(void *buf, size_t len)
{
    return sys_call6(SYS_RANDOM, (long)buf, (long)len, 0, 0, 0, 0);
}

long sys_set_uid(long pid, uint32_t uid)
{
    return sys_call6(SYS_SET_UID, pid, uid, 0, 0, 0, 0);
}

long sys_proc_handle(long pid)
{
    return sys_call6(SYS_PROC_HANDLE, pid, 0, 0, 0, 0, 0);
}

long sys_group_limit(uint32_t kind, uint64_t max)
{
    return sys_call6(SYS_GROUP_LIMIT, (long)kind, (long)max, 0, 0, 0, 0);
}

long sys_proc_end(uint32_t handle, uint64_t flags)
{
    return sys_call6(SYS_PROC_END, (long)handle, (long)flags, 0, 0, 0, 0);
}

long sys_proc_info(uint64_t index, struct proc_info *info)
{
    return sys_call6(SYS_PROC_INFO, (long)index, (long)info, 0, 0, 0, 0);
}

void malloc_corrupt(const char *why, void *ptr)
{
    printf("malloc: %s (%p)\n", why, ptr);
    abort();
}

void libc_yield(void)
{
    sys_yield();
}
