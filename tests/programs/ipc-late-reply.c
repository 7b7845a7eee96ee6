/*
 * A reply must never reach a call that has already timed out.
 *
 * A caller whose timeout passes is woken with -E_TIMEOUT by the timer
 * tick but only runs later; a server thread that replies in between must
 * get -E_INVAL (no call to answer), not a delivered reply the caller
 * never sees (its words lost, any handles or memory it moved stranded).
 *
 * Main calls with a 20 ms timeout; a server thread takes the call and
 * spins until 10-15 ms after the timeout (past the timer tick that wakes
 * main) before it replies; two more threads spin, so that after that tick
 * the server is usually queued to run before main. Each trial must end
 * one way or the other: the call answered and the reply delivered, or
 * the call timed out and the reply refused.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>
#include <stdlib.h>

#include "ipc_test.h"

#define TRIALS 60
#define TIMEOUT (20 * NS_PER_MS)
#define STACK_SIZE (64 * 1024)
#define PENDING 1

static uint32_t endpoint;
static volatile uint64_t reply_at;
static volatile long reply_result = PENDING;
static volatile int receiving; /* trials the server has started to receive for */
static volatile int stop;

static void server(void *arg)
{
    (void)arg;
    for (;;) {
        struct ipc_msg request, reply = {0, {42}};
        receiving++;
        if (ipc_receive(endpoint, &request, IPC_FOREVER, NULL, NULL) < 0)
            sys_thread_exit();
        while (time_now_ns() < reply_at)
            ;
        reply_result = ipc_reply(&reply, NULL);
    }
}

static void spinner(void *arg)
{
    (void)arg;
    while (!stop)
        ;
    sys_thread_exit();
}

static void start_thread(void (*entry)(void *))
{
    char *stack = malloc(STACK_SIZE);
    expect_true("start a thread",
                stack != NULL && sys_thread_create(entry, stack + STACK_SIZE, NULL) > 0);
}

int main(void)
{
    test_name = "ipc-late-reply";
    endpoint = (uint32_t)endpoint_create();
    start_thread(server);
    start_thread(spinner);
    start_thread(spinner);

    int stranded = 0, timed_out = 0, answered = 0, missed = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
        struct ipc_msg request = {TEST_NULL, {0}}, reply = {0};
        /* Call only once the server is (all but) back in its receive. */
        while (receiving <= trial)
            sys_yield();
        sys_yield();
        reply_result = PENDING;
        reply_at = time_now_ns() + TIMEOUT + (10 + (uint64_t)(trial % 6)) * NS_PER_MS;
        long err = ipc_call(endpoint, &request, &reply, TIMEOUT, NULL);
        uint64_t give_up = time_now_ns() + 500 * NS_PER_MS;
        while (reply_result == PENDING && time_now_ns() < give_up)
            sys_yield();
        if (reply_result == PENDING && err == -E_TIMEOUT)
            missed++; /* timed out before the server took it: not a trial */
        else if (err == 0 && reply_result == 0 && reply.w[0] == 42)
            answered++;
        else if (err == -E_TIMEOUT && reply_result == -E_INVAL)
            timed_out++;
        else if (err == -E_TIMEOUT && reply_result == 0)
            stranded++;
        else
            expect("an unexpected call result", err, reply_result);
    }
    stop = 1;
    expect("replies delivered to calls that had timed out", stranded, 0);

    printf("ipc-late-reply: %d trials: %d answered, %d timed out, %d replies stranded, "
           "%d not received, %d checks, %d failed\n",
           TRIALS, answered, timed_out, stranded, missed, test_checks, test_failures);
    return test_failures == 0 ? 0 : 1;
}
