/*
 * The receive thread (see rx.h).
 *
 * It sleeps in a receive on an endpoint of its own, to which the card's
 * IRQ line is bound, so with no traffic it uses no CPU. On each
 * interrupt it clears the card's interrupt status first (the line is
 * level-triggered: it stays asserted until ISR is clear), empties the
 * ring into its batch region, writing CAPR as it goes so the card gets
 * the room back at once, and only then acknowledges the line. A batch
 * that fills is sent on the spot and the ring emptied further; the last
 * one goes to the stack after the acknowledgement, so frames arriving
 * during the call raise a new interrupt that waits as a pending
 * notification.
 *
 * The call to the stack waits as long as the stack takes (IPC_FOREVER):
 * a slow stack then slows only this thread, the card keeps filling the
 * ring, and what overflows is counted (RXOVW, FOVW and the card's MPC).
 * The transmit thread never waits for this one, so no cycle can form.
 */
#include "rx.h"

#include <stdio.h>
#include <stdlib.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/nic.h>
#include <parley/sys.h>

#define RX_STACK_BYTES (64 * 1024)
#define IRQ_BIT 1u

static struct card *card;
static uint32_t irq_handle, irq_endpoint;
static struct rtl_rx_ring ring;
static struct rtl_rx_counters counters;
static uint64_t missed;
static uint32_t last_mpc;
static bool link_up;

/*
 * The batch region. If a reservation ever fails, frames go to drop_batch
 * instead (it cannot be sent: only reserved regions move) and are counted
 * as dropped until a reservation works again.
 */
static uint8_t *batch;
static uint8_t drop_batch[NIC_BATCH_BYTES];

/*
 * The stack's endpoint. The transmit thread puts a handle that came with
 * NIC_INFO in stack_pending (an atomic exchange); this thread takes it
 * before each call and closes the one it had, so a handle is never
 * closed under a call in progress.
 */
static uint32_t stack;
static uint32_t stack_pending;
static long stack_error; /* the last error the stack gave, logged once */

void rx_set_stack(uint32_t handle)
{
    uint32_t old = __atomic_exchange_n(&stack_pending, handle, __ATOMIC_SEQ_CST);
    if (old != 0)
        handle_close(old);
}

void rx_stats(struct rtl_rx_counters *out, uint64_t *missed_out)
{
    *out = counters;
    *missed_out = missed;
}

bool rx_link_up(void)
{
    return __atomic_load_n(&link_up, __ATOMIC_RELAXED);
}

static void adopt_stack(void)
{
    uint32_t handle = __atomic_exchange_n(&stack_pending, 0, __ATOMIC_SEQ_CST);
    if (handle == 0)
        return;
    if (stack != 0)
        handle_close(stack);
    stack = handle;
    stack_error = 0;
}

static void batch_renew(void)
{
    long region = sys_vm_reserve(NIC_BATCH_BYTES, VM_READ | VM_WRITE);
    batch = region > 0 ? (uint8_t *)region : drop_batch;
    rtl_batch_reset(batch);
}

/* A call to the stack failed: say so once per kind of failure; a stack that is gone is let go. */
static void stack_failed(long err)
{
    if (err == -E_CLOSED) {
        printf("rtl8139: the stack is gone; dropping frames until it sends NIC_INFO again\n");
        handle_close(stack);
        stack = 0;
        return;
    }
    if (err != stack_error)
        printf("rtl8139: the stack refused frames: %s; dropping them\n", error_string((int)err));
    stack_error = err;
}

/* Sends the batch to the stack, which moves the region back with its reply. */
static void deliver(void)
{
    struct nic_batch *header = (struct nic_batch *)batch;
    if (header->count == 0)
        return;
    adopt_stack();
    if (stack == 0 || batch == drop_batch) {
        counters.dropped += header->count;
        if (batch == drop_batch)
            batch_renew();
        rtl_batch_reset(batch);
        return;
    }
    uint32_t count = header->count;
    struct ipc_msg request = {.tag = NIC_RX}, reply;
    struct ipc_extra extra = {.send_mem = (uint64_t)batch, .send_mem_length = NIC_BATCH_BYTES};
    long err = ipc_request(stack, &request, &reply, IPC_FOREVER, &extra);
    for (uint32_t i = 0; i < extra.recv_count && i < IPC_MAX_HANDLES; i++)
        handle_close(extra.recv_handles[i]);
    if (extra.recv_mem != 0 && extra.recv_mem_length == NIC_BATCH_BYTES) {
        batch = (uint8_t *)extra.recv_mem;
        rtl_batch_reset(batch);
    } else {
        if (extra.recv_mem != 0)
            sys_vm_release((void *)extra.recv_mem, extra.recv_mem_length);
        /* Still ours if the call never got through; gone (and this fails) if it did. */
        sys_vm_release(batch, NIC_BATCH_BYTES);
        batch_renew();
        if (err == 0)
            err = -E_INVAL;
    }
    if (err < 0) {
        counters.dropped += count;
        stack_failed(err);
    } else {
        stack_error = 0;
    }
}

