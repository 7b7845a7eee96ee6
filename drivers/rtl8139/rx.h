/*
 * The receive thread: takes the card's interrupts, empties the receive
 * ring into batch regions and calls the TCP/IP server with them (NIC_RX),
 * and reports link changes (NIC_LINK). It is the only thread that ever
 * waits for the stack, so the transmit thread, which the stack calls,
 * can always answer.
 *
 * What the transmit thread may read or hand over is below. The counters
 * and the link flag are written only by the receive thread; each is one
 * aligned word, which on this single CPU is read whole, so a reader sees
 * an old value or a new one, never a torn one.
 */
#ifndef PARLEY_DRIVERS_RTL8139_RX_H
#define PARLEY_DRIVERS_RTL8139_RX_H

#include <stdbool.h>
#include <stdint.h>

#include "card.h"

/*
 * Binds the card's IRQ to a private endpoint and starts the thread.
 * stack is a send right to the stack's endpoint, or 0 until NIC_INFO
 * brings one (rx_set_stack).
 */
long rx_start(struct card *card, uint32_t irq_handle, uint32_t stack);

/* Gives the receive thread a (new) handle to the stack; it closes the one it had. */
void rx_set_stack(uint32_t handle);

/* The receive counters, and the frames the card missed (MPC). */
void rx_stats(struct rtl_rx_counters *out, uint64_t *missed);

/* The link as the receive thread last saw it. */
bool rx_link_up(void);

#endif
