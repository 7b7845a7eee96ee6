/*
 * Exception and interrupt dispatch.
 *
 * Vectors 0-31 are CPU exceptions. From ring 3, a page fault may just
 * be a demand page to map; any other exception kills only the faulting
 * process, with a one-line report. In the kernel, a page fault inside
 * the checked user copy is that copy's error; anything else is a bug and
 * a panic. Vectors 32 and up are device interrupts routed through
 * trap_set_handler().
 */
#include "trap.h"

#include <stddef.h>

#include "arch/cpu.h"
#include "log.h"
#include "mm/aspace.h"
#include "proc/process.h"
#include "proc/usercopy.h"
#include "panic.h"

static const char *const exception_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI interrupt",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved 15",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD error",
    "#VE virtualization",
    "#CP control protection",
    "reserved 22",
    "reserved 23",
    "reserved 24",
    "reserved 25",
    "reserved 26",
    "reserved 27",
    "#HV hypervisor injection",
    "#VC VMM communication",
    "#SX security",
    "reserved 31",
};

static trap_handler handlers[256];

void trap_set_handler(int vector, trap_handler handler)
{
    handlers[vector] = handler;
}

const char *trap_exception_name(uint64_t vector)
{
    return vector < 32 ? exception_names[vector] : "interrupt";
}

void trap_dump(const struct trap_frame *f)
{
    uint64_t cr2 = f->vector == 14 ? read_cr2() : 0;
    log_raw("exception: vector=%lu (%s) err=0x%lx rip=0x%016lx rsp=0x%016lx cr2=0x%016lx\n",
            f->vector, trap_exception_name(f->vector), f->error, f->rip, f->rsp, cr2);
    trap_dump_registers(f);
}

void trap_dump_registers(const struct trap_frame *f)
{
    log_raw("rax=0x%016lx rbx=0x%016lx rcx=0x%016lx rdx=0x%016lx\n", f->rax, f->rbx, f->rcx,
            f->rdx);
    log_raw("rsi=0x%016lx rdi=0x%016lx rbp=0x%016lx r8=0x%016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    log_raw("r9=0x%016lx r10=0x%016lx r11=0x%016lx r12=0x%016lx\n", f->r9, f->r10, f->r11, f->r12);
    log_raw("r13=0x%016lx r14=0x%016lx r15=0x%016lx rflags=0x%016lx\n", f->r13, f->r14, f->r15,
            f->rflags);
    log_raw("cs=0x%lx ss=0x%lx\n", f->cs, f->ss);
}

static void user_exception(struct trap_frame *frame)
{
    struct process *p = process_current();
    uint64_t addr = frame->vector == 14 ? read_cr2() : 0;
    const char *why = trap_exception_name(frame->vector);
    if (frame->vector == 14 && aspace_fault(p->aspace, addr, frame->error, &why) == 0)
        return;
    process_fault(frame->vector, frame->rip, addr, frame->error, why);
}

static void dispatch(struct trap_frame *frame)
{
    if (frame->vector < 32 && (frame->cs & 3) == 3) {
        user_exception(frame);
        return;
    }
    if (frame->vector < 32) {
        if (frame->vector == 14 && usercopy_handle_fault(frame, read_cr2()))
            return;
        trap_dump(frame);
        panic_with_frame(frame, "unhandled %s in kernel mode at 0x%lx",
                         trap_exception_name(frame->vector), frame->rip);
    }
    if (handlers[frame->vector] != NULL) {
        handlers[frame->vector](frame);
        return;
    }
    if (frame->vector != VECTOR_SPURIOUS)
        log_warn("trap: unexpected interrupt vector %lu", frame->vector);
}

/* A frame that goes back to ring 3 leaves with user-safe flags (rflags_for_user). */
void trap_dispatch(struct trap_frame *frame)
{
    dispatch(frame);
    if ((frame->cs & 3) == 3)
        frame->rflags = rflags_for_user(frame->rflags);
}