/* Empties the ring as far as the card has written, sending batches that fill. */
static void drain(void)
{
    for (;;) {
        uint32_t write = card_rx_write(card);
        enum rtl_rx_result result = rtl_rx_drain(&ring, write, batch, NIC_BATCH_BYTES, &counters);
        card_rx_done(card, ring.read);
        if (result == RTL_RX_DRAINED)
            return;
        if (result == RTL_RX_FULL) {
            deliver();
            continue;
        }
        printf("rtl8139: receive ring out of step at 0x%x; restarting the receiver\n",
               (unsigned)ring.read);
        card_rx_reset(card);
        ring.read = 0;
        return;
    }
}

static void link_check(void)
{
    bool up = card_link_up(card);
    if (up == link_up)
        return;
    __atomic_store_n(&link_up, up, __ATOMIC_RELAXED);
    printf("rtl8139: link %s\n", up ? "up" : "down");
    adopt_stack();
    if (stack == 0)
        return;
    struct ipc_msg request = {.tag = NIC_LINK, .w = {up ? NIC_LINK_UP : 0}}, reply;
    long err = ipc_request(stack, &request, &reply, IPC_FOREVER, NULL);
    if (err < 0)
        stack_failed(err);
}

/* MPC counts up from the reset in 24 bits; the difference since the last look is what was new. */
static void missed_update(void)
{
    uint32_t mpc = card_missed(card);
    missed += (mpc - last_mpc) & 0xFFFFFFu;
    last_mpc = mpc;
}

static void interrupt(void)
{
    bool link_changed = false;
    uint16_t status;
    do {
        while ((status = card_interrupts(card) & ISR_WANTED) != 0) {
            card_clear_interrupts(card, status);
            if (status & ISR_RXOVW)
                counters.dropped++;
            if (status & ISR_FOVW)
                counters.dropped++;
            if (status & ISR_LINKCHG)
                link_changed = true;
            drain();
        }
        missed_update();
        sys_irq_ack(irq_handle);
        /* Were the line edge-triggered, events since the last look would raise no new edge. */
    } while ((card_interrupts(card) & ISR_WANTED) != 0);
    if (link_changed)
        link_check();
    deliver();
}

static void rx_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct ipc_msg msg;
        long err = ipc_receive(irq_endpoint, &msg, IPC_FOREVER, NULL, NULL);
        if (err == -E_INTR)
            continue;
        if (err < 0) {
            printf("rtl8139: cannot receive interrupts: %s\n", error_string((int)err));
            break;
        }
        if (msg.tag == IPC_TAG_NOTIFY)
            interrupt();
    }
    sys_thread_exit();
}

long rx_start(struct card *c, uint32_t irq, uint32_t stack_handle)
{
    card = c;
    irq_handle = irq;
    stack = stack_handle;
    ring.base = c->ring;
    ring.read = 0;
    link_up = card_link_up(c);
    last_mpc = card_missed(c);
    batch_renew();
    if (batch == drop_batch)
        return -E_NOMEM;
    long endpoint = endpoint_create(); /* RIGHTS_ALL: its send right keeps receives waiting */
    if (endpoint < 0)
        return endpoint;
    irq_endpoint = (uint32_t)endpoint;
    long err = sys_irq_bind(irq, irq_endpoint, IRQ_BIT);
    if (err < 0)
        return err;
    char *thread_stack = malloc(RX_STACK_BYTES);
    if (thread_stack == NULL)
        return -E_NOMEM;
    err = sys_thread_create(rx_main, thread_stack + RX_STACK_BYTES, NULL);
    return err < 0 ? err : 0;
}
