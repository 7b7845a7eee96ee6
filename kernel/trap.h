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

/*
 * RFLAGS bits. Ring 3 can change the arithmetic flags, TF, DF, NT, AC and
 * ID with popfq; it cannot change IF or IOPL (popfq ignores them at CPL 3
 * with IOPL 0). I/O ports are granted through the TSS I/O bitmap
 * (arch/gdt.c), never through IOPL, so IOPL stays 0 in every frame.
 */
#define RFLAGS_CF (1ull << 0)
#define RFLAGS_RESERVED (1ull << 1) /* always 1 */
#define RFLAGS_PF (1ull << 2)
#define RFLAGS_AF (1ull << 4)
#define RFLAGS_ZF (1ull << 6)
#define RFLAGS_SF (1ull << 7)
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_IF (1ull << 9)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_OF (1ull << 11)
#define RFLAGS_IOPL (3ull << 12)
#define RFLAGS_NT (1ull << 14)
#define RFLAGS_RF (1ull << 16)
#define RFLAGS_AC (1ull << 18)
#define RFLAGS_ID (1ull << 21)

/* The flags a user thread may carry; everything else is the kernel's to set. */
#define RFLAGS_USER_MASK                                                                           \
    (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_TF | RFLAGS_DF |           \
     RFLAGS_OF | RFLAGS_NT | RFLAGS_RF | RFLAGS_AC | RFLAGS_ID)

/*
 * The flags a frame returning to ring 3 leaves with: the user's own from
 * RFLAGS_USER_MASK, interrupts on, IOPL 0, no virtual-8086 bits.
 */
static inline uint64_t rflags_for_user(uint64_t rflags)
{
    return (rflags & RFLAGS_USER_MASK) | RFLAGS_IF | RFLAGS_RESERVED;
}

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
