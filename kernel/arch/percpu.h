/*
 * Per-CPU data, reached through GS in kernel mode. The syscall entry
 * needs it before it has a stack: it saves the user rsp in user_rsp and
 * loads kernel_rsp. The field offsets are used by syscall.asm.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include <stdint.h>

struct thread;

struct percpu {
    uint64_t kernel_rsp; /* offset 0: top of the running thread's kernel stack */
    uint64_t user_rsp;   /* offset 8: scratch for the syscall entry */
};

extern struct percpu percpu;

/* Points GS at the per-CPU area and sets up the syscall MSRs. */
void percpu_init(void);

#endif
