/*
 * The client half of the cross-process transfer test (see
 * ipc-xfer-server.c): moves a fresh endpoint handle and a 64 KiB region
 * to the server in one call, after two tries the server cannot take
 * (-E_NOSPC: it passed no ipc_extra, then its handle table was full;
 * nothing may have moved either time), and checks that both are gone
 * from here afterwards, that the reply brought the byte sum and the
 * server's region, and that the server can send on the endpoint it got.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

#define TIMEOUT (5000 * NS_PER_MS)
#define SEED 11

int main(void)
{
    test_name = "ipc-xfer-client";
    long region = sys_vm_reserve(XFER_REGION, VM_READ | VM_WRITE);
    long mine = endpoint_create();
    long given = handle_dup((uint32_t)mine, RIGHT_SEND | RIGHT_TRANSFER);
    if (region < 0 || mine < 0 || given < 0) {
        printf("ipc-xfer-client: setup failed: %ld %ld %ld\n", region, mine, given);
        return 1;
    }
    pattern_fill((uint8_t *)region, XFER_REGION, SEED);
    uint64_t sum = byte_sum((const uint8_t *)region, XFER_REGION);

    struct ipc_msg give = {TEST_XFER, {SEED, sum}};
    struct ipc_msg reply;
    struct ipc_extra extra;
    memset(&extra, 0, sizeof(extra));
    extra.send_handles[0] = (uint32_t)given;
    extra.send_count = 1;
    extra.send_mem = (uint64_t)region;
    extra.send_mem_length = XFER_REGION;

    static const char *const refusals[] = {"transfer to a receiver without ipc_extra",
                                           "transfer to a receiver with a full handle table"};
    for (int i = 0; i < 2; i++) {
        expect(refusals[i], ipc_call(WIRED_HANDLE, &give, &reply, TIMEOUT, &extra), -E_NOSPC);
        expect("the handle stays", handle_info((uint32_t)given),
               (long)OBJECT_ENDPOINT << 32 | RIGHT_SEND | RIGHT_TRANSFER);
        expect("the region stays intact",
               (long)pattern_errors((const uint8_t *)region, XFER_REGION, SEED), 0);
        struct ipc_msg hello = {TEST_NULL, {0}};
        expect("hello", ipc_request(WIRED_HANDLE, &hello, &reply, TIMEOUT, NULL), 0);
    }

    expect("the transfer", ipc_request(WIRED_HANDLE, &give, &reply, TIMEOUT, &extra), 0);
    expect("the sum the server read", (long)reply.w[0], (long)sum);
    expect("the moved handle is gone", handle_info((uint32_t)given), -E_BADHANDLE);
    expect("the moved region is gone", sys_vm_release((void *)region, XFER_REGION), -E_INVAL);
    expect("length of the region in the reply", (long)extra.recv_mem_length, XFER_REPLY_REGION);
    if (extra.recv_mem != 0 && extra.recv_mem_length == XFER_REPLY_REGION) {
        const uint8_t *bytes = (const uint8_t *)extra.recv_mem;
        size_t wrong = 0;
        for (size_t i = 0; i < XFER_REPLY_REGION; i++)
            wrong += bytes[i] != XFER_REPLY_BYTE;
        expect("bytes of the reply region that differ", (long)wrong, 0);
        expect("release the reply region",
               sys_vm_release((void *)extra.recv_mem, extra.recv_mem_length), 0);
    }

    struct ipc_msg note;
    uint64_t from = 0;
    if (expect("receive on the endpoint the server got",
               ipc_receive((uint32_t)mine, &note, TIMEOUT, NULL, &from), 0)) {
        expect("its tag", (long)note.tag, TEST_PING);
        expect("its sum", (long)note.w[0], (long)sum);
        expect("the sender pid the kernel reports", (long)IPC_SENDER_PID(from), (long)note.w[1]);
    }

    printf("ipc-xfer-client: moved %d bytes and a handle to pid %u, %d checks, %d failed\n",
           XFER_REGION, IPC_SENDER_PID(from), test_checks, test_failures);
    return test_failures == 0 ? 0 : 1;
}
