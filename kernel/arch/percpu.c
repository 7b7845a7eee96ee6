/*
 * Per-CPU area and syscall setup (one CPU for now).
 *
 * In kernel mode GS_BASE points at `percpu`; in user mode the user's
 * value is in GS_BASE and ours waits in KERNEL_GS_BASE; swapgs on every
 * kernel entry and exit from ring 3 exchanges the two.
 *
 * STAR holds the selector bases for syscall (kernel CS = 0x08, SS = 0x10)
 * and sysret (base 0x10: SS = 0x18|3, CS = 0x20|3, see gdt.h). FMASK
 * clears IF, DF, TF and AC on entry.
 */
#include "arch/percpu.h"

#include "arch/cpu.h"
#include "arch/gdt.h"

#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_FMASK 0xC0000084
#define MSR_GS_BASE 0xC0000101
#define MSR_KERNEL_GS_BASE 0xC0000102
#define EFER_SCE (1ull << 0)

extern void syscall_entry(void);

struct percpu percpu;

void percpu_init(void)
{
    wrmsr(MSR_GS_BASE, (uint64_t)&percpu);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, (1u << 9) | (1u << 10) | (1u << 8) | (1u << 18));
}
