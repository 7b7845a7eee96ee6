/*
 * rtl8139: the driver for Realtek's RTL8139 Ethernet card, in ring 3. It
 * speaks the network-card protocol (parley/proto/nic.h) with the TCP/IP
 * server; docs/network.md describes the whole design.
 *
 * Handles, in the order init grants them (etc/services):
 *   1  the card's I/O ports (pci-ports: BAR 0 of 10ec:8139, 256 ports)
 *   2  the card's IRQ line (pci-irq: its PCI interrupt line)
 *   3  a DMA allowance (dma:PAGES; the driver takes 19 pages)
 *   4  the PCI server's endpoint (use:pci), to find the card and make it a bus master
 *   5  receive right on the "nic" endpoint, which the stack calls
 *   6  optional: a send right to the stack's endpoint (badge NET_BADGE_NIC);
 *      without it the first NIC_INFO brings one
 *
 * Two threads. The main thread, below, is the transmit side: it serves
 * "nic" (NIC_INFO, NIC_TX, NIC_STATS) and owns the transmit descriptors.
 * The receive thread (rx.c) owns the interrupt and calls the stack. A
 * thread that serves the stack never waits for it, and the one that
 * waits for the stack serves nobody, so the two can never deadlock.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/nic.h>
#include <parley/proto/pci.h>
#include <parley/sys.h>

#include "card.h"
#include "ring.h"
#include "rx.h"

#define HANDLE_PORTS 1
#define HANDLE_IRQ 2
#define HANDLE_DMA 3
#define HANDLE_PCI 4
#define HANDLE_NIC 5
#define HANDLE_STACK 6

#define VENDOR_REALTEK 0x10EC
#define DEVICE_RTL8139 0x8139
#define PCI_TIMEOUT_NS 10000000000ull
#define NIC_MTU 1500

static struct card card;

/* Transmit counters: written only by this thread (NIC_TX), read by NIC_STATS on it too. */
static uint64_t tx_frames, tx_bytes;

static long handle_is(uint32_t handle, uint32_t type, uint32_t rights)
{
    long info = handle_info(handle);
    if (info < 0)
        return info;
    if ((uint32_t)(info >> 32) != type)
        return -E_BADHANDLE;
    return ((uint32_t)info & rights) == rights ? 0 : -E_PERM;
}

static long pci_ask(uint64_t tag, uint64_t w0, uint64_t w1, uint64_t w2, struct ipc_msg *reply)
{
    struct ipc_msg request = {tag, {w0, w1, w2, 0}};
    return ipc_request(HANDLE_PCI, &request, reply, PCI_TIMEOUT_NS, NULL);
}

/* Finds the card through the PCI server: its I/O base and IRQ line, and makes it a bus master. */
static long pci_setup(uint16_t *io, unsigned *irq)
{
    struct ipc_msg reply;
    long err = pci_ask(PCI_FIND, VENDOR_REALTEK, DEVICE_RTL8139, 0, &reply);
    if (err < 0)
        return err;
    uint64_t index = reply.w[0];
    if ((err = pci_ask(PCI_BAR, index, 0, 0, &reply)) < 0)
        return err;
    if (!(reply.w[2] & PCI_BAR_IO) || reply.w[1] == 0 || reply.w[0] + reply.w[1] > 0x10000)
        return -E_RANGE;
    *io = (uint16_t)reply.w[0];
    if ((err = pci_ask(PCI_INFO, index, 0, 0, &reply)) < 0)
        return err;
    *irq = (unsigned)(reply.w[3] & 0xFF);
    /* Without bus mastering the card's DMA goes nowhere (QEMU drops it without a word). */
    return pci_ask(PCI_ENABLE_BUS_MASTER, index, 0, 0, &reply);
}

static uint64_t mac_word(void)
{
    uint64_t word = 0;
    for (int i = 0; i < 6; i++)
        word |= (uint64_t)card.mac[i] << (8 * i);
    return word;
}

/* Closes handles that came with a request and are not wanted. */
static void close_handles(const struct ipc_extra *extra, uint32_t from)
{
    for (uint32_t i = from; i < extra->recv_count && i < IPC_MAX_HANDLES; i++)
        handle_close(extra->recv_handles[i]);
}

