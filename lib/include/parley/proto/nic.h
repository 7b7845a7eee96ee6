/*
 * The network-card protocol (nic): how a network driver (today
 * drivers/rtl8139) and the TCP/IP server (servers/net) exchange Ethernet
 * frames. docs/network.md explains the design; this comment is the
 * reference for the words.
 *
 * Frames travel in batches, never one system call per frame: a batch is
 * one memory region of NIC_BATCH_BYTES holding a struct nic_batch header
 * and then the frames back to back, each a struct nic_frame header and
 * its bytes, the next one starting at the following 4-byte boundary. The
 * region moves with the message and comes back with the reply, so each
 * side reserves its batch region once and the same pages go back and
 * forth (a message per batch is the doorbell).
 *
 * Two endpoints, so neither side can ever wait for the other in a cycle:
 *
 *   "nic" is served by the driver's transmit thread. The stack calls it:
 *   NIC_INFO     reply: w0 = MAC address (bytes 0-5 in bits 0-47),
 *                w1 = NIC_LINK_UP if the link is up, w2 = MTU (1500).
 *                The stack's first NIC_INFO moves one handle with it: a
 *                send right to the stack's own endpoint minted with badge
 *                NET_BADGE_NIC, which the receive thread keeps and calls
 *                (so init wires only stack -> driver, and the two never
 *                depend on each other at start). Until then received
 *                frames are dropped and counted. A later NIC_INFO with a
 *                handle replaces the one kept (a restarted stack).
 *   NIC_TX       a batch region of frames to send (each 14..1514 bytes;
 *                the driver pads frames under 60 bytes).
 *                reply: the region back, w0 = frames queued on the card,
 *                w1 = frames refused (too long or too short)
 *   NIC_STATS    w0 = NIC_STATS_TRAFFIC: reply w0 = frames received,
 *                w1 = bytes received, w2 = frames sent, w3 = bytes sent;
 *                w0 = NIC_STATS_ERRORS: reply w0 = receive errors (CRC,
 *                frame alignment, runt/long frames), w1 = transmit
 *                errors, w2 = drops: frames the driver could not hand
 *                to the stack (none connected yet, or it refused the
 *                batch) plus one per ring or FIFO overflow the card
 *                reported, w3 = frames the card missed (its missed-packet
 *                counter: the frames those overflows cost)
 *
 *   "net" is the stack's own endpoint. The driver's receive thread calls
 *   it through the handle NIC_INFO gave it:
 *   NIC_RX       a batch region of received frames (CRC stripped).
 *                reply: the region back for the next batch
 *   NIC_LINK     w0 = NIC_LINK_UP or 0: the link changed
 *
 * Every reply's tag is its status (0 or a negative error). A batch
 * whose header does not fit its region is refused whole with -E_INVAL.
 */
#ifndef PARLEY_PROTO_NIC_H
#define PARLEY_PROTO_NIC_H

#include <parley/proto/base.h>

#define NIC_INFO PARLEY_TAG(PROTO_NIC, 1)
#define NIC_TX PARLEY_TAG(PROTO_NIC, 2)
#define NIC_STATS PARLEY_TAG(PROTO_NIC, 3)
#define NIC_RX PARLEY_TAG(PROTO_NIC, 4)
#define NIC_LINK PARLEY_TAG(PROTO_NIC, 5)

#define PROTO_NIC_TAGS(X)                                                                          \
    X(NIC_INFO, NIC_INFO)                                                                          \
    X(NIC_TX, NIC_TX)                                                                              \
    X(NIC_STATS, NIC_STATS)                                                                        \
    X(NIC_RX, NIC_RX)                                                                              \
    X(NIC_LINK, NIC_LINK)

#define NIC_LINK_UP 1u
#define NIC_STATS_TRAFFIC 0u
#define NIC_STATS_ERRORS 1u

#define NIC_FRAME_MIN 60   /* shortest Ethernet frame without its CRC; shorter ones are padded */
#define NIC_FRAME_MAX 1514 /* longest: 1500 bytes of payload and the 14-byte header */
#define NIC_BATCH_BYTES (64u * 1024u) /* one batch region: 16 pages */

/* The badge of the driver's handle to the stack's endpoint. */
#define NET_BADGE_NIC 1u

struct nic_batch {
    uint32_t count; /* frames in the batch */
    uint32_t used;  /* bytes used from the start of the region, header included */
};

struct nic_frame {
    uint16_t length; /* bytes of the frame that follow */
    uint16_t reserved;
};

/* Where the frame after one of `length` bytes at `offset` begins. */
static inline uint32_t nic_next_frame(uint32_t offset, uint32_t length)
{
    return (offset + (uint32_t)sizeof(struct nic_frame) + length + 3u) & ~3u;
}

#endif
