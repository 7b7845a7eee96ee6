/* The local APIC: this CPU's interrupt controller and its timer. */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <stdint.h>

void lapic_init(void);

/* Starts the periodic timer at `hz` interrupts per second on `vector`. */
void lapic_timer_start(uint32_t hz, uint8_t vector);

/* Signals end of interrupt; every APIC-delivered handler calls it. */
void lapic_eoi(void);

#endif