static long serve_info(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context, (void)request, (void)sender, (void)reply_extra;
    if (extra->recv_mem != 0)
        sys_vm_release((void *)extra->recv_mem, extra->recv_mem_length);
    if (extra->recv_count > 0) {
        uint32_t stack = extra->recv_handles[0];
        close_handles(extra, 1);
        if (handle_is(stack, OBJECT_ENDPOINT, RIGHT_SEND) < 0) {
            handle_close(stack);
            return -E_INVAL;
        }
        rx_set_stack(stack);
    }
    reply->w[0] = mac_word();
    reply->w[1] = rx_link_up() ? NIC_LINK_UP : 0;
    reply->w[2] = NIC_MTU;
    return 0;
}

static long serve_tx(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                     uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context, (void)request, (void)sender;
    struct rtl_batch_reader reader;
    close_handles(extra, 0);
    if (rtl_batch_open(&reader, (const void *)extra->recv_mem, extra->recv_mem_length) < 0) {
        if (extra->recv_mem != 0)
            sys_vm_release((void *)extra->recv_mem, extra->recv_mem_length);
        return -E_INVAL;
    }
    uint64_t queued = 0, refused = 0;
    const uint8_t *data;
    uint32_t length;
    while (rtl_batch_next(&reader, &data, &length)) {
        long sent = card_transmit(&card, data, length);
        if (sent > 0) {
            queued++;
            tx_frames++;
            tx_bytes += length;
        } else {
            refused++; /* a bad length, or a transmitter that gave no descriptor back */
        }
    }
    refused += reader.count - reader.index; /* frames past a malformed one */
    reply->w[0] = queued;
    reply->w[1] = refused;
    reply_extra->send_mem = extra->recv_mem;
    reply_extra->send_mem_length = extra->recv_mem_length;
    return 0;
}

static long serve_stats(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                        uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context, (void)sender, (void)reply_extra;
    ipc_extra_drop(extra);
    struct rtl_rx_counters rx;
    uint64_t missed;
    rx_stats(&rx, &missed);
    if (request->w[0] == NIC_STATS_TRAFFIC) {
        reply->w[0] = rx.frames;
        reply->w[1] = rx.bytes;
        reply->w[2] = tx_frames;
        reply->w[3] = tx_bytes;
    } else if (request->w[0] == NIC_STATS_ERRORS) {
        reply->w[0] = rx.errors;
        reply->w[1] = card.tx_errors;
        reply->w[2] = rx.dropped;
        reply->w[3] = missed;
    } else {
        return -E_INVAL;
    }
    return 0;
}

static const struct ipc_handler handlers[] = {
    {NIC_INFO, serve_info},
    {NIC_TX, serve_tx},
    {NIC_STATS, serve_stats},
};

static int fail(const char *what, long err)
{
    printf("rtl8139: %s: %s\n", what, error_string((int)err));
    return 1;
}

int main(void)
{
    long err;
    if ((err = handle_is(HANDLE_PORTS, OBJECT_IOPORTS, RIGHT_USE)) < 0 ||
        (err = handle_is(HANDLE_IRQ, OBJECT_IRQ, RIGHT_USE)) < 0 ||
        (err = handle_is(HANDLE_DMA, OBJECT_DMA, RIGHT_USE)) < 0 ||
        (err = handle_is(HANDLE_PCI, OBJECT_ENDPOINT, RIGHT_SEND)) < 0 ||
        (err = handle_is(HANDLE_NIC, OBJECT_ENDPOINT, RIGHT_RECEIVE)) < 0)
        return fail("expected handles 1-5: ports, irq, dma, use:pci, serve:nic", err);
    uint32_t stack = handle_is(HANDLE_STACK, OBJECT_ENDPOINT, RIGHT_SEND) == 0 ? HANDLE_STACK : 0;

    unsigned irq;
    if ((err = pci_setup(&card.io, &irq)) < 0)
        return fail("cannot find the card through the PCI server", err);
    if ((err = sys_ioport_enable(HANDLE_PORTS)) < 0)
        return fail("cannot use the card's ports", err);
    if ((err = card_setup(&card, HANDLE_DMA)) < 0)
        return fail("cannot set the card up", err);
    if ((err = rx_start(&card, HANDLE_IRQ, stack)) < 0)
        return fail("cannot start the receive thread", err);
    card_enable_interrupts(&card);
    printf("rtl8139: MAC %02x:%02x:%02x:%02x:%02x:%02x at ports 0x%x, irq %u, link %s\n",
           card.mac[0], card.mac[1], card.mac[2], card.mac[3], card.mac[4], card.mac[5],
           (unsigned)card.io, irq, rx_link_up() ? "up" : "down");

    err = ipc_serve(HANDLE_NIC, handlers, sizeof(handlers) / sizeof(handlers[0]), NULL);
    if (err < 0)
        return fail("cannot serve", err);
    return 0;
}
