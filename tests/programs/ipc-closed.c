/*
 * Peer-closed messages (docs/ipc.md, "Peer death"): the receiver of an
 * endpoint hears IPC_TAG_CLOSED with the badge when the last handle
 * carrying that badge is closed, and only then.
 *
 * Run as ipc-closed@serve:c with true@use:c#77 beside it (parallel=1):
 * first, inside this process, a badged handle and its dup: closing one
 * says nothing, closing the other says "closed 11"; an unbadged handle
 * never says anything; a waiting receiver (a second thread) is told at
 * once. Then the wired `true` exits holding badge 77 and we hear 77.
 *
 * Also the saved-reply side of peer death (docs/ipc.md, "Saved
 * replies"): handle_info on a saved reply says OBJECT_REPLY while its
 * caller waits and -E_CLOSED once the caller has given up (a second
 * thread's call times out).
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_test.h"

#define TIMEOUT (5000 * NS_PER_MS)
#define STACK_SIZE (64 * 1024)
#define CALL_TIMEOUT (50 * NS_PER_MS)

static uint32_t own;
static volatile long waiter_result = 1;
static volatile uint64_t waiter_badge;
static uint32_t call_handle;
static volatile long caller_result = 1;

/* Receives one message, checking it is a closed message; returns its badge or an error. */
static long receive_closed(uint32_t endpoint, uint64_t timeout)
{
    struct ipc_msg msg;
    uint64_t sender = 0;
    long err = ipc_receive(endpoint, &msg, timeout, NULL, &sender);
    if (err < 0)
        return err;
    expect("closed tag", (long)msg.tag, IPC_TAG_CLOSED);
    expect("closed sender pid", IPC_SENDER_PID(sender), 0);
    expect("closed w0 is the badge", (long)msg.w[0], IPC_SENDER_BADGE(sender));
    return IPC_SENDER_BADGE(sender);
}

static void waiter(void *arg)
{
    (void)arg;
    waiter_result = receive_closed(own, TIMEOUT);
    sys_thread_exit();
}

static void caller(void *arg)
{
    (void)arg;
    struct ipc_msg request = {TEST_NULL, {0}}, reply;
    caller_result = ipc_call(call_handle, &request, &reply, CALL_TIMEOUT, NULL);
    sys_thread_exit();
}

/* A saved reply whose caller stopped waiting says so to handle_info. */
static void check_saved_reply(void)
{
    long plain = handle_dup(own, RIGHT_SEND);
    expect("a plain send handle", plain > 0, 1);
    call_handle = (uint32_t)plain;
    void *stack = malloc(STACK_SIZE);
    sys_thread_create(caller, (char *)stack + STACK_SIZE, NULL);
    struct ipc_msg msg;
    expect("the call arrives", ipc_receive(own, &msg, TIMEOUT, NULL, NULL), 0);
    long saved = reply_save();
    expect("a waiting caller's saved reply", handle_info((uint32_t)saved) >> 32, OBJECT_REPLY);
    while (caller_result == 1)
        sys_yield();
    expect("the caller gave up", caller_result, -E_TIMEOUT);
    expect("its saved reply says closed", handle_info((uint32_t)saved), -E_CLOSED);
    expect("and can still be closed", handle_close((uint32_t)saved), 0);
    handle_close((uint32_t)plain);
}

int main(void)
{
    test_name = "ipc-closed";
    long ep = endpoint_create();
    expect("endpoint_create", ep > 0, 1);
    own = (uint32_t)ep;

    long a = handle_mint(own, RIGHT_SEND | RIGHT_DUPLICATE, 11);
    long b = handle_dup((uint32_t)a, RIGHT_SEND);
    long plain = handle_dup(own, RIGHT_SEND);
    expect("mint and dup", a > 0 && b > 0 && plain > 0, 1);
    handle_close((uint32_t)a);
    expect("one of two badged handles closed: nothing", receive_closed(own, IPC_POLL), -E_AGAIN);
    handle_close((uint32_t)plain);
    expect("an unbadged handle closed: nothing", receive_closed(own, IPC_POLL), -E_AGAIN);
    handle_close((uint32_t)b);
    expect("the last badged handle closed", receive_closed(own, IPC_POLL), 11);
    expect("told once", receive_closed(own, IPC_POLL), -E_AGAIN);

    /* Nobody but the kernel sends its tags: a forged peer-closed message is refused. */
    long forger = handle_mint(own, RIGHT_SEND, 13);
    struct ipc_msg forged = {.tag = IPC_TAG_CLOSED, .w = {99}};
    expect("a forged IPC_TAG_CLOSED", ipc_send(forger > 0 ? (uint32_t)forger : 0, &forged,
                                                  IPC_POLL, NULL), -E_INVAL);
    handle_close((uint32_t)forger);
    expect("the forger's own close", receive_closed(own, IPC_POLL), 13);

    /* A receiver already waiting is told at once. */
    long c = handle_mint(own, RIGHT_SEND, 12);
    void *stack = malloc(STACK_SIZE);
    sys_thread_create(waiter, (char *)stack + STACK_SIZE, NULL);
    for (int i = 0; i < 10; i++) /* it runs until it waits in the receive */
        sys_yield();
    handle_close((uint32_t)c);
    while (waiter_result == 1)
        sys_yield();
    expect("a waiting receiver hears it", waiter_result, 12);

    check_saved_reply();

    /* The wired `true` ends holding badge 77: its exit closes it. */
    expect("a peer's exit closes its handle", receive_closed(WIRED_HANDLE, TIMEOUT), 77);
    printf("ipc-closed: %d checks, %d failed\n", test_checks, test_failures);
    return test_failures != 0;
}
