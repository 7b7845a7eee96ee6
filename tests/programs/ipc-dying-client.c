/*
 * A client of ipc-dying-server: its call must end with -E_CLOSED when the
 * server exits, whether the server had received it (and died before
 * replying) or the client was still waiting to be received. Later calls
 * and sends on the dead endpoint must fail with -E_CLOSED at once.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

int main(void)
{
    test_name = "ipc-dying-client";
    struct ipc_msg msg = {TEST_ECHO, {(uint64_t)sys_getpid()}};
    struct ipc_msg reply;
    uint64_t start = time_now_ns();

    expect("call to a server that exits", ipc_call(WIRED_HANDLE, &msg, &reply, IPC_FOREVER, NULL),
           -E_CLOSED);
    uint64_t waited = time_now_ns() - start;

    start = time_now_ns();
    expect("call once the server is gone",
           ipc_call(WIRED_HANDLE, &msg, &reply, 5000 * NS_PER_MS, NULL), -E_CLOSED);
    expect("send once the server is gone", ipc_send(WIRED_HANDLE, &msg, IPC_FOREVER, NULL),
           -E_CLOSED);
    expect_true("those failed at once", time_now_ns() - start < 1000 * NS_PER_MS);

    printf("ipc-dying-client: call woke with E_CLOSED after %lu ms, %d checks, %d failed\n",
           (unsigned long)(waited / NS_PER_MS), test_checks, test_failures);
    return test_failures == 0 ? 0 : 1;
}
