/*
 * The two 8259 PICs start out delivering IRQs 0-15 on vectors 8-15 and
 * 0x70-0x77, which collide with CPU exceptions. We remap them to
 * 0xE0-0xEF (so a stray interrupt cannot look like an exception) and
 * mask every line: the local APIC delivers the timer, and device IRQs
 * will go through the I/O APIC.
 */
#include "arch/pic.h"

#include "arch/cpu.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01

void pic_disable(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, 0xE0); /* vector base, master */
    outb(PIC2_DATA, 0xE8); /* vector base, slave */
    outb(PIC1_DATA, 0x04); /* slave on IRQ 2 */
    outb(PIC2_DATA, 0x02); /* slave identity */
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    outb(PIC1_DATA, 0xFF); /* mask everything */
    outb(PIC2_DATA, 0xFF);
}
