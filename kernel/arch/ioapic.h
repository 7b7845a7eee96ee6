/*
 * The I/O APIC: routes device interrupt lines (ISA IRQs and PCI lines) to
 * CPU vectors. Lines start masked; a driver's IRQ capability unmasks its
 * line, and each interrupt masks it again until the driver acknowledges.
 */
#ifndef ARCH_IOAPIC_H
#define ARCH_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_LINES 24
#define IRQ_VECTOR_BASE 0x30 /* ISA IRQ n arrives on vector 0x30 + n */

/* Finds the I/O APIC and the ISA overrides in the ACPI MADT; false if there is none. */
bool ioapic_init(void);

/* Routes ISA IRQ `irq` (0-23) to vector IRQ_VECTOR_BASE + irq and unmasks or masks it. */
void ioapic_set_masked(unsigned irq, bool masked);

#endif
