/*
 * Rights, bad handles, timeouts and delivery failures of IPC, inside one
 * process: every check compares an IPC result with the exact value the
 * ABI (<parley/ipc.h>, docs/ipc.md) promises, and logs a FAIL line when
 * it differs. Needs no wiring.
 *
 * The second half gives the endpoint a receiver: a second thread, which
 * answers each call with what it saw (in the reply words). Threads share
 * the handle table and the address space, so what is checked here is the
 * kernel's bookkeeping of moves; ipc-xfer-* does the same across
 * processes.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_test.h"

/* Requests to the receiver thread. */
enum {
    ASK_PING = 1,      /* an empty reply */
    ASK_NO_EXTRA_NEXT, /* the next receive passes no ipc_extra */
    ASK_HANDLE,        /* w0 = count, w1 = handle, w2 = its info; the handle is closed */
    ASK_KEEP_HANDLE,   /* the same, but the handle is kept */
    ASK_MEMORY,        /* w0 = address, w1 = length, w2 = wrong bytes, w3 = release result */
    ASK_SLOW,          /* answered after SLOW_REPLY; the reply's result goes to late_reply */
    ASK_DIE,           /* the thread exits without answering */
};

#define TIMEOUT (2000 * NS_PER_MS)
#define STACK_SIZE (64 * 1024)
#define MEMORY_SEED 3
#define SLOW_REPLY (100 * NS_PER_MS)
#define FIFO_SENDERS 3
#define PENDING 1 /* a result not there yet (results are 0 or negative) */

static uint32_t endpoint;
static volatile long late_reply = PENDING;
static volatile long fifo_results[FIFO_SENDERS];

static void receiver(void *arg)
{
    int with_extra = 1;

    (void)arg;
    for (;;) {
        struct ipc_extra extra;
        struct ipc_msg request, reply = {0};

        memset(&extra, 0, sizeof(extra));
        long err = ipc_receive(endpoint, &request, IPC_FOREVER, with_extra ? &extra : NULL, NULL);
        if (err < 0) {
            printf("ipc-rights: FAIL receiver thread: %s\n", strerror((int)err));
            sys_thread_exit();
        }
        with_extra = 1;
        switch (request.tag) {
        case ASK_NO_EXTRA_NEXT:
            with_extra = 0;
            break;
        case ASK_HANDLE:
        case ASK_KEEP_HANDLE:
            reply.w[0] = extra.recv_count;
            reply.w[1] = extra.recv_handles[0];
            reply.w[2] = (uint64_t)handle_info(extra.recv_handles[0]);
            if (request.tag == ASK_HANDLE)
                handle_close(extra.recv_handles[0]);
            break;
        case ASK_MEMORY:
            reply.w[0] = extra.recv_mem;
            reply.w[1] = extra.recv_mem_length;
            if (extra.recv_mem != 0) {
                reply.w[2] = pattern_errors((const uint8_t *)extra.recv_mem, extra.recv_mem_length,
                                            MEMORY_SEED);
                reply.w[3] =
                    (uint64_t)sys_vm_release((void *)extra.recv_mem, extra.recv_mem_length);
            }
            break;
        case ASK_SLOW:
            sys_sleep(SLOW_REPLY);
            late_reply = ipc_reply(&reply, NULL);
            continue;
        case ASK_DIE:
            sys_thread_exit();
        }
        ipc_reply(&reply, NULL);
    }
}

static long ask(uint64_t what, struct ipc_msg *reply, struct ipc_extra *extra)
{
    struct ipc_msg request = {what, {0}};

    return ipc_call(endpoint, &request, reply, TIMEOUT, extra);
}

static void start_thread(void (*entry)(void *), void *arg)
{
    char *stack = malloc(STACK_SIZE);
    long tid = stack != NULL ? sys_thread_create(entry, stack + STACK_SIZE, arg) : -E_NOMEM;
    expect_true("start a thread", tid > 0);
}

/* Waits (a bounded while) until *result is no longer PENDING. */
static long wait_result(volatile long *result)
{
    for (int i = 0; i < 200 && *result == PENDING; i++)
        sys_sleep(10 * NS_PER_MS);
    return *result;
}

static void fifo_sender(void *arg)
{
    long index = (long)arg;
    struct ipc_msg msg = {ASK_PING, {(uint64_t)index}};

    fifo_results[index] = ipc_send(endpoint, &msg, TIMEOUT, NULL);
    sys_thread_exit();
}

