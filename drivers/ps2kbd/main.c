/*
 * ps2kbd: the PS/2 keyboard driver, in ring 3.
 *
 * Handles, in the order init grants them (etc/services):
 *   1  port 0x60, the i8042 data port (scancodes in, keyboard commands out)
 *   2  port 0x64, the i8042 status port
 *   3  IRQ line 1, the keyboard's interrupt
 *   4  the console server's endpoint, minted with CONSOLE_BADGE_KEYBOARD
 *
 * Two threads share the work so that a slow console never costs a
 * scancode. The main thread owns the hardware: it sleeps on an endpoint
 * of its own to which IRQ 1 is bound, and on each interrupt reads every
 * byte the controller holds, acknowledges the line, decodes the bytes
 * (scancode.c) and puts the key events in a ring. The sender thread takes
 * events from the ring and sends each to the console as a one-way
 * INPUT_KEY (parley/proto/input.h); it is the only one that ever waits
 * for the console. The i8042 itself buffers only a few bytes, so the
 * main thread must never wait on anything but the keyboard. It also keeps
 * the keyboard's LEDs in step with Caps Lock and Num Lock (command 0xED).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/input.h>
#include <parley/sys.h>
#include <parley/portio.h>

#include "scancode.h"

#define HANDLE_DATA_PORT 1
#define HANDLE_STATUS_PORT 2
#define HANDLE_IRQ 3
#define HANDLE_CONSOLE 4

#define PORT_DATA 0x60
#define PORT_STATUS 0x64
#define STATUS_OUTPUT_FULL (1u << 0) /* a byte waits at PORT_DATA */
#define STATUS_INPUT_FULL (1u << 1)  /* the controller has not taken our last write */
#define STATUS_AUX (1u << 5)         /* the waiting byte is the mouse's, not ours */

#define KEYBOARD_SET_LEDS 0xED
/* Status reads before giving up on a controller that never takes a write. */
#define WRITE_SPINS 100000

#define IRQ_BIT 1u

/* Events waiting for the console: room for well over a thousand keystrokes. */
#define RING_SIZE 4096
#define SENDER_STACK (64 * 1024)

/*
 * The ring between the two threads: the main thread only advances head,
 * the sender only tail, so each index has one writer and the atomics
 * just order the slot contents against the index.
 */
struct event_ring {
    struct key_event slots[RING_SIZE];
    uint32_t head; /* next slot to fill */
    uint32_t tail; /* next slot to send */
};

static struct event_ring ring;
static struct scancode_decoder decoder;

/*
 * Waking the sender. It sleeps in a receive on wake_endpoint after
 * setting sender_idle; whoever clears sender_idle (an exchange that finds
 * it set) owns the wake-up. The main thread that clears it sends one
 * message; the sender that clears it itself (events arrived just before
 * it slept) receives none. So a wake is never lost and the main thread
 * never waits for a sender busy with the console.
 */
static uint32_t wake_endpoint;
static int sender_idle;

static bool queue_overflowing;
static unsigned long events_dropped;

static bool ring_empty(void)
{
    return __atomic_load_n(&ring.tail, __ATOMIC_ACQUIRE) ==
           __atomic_load_n(&ring.head, __ATOMIC_ACQUIRE);
}

/* Main thread: queues one event; false when the ring is full. */
static bool ring_push(const struct key_event *event)
{
    uint32_t head = ring.head;
    if (head - __atomic_load_n(&ring.tail, __ATOMIC_ACQUIRE) == RING_SIZE)
        return false;
    ring.slots[head % RING_SIZE] = *event;
    __atomic_store_n(&ring.head, head + 1, __ATOMIC_RELEASE);
    return true;
}

/* Sender thread: takes the oldest event; false when there is none. */
static bool ring_pop(struct key_event *event)
{
    uint32_t tail = ring.tail;
    if (tail == __atomic_load_n(&ring.head, __ATOMIC_ACQUIRE))
        return false;
    *event = ring.slots[tail % RING_SIZE];
    __atomic_store_n(&ring.tail, tail + 1, __ATOMIC_RELEASE);
    return true;
}

/* Sends one event to the console; logs the first failure of each kind only. */
static void console_send(const struct key_event *event)
{
    static bool console_gone;
    static long last_error;
    if (console_gone)
        return;
    struct ipc_msg msg = {INPUT_KEY,
                          {event->key, event->modifiers, event->pressed, event->character}};
    long err = ipc_send(HANDLE_CONSOLE, &msg, IPC_FOREVER, NULL);
    if (err == -E_CLOSED) {
        console_gone = true;
        printf("ps2kbd: the console is gone; keys are read and dropped from now on\n");
    } else if (err < 0 && err != last_error) {
        last_error = err;
        printf("ps2kbd: cannot send a key to the console: %s\n", error_string((int)err));
    }
}

