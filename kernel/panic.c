/*
 * The panic path. It must work from any state: interrupts go off first,
 * a second panic while reporting the first skips straight to halting, and
 * nothing here allocates memory. The screen turns red and shows the
 * reason and the registers, so a panic is visible without a serial cable.
 */
#include "panic.h"

#include <stdarg.h>

#include "arch/cpu.h"
#include "arch/serial.h"
#include "arch/vga.h"
#include "ktest.h"
#include "common/format.h"
#include "log.h"
#include "trap.h"

static int panicking;

/* Snapshot of the general registers at the panic() call, for the dump. */
static void capture_registers(struct trap_frame *f)
{
    __asm__ volatile("mov %%rax, %0\n\tmov %%rbx, %1\n\tmov %%rcx, %2\n\tmov %%rdx, %3\n\t"
                     "mov %%rsi, %4\n\tmov %%rdi, %5\n\tmov %%rbp, %6\n\tmov %%rsp, %7"
                     : "=m"(f->rax), "=m"(f->rbx), "=m"(f->rcx), "=m"(f->rdx), "=m"(f->rsi),
                       "=m"(f->rdi), "=m"(f->rbp), "=m"(f->rsp));
    __asm__ volatile("mov %%r8, %0\n\tmov %%r9, %1\n\tmov %%r10, %2\n\tmov %%r11, %3\n\t"
                     "mov %%r12, %4\n\tmov %%r13, %5\n\tmov %%r14, %6\n\tmov %%r15, %7"
                     : "=m"(f->r8), "=m"(f->r9), "=m"(f->r10), "=m"(f->r11), "=m"(f->r12),
                       "=m"(f->r13), "=m"(f->r14), "=m"(f->r15));
    __asm__ volatile("pushfq\n\tpopq %0" : "=m"(f->rflags));
    __asm__ volatile("mov %%cs, %0\n\tmov %%ss, %1" : "=r"(f->cs), "=r"(f->ss));
    f->rip = (uint64_t)__builtin_return_address(0);
    f->vector = 0;
    f->error = 0;
}

static void screen_line(const char *fmt, ...)
{
    char text[128];
    va_list ap;
    va_start(ap, fmt);
    size_t n = kvformat(text, sizeof(text), fmt, ap);
    va_end(ap);
    vga_write(text, n, VGA_PANIC);
}

static void panic_screen(const char *reason, const struct trap_frame *f)
{
    vga_set_enabled(1);
    vga_clear(VGA_PANIC);
    screen_line("PANIC: %s\n\n", reason);
    screen_line("rip=0x%016lx rsp=0x%016lx rflags=0x%lx\n", f->rip, f->rsp, f->rflags);
    screen_line("rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    screen_line("rsi=%016lx rdi=%016lx rbp=%016lx r8 =%016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    screen_line("r9 =%016lx r10=%016lx r11=%016lx r12=%016lx\n", f->r9, f->r10, f->r11, f->r12);
    screen_line("r13=%016lx r14=%016lx r15=%016lx\n", f->r13, f->r14, f->r15);
    screen_line("\nThe system has stopped. Details are in the serial log.\n");
}

static __attribute__((noreturn)) void panic_report(const struct trap_frame *frame, const char *fmt,
                                                   va_list ap)
{
    __asm__ volatile("cli");
    if (panicking++)
        cpu_halt_forever();
    char reason[256];
    kvsnprintf(reason, sizeof(reason), fmt, ap);
    log_raw("PANIC: %s\n", reason);
    panic_screen(reason, frame);
    ktest_exit_on_panic();
    cpu_halt_forever();
}

void panic(const char *fmt, ...)
{
    struct trap_frame frame;
    capture_registers(&frame);
    log_raw("panic: called from rip=0x%016lx rsp=0x%016lx\n", frame.rip, frame.rsp);
    trap_dump_registers(&frame);
    va_list ap;
    va_start(ap, fmt);
    panic_report(&frame, fmt, ap);
}

void panic_with_frame(const struct trap_frame *frame, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    panic_report(frame, fmt, ap);
}