/* Senders queued on an endpoint are received first come, first served. */
static void check_fifo(void)
{
    for (long i = 0; i < FIFO_SENDERS; i++) {
        fifo_results[i] = PENDING;
        start_thread(fifo_sender, (void *)i);
        sys_sleep(20 * NS_PER_MS); /* until it is queued */
    }
    for (long i = 0; i < FIFO_SENDERS; i++) {
        struct ipc_msg msg = {0};
        if (expect("receive from a queued sender", ipc_receive(endpoint, &msg, TIMEOUT, NULL, NULL),
                   0))
            expect("senders come in the order they queued", (long)msg.w[0], i);
    }
    for (long i = 0; i < FIFO_SENDERS; i++)
        expect("each queued send succeeds", wait_result(&fifo_results[i]), 0);
}

static void check_rights(void)
{
    struct ipc_msg msg = {ASK_PING, {0}};
    long recv_only = handle_dup(endpoint, RIGHT_RECEIVE);
    long send_only = handle_dup(endpoint, RIGHT_SEND);

    expect("info of a new endpoint", handle_info(endpoint),
           (long)OBJECT_ENDPOINT << 32 | RIGHTS_ALL);
    expect("info of a receive-only dup", handle_info(recv_only),
           (long)OBJECT_ENDPOINT << 32 | RIGHT_RECEIVE);
    expect("send on a receive-only handle", ipc_send(recv_only, &msg, IPC_POLL, NULL), -E_PERM);
    expect("call on a receive-only handle", ipc_call(recv_only, &msg, &msg, IPC_POLL, NULL),
           -E_PERM);
    expect("receive on a send-only handle", ipc_receive(send_only, &msg, IPC_POLL, NULL, NULL),
           -E_PERM);
    expect("dup of a handle without RIGHT_DUPLICATE", handle_dup(send_only, RIGHT_SEND), -E_PERM);

    long send_dup = handle_dup(endpoint, RIGHT_SEND | RIGHT_DUPLICATE);
    expect("dup with more rights than the source",
           handle_dup(send_dup, RIGHT_SEND | RIGHT_RECEIVE | RIGHT_DUPLICATE), -E_PERM);
    long fewer = handle_dup(send_dup, RIGHT_SEND);
    expect_true("dup with fewer rights works", fewer > 0);
    expect("info of a dup with fewer rights", handle_info(fewer),
           (long)OBJECT_ENDPOINT << 32 | RIGHT_SEND);

    expect("close a dup", handle_close(fewer), 0);
    expect("close it again", handle_close(fewer), -E_BADHANDLE);
    expect("info of a closed handle", handle_info(fewer), -E_BADHANDLE);
    handle_close(send_dup);
    handle_close(recv_only);
    handle_close(send_only);

    expect("info of handle 0", handle_info(0), -E_BADHANDLE);
    expect("info of handle 9999", handle_info(9999), -E_BADHANDLE);
    expect("send on handle 0", ipc_send(0, &msg, IPC_POLL, NULL), -E_BADHANDLE);
    expect("receive on handle 9999", ipc_receive(9999, &msg, IPC_POLL, NULL, NULL), -E_BADHANDLE);
    expect("dup of handle 9999", handle_dup(9999, RIGHT_SEND), -E_BADHANDLE);
    expect("close handle 0", handle_close(0), -E_BADHANDLE);
}

static void check_no_partner(void)
{
    struct ipc_msg msg = {ASK_PING, {0}};

    expect("receive with IPC_POLL and no sender", ipc_receive(endpoint, &msg, IPC_POLL, NULL, NULL),
           -E_AGAIN);
    expect("send with IPC_POLL and no receiver", ipc_send(endpoint, &msg, IPC_POLL, NULL),
           -E_AGAIN);
    expect("reply with no call received", ipc_reply(&msg, NULL), -E_INVAL);

    uint64_t start = time_now_ns();
    expect("receive with a 50 ms timeout", ipc_receive(endpoint, &msg, 50 * NS_PER_MS, NULL, NULL),
           -E_TIMEOUT);
    uint64_t waited = time_now_ns() - start;
    expect_true("the receive waited at least 50 ms", waited >= 50 * NS_PER_MS);
    expect_true("the receive waited less than 1 s", waited < 1000 * NS_PER_MS);

    start = time_now_ns();
    expect("call with a 50 ms timeout", ipc_call(endpoint, &msg, &msg, 50 * NS_PER_MS, NULL),
           -E_TIMEOUT);
    expect_true("the call waited at least 50 ms", time_now_ns() - start >= 50 * NS_PER_MS);
    /* Timed out means gone from the queues: nobody is left waiting. */
    expect("receive after a timed-out call", ipc_receive(endpoint, &msg, IPC_POLL, NULL, NULL),
           -E_AGAIN);
    expect("send after a timed-out receive", ipc_send(endpoint, &msg, IPC_POLL, NULL), -E_AGAIN);
    printf("ipc-rights: receive timeout of 50 ms returned after %lu us\n",
           (unsigned long)(waited / 1000));

    /* An endpoint nobody can receive on: senders fail at once, whatever the timeout. */
    long only_endpoint = endpoint_create();
    long sender = handle_dup(only_endpoint, RIGHT_SEND);
    handle_close(only_endpoint);
    expect("send with no receive handle left", ipc_send(sender, &msg, IPC_FOREVER, NULL),
           -E_CLOSED);
    expect("call with no receive handle left", ipc_call(sender, &msg, &msg, IPC_FOREVER, NULL),
           -E_CLOSED);
    handle_close(sender);

    /* And one nobody can send on. */
    only_endpoint = endpoint_create();
    long getter = handle_dup(only_endpoint, RIGHT_RECEIVE);
    handle_close(only_endpoint);
    expect("receive with no send handle left", ipc_receive(getter, &msg, IPC_FOREVER, NULL, NULL),
           -E_CLOSED);
    handle_close(getter);
}