static void sender_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct key_event event;
        if (ring_pop(&event)) {
            console_send(&event);
            continue;
        }
        __atomic_store_n(&sender_idle, 1, __ATOMIC_SEQ_CST);
        /* Events may have come between the pop and the flag: then go on, unless the
         * main thread already took the flag and so will send a wake-up to collect. */
        if (!ring_empty() && __atomic_exchange_n(&sender_idle, 0, __ATOMIC_SEQ_CST) == 1)
            continue;
        struct ipc_msg wake;
        while (ipc_receive(wake_endpoint, &wake, IPC_FOREVER, NULL, NULL) == -E_INTR)
            continue;
    }
}

/* Main thread, after queueing: wakes the sender if it sleeps (or is about to). */
static void sender_wake(void)
{
    if (__atomic_exchange_n(&sender_idle, 0, __ATOMIC_SEQ_CST) == 0)
        return;
    struct ipc_msg wake = {0};
    ipc_send(wake_endpoint, &wake, IPC_FOREVER, NULL);
}

/* Writes a byte for the keyboard once the controller's input buffer is free. */
static bool keyboard_write(uint8_t byte)
{
    for (int i = 0; i < WRITE_SPINS; i++) {
        if ((inb(PORT_STATUS) & STATUS_INPUT_FULL) == 0) {
            outb(PORT_DATA, byte);
            return true;
        }
    }
    return false;
}

/*
 * Sets the LEDs: command 0xED, then the LED byte. The keyboard answers
 * each with 0xFA, which arrives as an ordinary byte and which the decoder
 * ignores.
 */
static void keyboard_set_leds(uint8_t leds)
{
    static bool warned;
    if ((!keyboard_write(KEYBOARD_SET_LEDS) || !keyboard_write(leds)) && !warned) {
        warned = true;
        printf("ps2kbd: the controller does not take commands; LEDs not set\n");
    }
}

static void queue_event(const struct key_event *event)
{
    if (ring_push(event)) {
        queue_overflowing = false;
        return;
    }
    events_dropped++;
    if (!queue_overflowing) {
        queue_overflowing = true;
        printf("ps2kbd: the console is not taking keys; dropping (%lu so far)\n", events_dropped);
    }
}

/*
 * Reads and decodes every byte the controller holds; returns how many
 * events were queued. Each read makes the controller load its next byte,
 * so the loop ends only when the keyboard has nothing more to say.
 */
static int keyboard_drain(void)
{
    int queued = 0;
    for (;;) {
        uint8_t status = inb(PORT_STATUS);
        if ((status & STATUS_OUTPUT_FULL) == 0)
            return queued;
        uint8_t byte = inb(PORT_DATA);
        if (status & STATUS_AUX)
            continue;
        struct key_event event;
        if (scancode_feed(&decoder, byte, &event)) {
            queue_event(&event);
            queued++;
        }
    }
}

/* Throws away what the controller holds: keys typed before the driver ran are stale. */
static void keyboard_flush(void)
{
    for (int i = 0; i < 64 && (inb(PORT_STATUS) & STATUS_OUTPUT_FULL); i++)
        inb(PORT_DATA);
}

static int fail(const char *what, long err)
{
    printf("ps2kbd: %s: %s\n", what, error_string((int)err));
    return 1;
}

int main(void)
{
    long err;
    if ((err = sys_ioport_enable(HANDLE_DATA_PORT)) < 0 ||
        (err = sys_ioport_enable(HANDLE_STATUS_PORT)) < 0)
        return fail("cannot use the i8042 ports", err);
    long irq_endpoint = endpoint_create();
    if (irq_endpoint < 0)
        return fail("cannot create an endpoint", irq_endpoint);
    long wake = endpoint_create();
    if (wake < 0)
        return fail("cannot create an endpoint", wake);
    wake_endpoint = (uint32_t)wake;

    scancode_init(&decoder);
    if ((err = sys_irq_bind(HANDLE_IRQ, (uint32_t)irq_endpoint, IRQ_BIT)) < 0)
        return fail("cannot bind IRQ 1", err);
    /* After the bind, so a byte left waiting (its interrupt long gone) cannot block
     * the next ones; an interrupt for what is flushed here just finds nothing. */
    keyboard_flush();
    uint8_t leds = scancode_leds(&decoder);
    keyboard_set_leds(leds);

    char *stack = malloc(SENDER_STACK);
    if (stack == NULL)
        return fail("no memory for the sender's stack", -E_NOMEM);
    if ((err = sys_thread_create(sender_main, stack + SENDER_STACK, NULL)) < 0)
        return fail("cannot start the sender thread", err);
    printf("ps2kbd: ready\n");

    for (;;) {
        struct ipc_msg msg;
        err = ipc_receive((uint32_t)irq_endpoint, &msg, IPC_FOREVER, NULL, NULL);
        if (err == -E_INTR)
            continue;
        if (err < 0)
            return fail("cannot receive interrupts", err);
        if (msg.tag != IPC_TAG_NOTIFY)
            continue;
        /* Bytes that came between the drain and the ack raised no new interrupt
         * (the line was masked), so drain once more after unmasking it. */
        int queued = keyboard_drain();
        sys_irq_ack(HANDLE_IRQ);
        queued += keyboard_drain();
        if (scancode_leds(&decoder) != leds) {
            leds = scancode_leds(&decoder);
            keyboard_set_leds(leds);
        }
        if (queued > 0)
            sender_wake();
    }
}
