/*
 * Interrupts and exceptions as the C side sees them: the saved register
 * frame built by isr.asm, and the dispatcher.
 */
#ifndef TRAP_H
#define TRAP_H

#include <stdint.h>

/* Field order mirrors the pushes in isr.asm (last pushed = first field). */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define VECTOR_TIMER 0x20
#define VECTOR_SPURIOUS 0xFF

typedef void (*trap_handler)(struct trap_frame *frame);

/* Routes a vector (32..254) to a handler; the handler must acknowledge the interrupt. */
void trap_set_handler(int vector, trap_handler handler);

void trap_dispatch(struct trap_frame *frame);

/* Writes the one-line exception summary and the general registers to the log. */
void trap_dump(const struct trap_frame *frame);

/* Writes just the general-register lines of the dump. */
void trap_dump_registers(const struct trap_frame *frame);

const char *trap_exception_name(uint64_t vector);

#endif
