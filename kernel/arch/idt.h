/* The interrupt descriptor table: every vector goes to its stub in isr.asm. */
#ifndef ARCH_IDT_H
#define ARCH_IDT_H

void idt_init(void);

#endif
