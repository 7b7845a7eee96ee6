/*
 * lwIP's network interface over the network-card protocol
 * (<parley/proto/nic.h>): frames lwIP sends are gathered into one batch
 * region and handed to the driver once per round of the server loop;
 * batches of received frames arrive as NIC_RX calls.
 */
#ifndef NET_NICIF_H
#define NET_NICIF_H

#include <stdint.h>

#include <lwip/netif.h>

#include <parley/ipc_lib.h>

/* The card's traffic and error counters (NIC_STATS). */
struct nicif_stats {
    uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
    uint64_t rx_errors, tx_errors, rx_dropped, rx_missed;
};

/*
 * Asks the driver on handle nic for the card's address (giving it
 * `to_stack`, a handle to this server for its received frames) and adds
 * the interface to lwIP as the default; waits up to timeout_ns for the
 * driver. Returns 0 or an error.
 */
long nicif_start(struct netif *netif, uint32_t nic, uint32_t to_stack, uint64_t timeout_ns);

/* Feeds a batch region of received frames (a NIC_RX request) to lwIP. */
long nicif_receive(struct netif *netif, const struct ipc_extra *extra);

/* Sends the frames gathered since the last flush, if any. */
void nicif_flush(void);

/* Reads the card's counters; link is set to whether the link is up. */
long nicif_stats(struct nicif_stats *stats, int *link);

#endif
