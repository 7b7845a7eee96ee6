/*
 * Per-CPU area and syscall setup (one CPU for now).
 *
 * In kernel mode GS_BASE points at `percpu`; in user mode the user's
 * value is in GS_BASE and ours waits in KERNEL_GS_BASE; swapgs on every
 * kernel entry and exit from ring 3 exchanges the two.
 *
 * STAR holds the selector bases for syscall (kernel CS = 0x08, SS = 0x10)
 * and sysret (base 0x10: SS = 0x18|3, CS = 0x20|3, see gdt.h).
 *
 * FMASK lists the RFLAGS bits `syscall` clears on entry; the rest of the
 * user's flags would stay in force in ring 0. We clear what Linux clears:
 * IF (no interrupts until the kernel is on its own stack), TF (no single
 * step through the kernel), DF (the C ABI wants it clear), AC, IOPL, NT
 * (with NT set, the next iretq of any thread is a #GP in ring 0), RF, ID
 * and the arithmetic flags. The user's flags come back from r11 at sysret,
 * cleaned by rflags_for_user() (trap.h).
 */
#include "arch/percpu.h"

#include "arch/cpu.h"
#include "arch/gdt.h"
#include "trap.h"

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
    wrmsr(MSR_FMASK, RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_TF |
                         RFLAGS_IF | RFLAGS_DF | RFLAGS_OF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_RF |
                         RFLAGS_AC | RFLAGS_ID);
}
