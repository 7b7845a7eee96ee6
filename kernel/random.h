/*
 * The kernel's entropy source for SYS_RANDOM: RDRAND where the CPU has it,
 * always mixed with timer jitter, so salts and keys are never a constant.
 */
#ifndef RANDOM_H
#define RANDOM_H

#include <stddef.h>
#include <stdint.h>

void random_init(void);

/* Fills buf with length random bytes. */
void random_fill(void *buf, size_t length);

/* Stirs in a little unpredictability (called from the timer tick). */
void random_stir(uint64_t value);

#endif
