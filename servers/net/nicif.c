/*
 * The network interface (see nicif.h).
 *
 * Sending: lwIP's linkoutput copies each frame into the transmit batch,
 * a NIC_BATCH_BYTES region reserved once; nicif_flush moves the region
 * to the driver with NIC_TX and the reply moves it back. The loop
 * flushes before every wait, so all frames one message caused (the ACKs
 * for a whole receive batch, say) leave in one call; a full batch is
 * flushed on the spot.
 *
 * Receiving: the driver's receive thread calls with a batch region; each
 * frame is copied into a pool pbuf and given to ethernet_input. The
 * region goes back with the reply (main.c), ready for the next batch.
 */
#include "nicif.h"

#include <stdio.h>
#include <string.h>

#include <lwip/etharp.h>
#include <lwip/pbuf.h>
#include <netif/ethernet.h>

#include <parley/errors.h>
#include <parley/proto/nic.h>
#include <parley/sys.h>

static uint32_t nic_handle;
static uint8_t *tx_batch; /* NULL while it is at the driver (never between calls) */
static uint32_t tx_used, tx_count;

static void tx_reset(void)
{
    tx_used = (uint32_t)sizeof(struct nic_batch);
    tx_count = 0;
}

void nicif_flush(void)
{
    if (tx_count == 0 || tx_batch == NULL)
        return;
    struct nic_batch *batch = (struct nic_batch *)tx_batch;
    batch->count = tx_count;
    batch->used = tx_used;
    struct ipc_msg req = {.tag = NIC_TX}, reply;
    struct ipc_extra extra = {.send_mem = (uint64_t)tx_batch, .send_mem_length = NIC_BATCH_BYTES};
    long err = ipc_request(nic_handle, &req, &reply, IPC_FOREVER, &extra);
    tx_batch = NULL;
    if (extra.recv_mem != 0 && extra.recv_mem_length == NIC_BATCH_BYTES) {
        tx_batch = (uint8_t *)extra.recv_mem;
    } else {
        ipc_extra_drop(&extra);
        long region = sys_vm_reserve(NIC_BATCH_BYTES, VM_READ | VM_WRITE);
        if (region > 0)
            tx_batch = (uint8_t *)region;
        if (err == 0)
            err = -E_INVAL;
    }
    if (err < 0)
        printf("net: sending %u frames failed: %s\n", tx_count, error_string((int)err));
    tx_reset();
}

static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
    (void)netif;
    if (p->tot_len > NIC_FRAME_MAX || tx_batch == NULL)
        return ERR_IF;
    if (nic_next_frame(tx_used, p->tot_len) > NIC_BATCH_BYTES)
        nicif_flush();
    if (tx_batch == NULL)
        return ERR_MEM;
    struct nic_frame *frame = (struct nic_frame *)(tx_batch + tx_used);
    frame->length = p->tot_len;
    frame->reserved = 0;
    pbuf_copy_partial(p, frame + 1, p->tot_len, 0);
    tx_used = nic_next_frame(tx_used, p->tot_len);
    tx_count++;
    return ERR_OK;
}

static err_t netif_setup(struct netif *netif)
{
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->output = etharp_output;
    netif->linkoutput = linkoutput;
    netif->mtu = 1500;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    return ERR_OK;
}

long nicif_start(struct netif *netif, uint32_t nic, uint32_t to_stack, uint64_t timeout_ns)
{
    nic_handle = nic;
    long region = sys_vm_reserve(NIC_BATCH_BYTES, VM_READ | VM_WRITE);
    if (region < 0)
        return region;
    tx_batch = (uint8_t *)region;
    tx_reset();
    struct ipc_msg req = {.tag = NIC_INFO}, reply;
    struct ipc_extra extra = {.send_handles = {to_stack}, .send_count = 1};
    long err = ipc_request(nic, &req, &reply, timeout_ns, &extra);
    ipc_extra_drop(&extra);
    if (err < 0) {
        sys_vm_release(tx_batch, NIC_BATCH_BYTES);
        tx_batch = NULL;
        return err;
    }
    if (netif_add(netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL, netif_setup,
                  ethernet_input) == NULL)
        return -E_NOMEM;
    for (int i = 0; i < ETH_HWADDR_LEN; i++)
        netif->hwaddr[i] = (uint8_t)(reply.w[0] >> (8 * i));
    netif_set_default(netif);
    netif_set_up(netif);
    if (reply.w[1] & NIC_LINK_UP)
        netif_set_link_up(netif);
    return 0;
}

long nicif_receive(struct netif *netif, const struct ipc_extra *extra)
{
    const uint8_t *base = (const uint8_t *)extra->recv_mem;
    uint64_t size = extra->recv_mem_length;
    if (base == NULL || size < sizeof(struct nic_batch))
        return -E_INVAL;
    const struct nic_batch *batch = (const struct nic_batch *)base;
    if (batch->used > size)
        return -E_INVAL;
    uint32_t at = (uint32_t)sizeof(*batch);
    for (uint32_t i = 0; i < batch->count; i++) {
        if (at + sizeof(struct nic_frame) > batch->used)
            return -E_INVAL;
        const struct nic_frame *frame = (const struct nic_frame *)(base + at);
        if (frame->length > NIC_FRAME_MAX || at + sizeof(*frame) + frame->length > batch->used)
            return -E_INVAL;
        struct pbuf *p = pbuf_alloc(PBUF_RAW, frame->length, PBUF_POOL);
        if (p != NULL) {
            pbuf_take(p, frame + 1, frame->length);
            if (netif->input(p, netif) != ERR_OK)
                pbuf_free(p);
        }
        at = nic_next_frame(at, frame->length);
    }
    return 0;
}

long nicif_stats(struct nicif_stats *stats, int *link)
{
    struct ipc_msg req = {.tag = NIC_STATS, .w = {NIC_STATS_TRAFFIC}}, reply;
    long err = ipc_request(nic_handle, &req, &reply, IPC_FOREVER, NULL);
    if (err < 0)
        return err;
    stats->rx_packets = reply.w[0];
    stats->rx_bytes = reply.w[1];
    stats->tx_packets = reply.w[2];
    stats->tx_bytes = reply.w[3];
    req.w[0] = NIC_STATS_ERRORS;
    err = ipc_request(nic_handle, &req, &reply, IPC_FOREVER, NULL);
    if (err < 0)
        return err;
    stats->rx_errors = reply.w[0];
    stats->tx_errors = reply.w[1];
    stats->rx_dropped = reply.w[2];
    stats->rx_missed = reply.w[3];
    struct ipc_msg info = {.tag = NIC_INFO};
    err = ipc_request(nic_handle, &info, &reply, IPC_FOREVER, NULL);
    if (err == 0)
        *link = (reply.w[1] & NIC_LINK_UP) != 0;
    return err;
}
