/*
 * Three echo calls with recognisable words (0x1ce0001-3), wired as
 * ipc-ping@use:EP beside ipc-echo@serve:EP: a small, known conversation
 * for the IPC trace tests to find in the log.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

#define WORD_BASE 0x1ce0000u

int main(void)
{
    test_name = "ipc-ping";
    for (uint64_t i = 1; i <= 3; i++) {
        struct ipc_msg request = {TEST_ECHO, {WORD_BASE + i, i, 0, 0}};
        struct ipc_msg reply;
        if (expect("echo call", ipc_request(WIRED_HANDLE, &request, &reply, 5000 * NS_PER_MS, NULL),
                   0))
            expect("echo reply", (long)reply.w[0], (long)(WORD_BASE + i + 1));
    }
    printf("ipc-ping: 3 calls, %d failed checks\n", test_failures);
    return test_failures == 0 ? 0 : 1;
}
