/*
 * Segments and the task-state segment. In long mode segmentation is
 * mostly off, but the CPU still needs code/data descriptors for each ring
 * and a TSS for the ring-0 stack and the interrupt stacks (IST).
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdint.h>

/* Selector order is fixed by syscall/sysret: user data must sit just below user code. */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA 0x1B /* 0x18 | RPL 3 */
#define GDT_USER_CODE 0x23 /* 0x20 | RPL 3 */
#define GDT_TSS 0x28

/* Interrupt stack table slots (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

void gdt_init(void);

/* The stack the CPU switches to when an interrupt arrives from ring 3. */
void gdt_set_kernel_stack(uint64_t rsp0);

/*
 * Loads a process's I/O permission bitmap (8192 bytes, bit clear = port
 * allowed) for ring 3, or denies every port when bitmap is NULL. The copy
 * is skipped when the same bitmap is loaded already; call
 * gdt_forget_io_bitmap() before freeing or changing one.
 */
void gdt_set_io_bitmap(const uint8_t *bitmap);
void gdt_forget_io_bitmap(const uint8_t *bitmap);

/* The bitmap in force for ring 3 now (NULL: no ports); lets thread switches skip the call. */
extern const uint8_t *gdt_active_io_bitmap;

static inline void gdt_switch_io_bitmap(const uint8_t *bitmap)
{
    if (bitmap != gdt_active_io_bitmap)
        gdt_set_io_bitmap(bitmap);
}

#endif
