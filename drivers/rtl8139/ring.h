/*
 * The RTL8139's receive ring and transmit buffers as plain memory, without
 * any port I/O: main.c feeds this the card's write pointer and DMA
 * memory, the host unit test (tests/unit/rtl8139_ring_test.c) a
 * simulated ring.
 *
 * The receive ring is RTL_RX_RING_BYTES of DMA memory that the card
 * fills in order and wraps around. Each frame in it is a 4-byte header
 * (status in the low 16 bits, length in the high 16, CRC included), the
 * frame and its CRC, and the next header starts at the following 4-byte
 * boundary. The ring is set up without the WRAP bit (it has no meaning
 * with a 64 KiB ring), so a frame that reaches the end continues at the
 * start of the ring, and the reader copies it out in two pieces. The
 * driver tells the card how far it has read through CAPR, which is
 * written 16 bytes short of the read pointer (the card adds them back).
 *
 * Frames leave the ring into a batch region laid out as parley/proto/nic.h
 * says (struct nic_batch, then struct nic_frame headers and bytes), CRC
 * stripped. The same layout comes back from the stack for sending.
 */
#ifndef PARLEY_DRIVERS_RTL8139_RING_H
#define PARLEY_DRIVERS_RTL8139_RING_H

#include <stdbool.h>
#include <stdint.h>

#include <parley/proto/nic.h>

#define RTL_RX_RING_BYTES 65536u /* RCR.RBLEN = 11b: 64 KiB (+ 16 bytes the card may touch) */
#define RTL_RX_RING_SLACK 16u
#define RTL_RX_HEADER 4u
#define RTL_CRC_BYTES 4u
#define RTL_CAPR_OFFSET 16u /* CAPR is written this far behind the read pointer */

/* The lengths a header may give, CRC included: an Ethernet header at least, 1518 at most. */
#define RTL_RX_LENGTH_MIN (14u + RTL_CRC_BYTES)
#define RTL_RX_LENGTH_MAX (NIC_FRAME_MAX + RTL_CRC_BYTES)
/* The length a header shows while the card is still copying the frame in (early receive). */
#define RTL_RX_LENGTH_EARLY 0xFFF0u

/* The status half of a receive header. */
#define RTL_RX_ROK (1u << 0)  /* received OK */
#define RTL_RX_FAE (1u << 1)  /* frame alignment error */
#define RTL_RX_CRC (1u << 2)  /* CRC error */
#define RTL_RX_LONG (1u << 3) /* longer than 4 KiB */
#define RTL_RX_RUNT (1u << 4) /* shorter than 64 bytes */
#define RTL_RX_ISE (1u << 5)  /* invalid symbol (100BASE-TX) */
#define RTL_RX_ERRORS (RTL_RX_FAE | RTL_RX_CRC | RTL_RX_LONG | RTL_RX_RUNT | RTL_RX_ISE)

/* Transmit descriptors: four, each with its own buffer of RTL_TX_BUFFER_BYTES. */
#define RTL_TX_DESCRIPTORS 4u
#define RTL_TX_BUFFER_BYTES 2048u
#define RTL_TX_FRAME_MIN 14u /* the shortest frame the stack may hand over (a bare header) */

/* TSD: length in bits 0-12, OWN (the card is done with the buffer), results. */
#define RTL_TSD_SIZE_MASK 0x1FFFu
#define RTL_TSD_OWN (1u << 13)
#define RTL_TSD_TUN (1u << 14)  /* FIFO underrun; the frame still went */
#define RTL_TSD_TOK (1u << 15)  /* transmitted */
#define RTL_TSD_OWC (1u << 29)  /* out-of-window collision */
#define RTL_TSD_TABT (1u << 30) /* aborted (excessive collisions) */
#define RTL_TSD_ERRORS (RTL_TSD_OWC | RTL_TSD_TABT)
/* Early transmit threshold, bits 16-21 in units of 32 bytes: start sending after 256. */
#define RTL_TSD_THRESHOLD (8u << 16)

/* Counters of the receive side, written only by the receive thread. */
struct rtl_rx_counters {
    uint64_t frames;  /* intact frames taken from the ring */
    uint64_t bytes;   /* their bytes, CRC stripped */
    uint64_t errors;  /* frames the card flagged, and headers that made no sense */
    uint64_t dropped; /* ring or FIFO overflows, and frames nobody took */
};

/* Where the reader is in the ring. */
struct rtl_rx_ring {
    const uint8_t *base; /* RTL_RX_RING_BYTES (+ slack) the card writes */
    uint32_t read;       /* offset of the next header, a multiple of 4 */
};

enum rtl_rx_result {
    RTL_RX_DRAINED, /* everything the card has finished writing is read */
    RTL_RX_FULL,    /* the batch has no room for the next frame: send it and go on */
    RTL_RX_BROKEN,  /* a header makes no sense: the receiver must be reset */
};

/* What CAPR must be set to once everything before `read` has been taken. */
uint16_t rtl_capr(uint32_t read);

/* Bytes the card has written that the reader has not taken, given the card's write pointer. */
uint32_t rtl_rx_pending(uint32_t read, uint32_t write);

/* The header offset after a frame of `length` bytes (CRC included) whose header is at `read`. */
uint32_t rtl_rx_next(uint32_t read, uint32_t length);

/* Copies `length` bytes from ring offset `from` into out, continuing at the ring's start. */
void rtl_rx_copy(const uint8_t *ring, uint32_t from, void *out, uint32_t length);

/* Empties a batch region: no frames, only the header used. */
void rtl_batch_reset(void *batch);

/*
 * Takes frames from the ring up to the card's write pointer `write` (CBR)
 * and appends them to the batch region (batch_bytes long, reset by the
 * caller), CRC stripped. Frames the card flagged as bad are skipped and
 * counted. On return ring->read is past every frame taken or skipped, so
 * the caller writes rtl_capr(ring->read) to CAPR; on RTL_RX_BROKEN it
 * points at the header that made no sense.
 */
enum rtl_rx_result rtl_rx_drain(struct rtl_rx_ring *ring, uint32_t write, void *batch,
                                uint32_t batch_bytes, struct rtl_rx_counters *counters);

/* Going through the frames of a batch region the stack sent (NIC_TX). */
struct rtl_batch_reader {
    const uint8_t *base;
    uint32_t used;  /* bytes of the region in use, from its header */
    uint32_t count; /* frames its header announces */
    uint32_t index; /* frames read so far */
    uint32_t at;    /* offset of the next frame header */
};

/* Opens a batch; -E_INVAL if its header does not fit the region or claims more than it. */
int rtl_batch_open(struct rtl_batch_reader *reader, const void *region, uint64_t region_bytes);

/*
 * The next frame: its bytes and length. False at the end of the batch,
 * or when a frame header or its bytes would run past the used part (the
 * frames from there on are unreadable: count - index of them).
 */
bool rtl_batch_next(struct rtl_batch_reader *reader, const uint8_t **data, uint32_t *length);

/*
 * Copies a frame into a transmit buffer (RTL_TX_BUFFER_BYTES), padding
 * it with zeros to NIC_FRAME_MIN bytes; returns the length to give the
 * card, or 0 if the frame must be refused (shorter than a header, or
 * longer than NIC_FRAME_MAX).
 */
uint32_t rtl_tx_fill(uint8_t *buffer, const uint8_t *frame, uint32_t length);

/* The TSD value that hands a buffer of `length` bytes to the card (OWN cleared). */
uint32_t rtl_tx_command(uint32_t length);

#endif
