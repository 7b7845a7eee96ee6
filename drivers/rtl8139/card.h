/*
 * The RTL8139's registers, reached through its I/O ports: reset and
 * set-up, the receive side's pointers and interrupt status, the link
 * and the four transmit descriptors. The receive thread (rx.c) and the
 * transmit thread (main.c) share one struct card; each touches only its
 * own registers (the receive thread CR, CAPR, CBR, ISR, RCR and MPC; the
 * transmit thread TSD, TSAD and TCR), so neither needs a lock.
 */
#ifndef PARLEY_DRIVERS_RTL8139_CARD_H
#define PARLEY_DRIVERS_RTL8139_CARD_H

#include <stdbool.h>
#include <stdint.h>

#include "ring.h"

/* Interrupt status / mask bits (ISR 0x3E, IMR 0x3C). */
#define ISR_ROK (1u << 0)     /* a frame arrived */
#define ISR_RER (1u << 1)     /* a frame arrived with an error */
#define ISR_TOK (1u << 2)     /* a frame went */
#define ISR_TER (1u << 3)     /* a frame could not go */
#define ISR_RXOVW (1u << 4)   /* the receive ring was full */
#define ISR_LINKCHG (1u << 5) /* the link changed (PUN/LinkChg) */
#define ISR_FOVW (1u << 6)    /* the receive FIFO overflowed */
/* The interrupts the driver takes. Transmit completions are found by polling OWN on reuse. */
#define ISR_WANTED (ISR_ROK | ISR_RER | ISR_RXOVW | ISR_LINKCHG | ISR_FOVW)

struct card {
    uint16_t io; /* the first of its 256 ports (BAR 0) */
    uint8_t mac[6];
    uint8_t *ring; /* the receive ring, RTL_RX_RING_BYTES + slack of DMA memory */
    uint32_t ring_phys;
    uint8_t *tx; /* RTL_TX_DESCRIPTORS buffers of RTL_TX_BUFFER_BYTES */
    uint32_t tx_phys;
    /* Transmit thread only. */
    unsigned tx_next;                 /* the descriptor to use next: strictly in order */
    bool tx_busy[RTL_TX_DESCRIPTORS]; /* handed to the card and not yet seen back */
    bool tx_stuck;                    /* a descriptor never came back: fail fast */
    uint64_t tx_errors;               /* aborted or late-collided frames, and timeouts */
};

/*
 * Allocates the ring and the transmit buffers from the DMA allowance,
 * resets the card and sets up receive and transmit, interrupts still
 * masked. The card must already be a bus master (PCI_ENABLE_BUS_MASTER).
 */
long card_setup(struct card *card, uint32_t dma_handle);

/* Unmasks the interrupts in ISR_WANTED. */
void card_enable_interrupts(const struct card *card);

/* Whether the link is up (MSR's LINKB bit, which is set while it is down). */
bool card_link_up(const struct card *card);

/* Reads the interrupt status, and clears the bits given (write 1 to clear). */
uint16_t card_interrupts(const struct card *card);
void card_clear_interrupts(const struct card *card, uint16_t bits);

/* The card's write pointer in the ring (CBR), and telling it how far we have read (CAPR). */
uint32_t card_rx_write(const struct card *card);
void card_rx_done(const struct card *card, uint32_t read);

/* Restarts the receiver after the ring got out of step; the read pointer starts again at 0. */
void card_rx_reset(const struct card *card);

/* The missed-packet counter (MPC, 24 bits, counting up from the reset). */
uint32_t card_missed(const struct card *card);

/*
 * Queues one frame on the next descriptor, after waiting for the card to
 * have finished with it. Returns 1 if queued, 0 if the frame was refused
 * (bad length), -E_TIMEOUT if the descriptor never came back.
 */
long card_transmit(struct card *card, const uint8_t *frame, uint32_t length);

#endif
