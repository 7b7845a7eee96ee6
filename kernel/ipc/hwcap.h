/*
 * Hardware capabilities: I/O port ranges, interrupt lines, physical
 * ranges to map and DMA allowances. The kernel creates one root of each
 * kind for init (caps.c); init derives narrower ones for drivers.
 */
#ifndef IPC_HWCAP_H
#define IPC_HWCAP_H

#include <stdint.h>

struct process;
struct trap_frame;

/* Installs the four hardware roots in `init`. */
void hwcap_give_roots(struct process *init);

/* Routes the device interrupt vectors to their bound endpoints. */
void hwcap_init(void);

long sys_cap_derive(struct trap_frame *f);
long sys_ioport_enable(struct trap_frame *f);
long sys_irq_bind(struct trap_frame *f);
long sys_irq_ack(struct trap_frame *f);
long sys_phys_map(struct trap_frame *f);
long sys_dma_alloc(struct trap_frame *f);

#endif