/*
 * The timeout of a call covers the wait for the reply: the caller gives
 * up, and the server's late reply finds no call to answer.
 */
static void check_late_reply(void)
{
    struct ipc_msg request = {ASK_SLOW, {0}};
    struct ipc_msg reply;
    uint64_t start = time_now_ns();

    expect("a call whose reply comes too late",
           ipc_call(endpoint, &request, &reply, 30 * NS_PER_MS, NULL), -E_TIMEOUT);
    uint64_t waited = time_now_ns() - start;
    expect_true("it waited at least 30 ms", waited >= 30 * NS_PER_MS);
    expect_true("it gave up before the reply", waited < SLOW_REPLY - 10 * NS_PER_MS);
    expect("the late reply", wait_result(&late_reply), -E_INVAL);

    /* With the receiver waiting, IPC_POLL delivers (once it is back in its receive). */
    long err = -E_AGAIN;
    for (int i = 0; i < 100 && err == -E_AGAIN; i++) {
        struct ipc_msg ping = {ASK_PING, {0}};
        err = ipc_send(endpoint, &ping, IPC_POLL, NULL);
        if (err == -E_AGAIN)
            sys_sleep(NS_PER_MS);
    }
    expect("send with IPC_POLL to a waiting receiver", err, 0);
}

/* Moves and copies of handles to the receiver thread. */
static void check_handle_moves(void)
{
    struct ipc_msg reply;
    struct ipc_extra extra;
    long target = endpoint_create();

    long moved = handle_dup(target, RIGHT_SEND | RIGHT_TRANSFER);
    long info = handle_info(moved);
    memset(&extra, 0, sizeof(extra));
    extra.send_handles[0] = (uint32_t)moved;
    extra.send_count = 1;
    if (expect("call moving a handle", ask(ASK_HANDLE, &reply, &extra), 0)) {
        expect("handles the receiver got", (long)reply.w[0], 1);
        expect("the receiver's info of the moved handle", (long)reply.w[2], info);
    }
    expect("info of the moved handle at the sender", handle_info(moved), -E_BADHANDLE);

    long copied = handle_dup(target, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
    info = handle_info(copied);
    memset(&extra, 0, sizeof(extra));
    extra.send_handles[0] = (uint32_t)copied;
    extra.send_count = 1;
    extra.send_flags = IPC_COPY_HANDLE(0);
    if (expect("call copying a handle", ask(ASK_KEEP_HANDLE, &reply, &extra), 0)) {
        expect("the receiver's info of the copy", (long)reply.w[2], info);
        expect_true("the copy is a new handle", reply.w[1] != (uint64_t)copied);
        expect("close the copy", handle_close((uint32_t)reply.w[1]), 0);
    }
    expect("info of the copied handle at the sender", handle_info(copied), info);
    handle_close(copied);

    long no_dup = handle_dup(target, RIGHT_SEND | RIGHT_TRANSFER);
    extra.send_handles[0] = (uint32_t)no_dup;
    expect("copy of a handle without RIGHT_DUPLICATE", ask(ASK_KEEP_HANDLE, &reply, &extra),
           -E_PERM);
    expect_true("the sender keeps it", handle_info(no_dup) > 0);
    handle_close(no_dup);

    long no_transfer = handle_dup(target, RIGHT_SEND);
    extra.send_handles[0] = (uint32_t)no_transfer;
    extra.send_flags = 0;
    expect("move of a handle without RIGHT_TRANSFER", ask(ASK_HANDLE, &reply, &extra), -E_PERM);
    expect_true("the sender keeps it", handle_info(no_transfer) > 0);
    handle_close(no_transfer);

    long spare = handle_dup(target, RIGHT_SEND | RIGHT_TRANSFER);
    extra.send_handles[0] = (uint32_t)spare;
    extra.send_count = IPC_MAX_HANDLES + 1;
    expect("more than IPC_MAX_HANDLES handles", ask(ASK_HANDLE, &reply, &extra), -E_INVAL);
    extra.send_count = 1;
    extra.send_handles[0] = 9999;
    expect("moving handle 9999", ask(ASK_HANDLE, &reply, &extra), -E_BADHANDLE);
    handle_close(spare);
    handle_close(target);
}

/* Moves of memory regions to the receiver thread. */
static void check_memory_moves(void)
{
    struct ipc_msg reply;
    struct ipc_extra extra;
    size_t length = 64 * 1024;
    long region = sys_vm_reserve(length, VM_READ | VM_WRITE);

    if (!expect_true("reserve 64 KiB", region > 0))
        return;
    pattern_fill((uint8_t *)region, length, MEMORY_SEED);
    memset(&extra, 0, sizeof(extra));
    extra.send_mem = (uint64_t)region;
    extra.send_mem_length = length;
    if (expect("call moving 64 KiB", ask(ASK_MEMORY, &reply, &extra), 0)) {
        expect_true("the receiver got a region", reply.w[0] != 0);
        expect("its length", (long)reply.w[1], (long)length);
        expect("bytes that differ at the receiver", (long)reply.w[2], 0);
        expect("the receiver releases it", (long)reply.w[3], 0);
    }
    expect("the sender's release of the moved region", sys_vm_release((void *)region, length),
           -E_INVAL);

    /* Malformed regions: not exactly one reservation. */
    long other = sys_vm_reserve(4 * 4096, VM_READ | VM_WRITE);
    memset(&extra, 0, sizeof(extra));
    extra.send_mem = (uint64_t)other + 4096;
    extra.send_mem_length = 4096;
    expect("moving the middle of a region", ask(ASK_MEMORY, &reply, &extra), -E_INVAL);
    extra.send_mem = (uint64_t)other;
    extra.send_mem_length = 2 * 4096;
    expect("moving a region with the wrong length", ask(ASK_MEMORY, &reply, &extra), -E_INVAL);
    extra.send_mem = (uint64_t)&reply & ~4095ull;
    extra.send_mem_length = 4096;
    expect("moving the stack", ask(ASK_MEMORY, &reply, &extra), -E_INVAL);
    expect("the region survives refused moves", sys_vm_release((void *)other, 4 * 4096), 0);
}

/* A receiver that passed no ipc_extra: the message fails and nothing moves. */
static void check_no_room(void)
{
    struct ipc_msg reply;
    struct ipc_extra extra;
    long target = endpoint_create();
    long handle = handle_dup(target, RIGHT_SEND | RIGHT_TRANSFER);
    long info = handle_info(handle);
    size_t length = 8192;
    long region = sys_vm_reserve(length, VM_READ | VM_WRITE);

    pattern_fill((uint8_t *)region, length, MEMORY_SEED + 1);
    expect("ask for a receive without ipc_extra", ask(ASK_NO_EXTRA_NEXT, &reply, NULL), 0);
    memset(&extra, 0, sizeof(extra));
    extra.send_handles[0] = (uint32_t)handle;
    extra.send_count = 1;
    expect("a handle to a receiver without ipc_extra", ask(ASK_HANDLE, &reply, &extra), -E_NOSPC);
    expect("the sender still has the handle", handle_info(handle), info);
    memset(&extra, 0, sizeof(extra));
    extra.send_mem = (uint64_t)region;
    extra.send_mem_length = length;
    expect("memory to a receiver without ipc_extra", ask(ASK_MEMORY, &reply, &extra), -E_NOSPC);
    expect("the sender's memory is intact",
           (long)pattern_errors((const uint8_t *)region, length, MEMORY_SEED + 1), 0);
    expect("a plain call still reaches that receiver", ask(ASK_PING, &reply, NULL), 0);
    expect("the sender can release its memory", sys_vm_release((void *)region, length), 0);
    expect("and close its handle", handle_close(handle), 0);
    handle_close(target);
}

int main(void)
{
    test_name = "ipc-rights";
    long created = endpoint_create();
    if (created <= 0) {
        printf("ipc-rights: cannot create an endpoint: %s\n", strerror((int)created));
        return 1;
    }
    endpoint = (uint32_t)created;

    check_rights();
    check_no_partner();
    check_fifo();

    start_thread(receiver, NULL);
    struct ipc_msg reply;
    expect("a call to the receiver thread", ask(ASK_PING, &reply, NULL), 0);
    check_late_reply();
    check_handle_moves();
    check_memory_moves();
    check_no_room();
    expect("a call whose receiver thread exits before replying", ask(ASK_DIE, &reply, NULL),
           -E_CLOSED);

    printf("ipc-rights: %d checks, %d failed\n", test_checks, test_failures);
    return test_failures == 0 ? 0 : 1;
}
