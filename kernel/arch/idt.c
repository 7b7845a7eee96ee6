/*
 * The IDT: 256 interrupt gates, all pointing at the stubs generated in
 * isr.asm. Interrupt gates (type 0xE) clear IF on entry, so handlers run
 * with interrupts off. Double fault, NMI and machine check use their own
 * IST stacks (see gdt.c).
 */
#include "arch/idt.h"

#include <stdint.h>

#include "arch/gdt.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

struct idt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

#define GATE_INTERRUPT 0x8E /* present, DPL 0, 64-bit interrupt gate */

extern const uint64_t isr_stub_table[256];
static struct idt_gate idt[256];

static void idt_set(int vector, uint64_t handler, uint8_t ist)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)handler,
        .selector = GDT_KERNEL_CODE,
        .ist = ist,
        .type_attr = GATE_INTERRUPT,
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        idt_set(v, isr_stub_table[v], 0);
    idt_set(2, isr_stub_table[2], IST_NMI);
    idt_set(8, isr_stub_table[8], IST_DOUBLE_FAULT);
    idt_set(18, isr_stub_table[18], IST_MACHINE_CHECK);
    struct idt_pointer pointer = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(pointer));
}
