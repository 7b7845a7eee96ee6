/*
 * A server that dies on the job, wired as ipc-dying-server@serve:EP beside
 * two or more ipc-dying-client@use:EP: it receives one call, waits long
 * enough for the other clients to block in their calls, and exits without
 * replying. Every client must then wake with -E_CLOSED.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

#define LINGER (300 * NS_PER_MS)

int main(void)
{
    struct ipc_msg msg;
    uint64_t sender = 0;
    long err = ipc_receive(WIRED_HANDLE, &msg, IPC_FOREVER, NULL, &sender);

    if (err < 0) {
        printf("ipc-dying-server: receive failed: %s\n", strerror((int)err));
        return 1;
    }
    sys_sleep(LINGER);
    printf("ipc-dying-server: took a call from pid %u, exiting without a reply\n",
           IPC_SENDER_PID(sender));
    return 0;
}
