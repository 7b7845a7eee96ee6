/*
 * The server half of the cross-process transfer test, wired as
 * ipc-xfer-server@serve:EP beside ipc-xfer-client@use:EP.
 *
 * 1. Its first receive passes no ipc_extra, so the client's first
 *    transfer must fail at the client with -E_NOSPC; the TEST_NULL
 *    that follows is what arrives.
 * 2. It fills its handle table, so the client's second transfer fails
 *    with -E_NOSPC too; again a TEST_NULL arrives instead.
 * 3. Then the transfer itself: an endpoint handle and a 64 KiB region in
 *    one call. It checks the handle's type and rights and every byte,
 *    answers with the byte sum and a 4 KiB region of its own, and then
 *    sends TEST_PING on the endpoint it was given.
 * 4. It waits until the client is gone (-E_CLOSED) and exits.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

#define TIMEOUT (5000 * NS_PER_MS)
#define MAX_FILLERS 256

int main(void)
{
    test_name = "ipc-xfer-server";
    struct ipc_msg msg, reply = {0};
    struct ipc_extra extra;
    uint64_t sender = 0;

    /* 1: nothing may arrive but the plain hello. */
    long err = ipc_receive(WIRED_HANDLE, &msg, IPC_FOREVER, NULL, &sender);
    if (!expect("receive without ipc_extra", err, 0))
        return 1;
    expect("what arrives there", (long)msg.tag, TEST_NULL);
    expect("answer the hello", ipc_reply(&reply, NULL), 0);

    /* 2: no room in the handle table. */
    static uint32_t fillers[MAX_FILLERS];
    int filled = 0;
    long h;
    while (filled < MAX_FILLERS && (h = endpoint_create()) > 0)
        fillers[filled++] = (uint32_t)h;
    expect("creating endpoints until the table is full", h, -E_NOSPC);
    memset(&extra, 0, sizeof(extra));
    err = ipc_receive(WIRED_HANDLE, &msg, IPC_FOREVER, &extra, &sender);
    if (!expect("receive with a full handle table", err, 0))
        return 1;
    expect("what arrives there", (long)msg.tag, TEST_NULL);
    expect("handles that came", extra.recv_count, 0);
    expect("memory that came", (long)extra.recv_mem, 0);
    for (int i = 0; i < filled; i++)
        handle_close(fillers[i]);
    expect("answer the second hello", ipc_reply(&reply, NULL), 0);

    /* 3: the transfer. */
    memset(&extra, 0, sizeof(extra));
    err = ipc_receive(WIRED_HANDLE, &msg, IPC_FOREVER, &extra, &sender);
    if (!expect("receive the transfer", err, 0))
        return 1;
    expect("its tag", (long)msg.tag, TEST_XFER);
    expect("handles that came", extra.recv_count, 1);
    uint32_t given = extra.recv_handles[0];
    expect("the given handle", handle_info(given),
           (long)OBJECT_ENDPOINT << 32 | RIGHT_SEND | RIGHT_TRANSFER);
    expect("length of the region that came", (long)extra.recv_mem_length, XFER_REGION);
    uint64_t sum = 0;
    size_t wrong = XFER_REGION;
    if (extra.recv_mem != 0 && extra.recv_mem_length == XFER_REGION) {
        const uint8_t *bytes = (const uint8_t *)extra.recv_mem;
        wrong = pattern_errors(bytes, XFER_REGION, (unsigned)msg.w[0]);
        sum = byte_sum(bytes, XFER_REGION);
    }
    expect("bytes that differ from the client's pattern", (long)wrong, 0);
    expect("the client's sum", (long)sum, (long)msg.w[1]);

    long back = sys_vm_reserve(XFER_REPLY_REGION, VM_READ | VM_WRITE);
    memset((void *)back, XFER_REPLY_BYTE, XFER_REPLY_REGION);
    struct ipc_extra reply_extra;
    memset(&reply_extra, 0, sizeof(reply_extra));
    reply_extra.send_mem = (uint64_t)back;
    reply_extra.send_mem_length = XFER_REPLY_REGION;
    reply.w[0] = sum;
    expect("reply with a region", ipc_reply(&reply, &reply_extra), 0);
    expect("our region is gone", sys_vm_release((void *)back, XFER_REPLY_REGION), -E_INVAL);
    expect("release the region that came",
           sys_vm_release((void *)extra.recv_mem, extra.recv_mem_length), 0);

    struct ipc_msg note = {TEST_PING, {sum, (uint64_t)sys_getpid()}};
    expect("send on the given endpoint", ipc_send(given, &note, TIMEOUT, NULL), 0);
    expect("close the given endpoint", handle_close(given), 0);

    /* 4: the client exits; nobody is left to send. */
    err = ipc_receive(WIRED_HANDLE, &msg, TIMEOUT, NULL, NULL);
    expect("receive once the client is gone", err, -E_CLOSED);

    printf("ipc-xfer-server: %d bytes and a handle from pid %u, sum %lu, %d checks, %d failed\n",
           XFER_REGION, IPC_SENDER_PID(sender), (unsigned long)sum, test_checks, test_failures);
    return test_failures == 0 ? 0 : 1;
}
