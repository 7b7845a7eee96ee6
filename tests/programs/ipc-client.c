/*
 * An echo client, wired as ipc-client@use:EP beside ipc-echo@serve:EP:
 * makes CALLS calls one after another (ping-pong) and checks each reply
 * belongs to its own request; then an unknown tag, which the server's
 * dispatch loop must refuse with E_NOSYS. Several copies at once show
 * that one server serves many clients, each getting its own answers.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

#define CALLS 1000
#define TAG_UNKNOWN PARLEY_TAG(PROTO_TEST, 0xEE)

int main(void)
{
    test_name = "ipc-client";
    uint64_t pid = (uint64_t)sys_getpid();
    uint64_t start = time_now_ns();
    int answered = 0;

    for (uint64_t i = 0; i < CALLS; i++) {
        struct ipc_msg request = {TEST_ECHO, {i, i * 3, ~i, pid}};
        struct ipc_msg reply;
        long err = ipc_request(WIRED_HANDLE, &request, &reply, 10000 * NS_PER_MS, NULL);
        if (!expect("echo call", err, 0))
            break;
        int same = 1;
        for (int w = 0; w < 4; w++)
            same &= reply.w[w] == request.w[w] + 1;
        if (!expect_true("the reply answers this request", same)) {
            printf("ipc-client: call %lu: reply %lx %lx %lx %lx\n", (unsigned long)i,
                   (unsigned long)reply.w[0], (unsigned long)reply.w[1], (unsigned long)reply.w[2],
                   (unsigned long)reply.w[3]);
            break;
        }
        answered++;
    }
    uint64_t elapsed = time_now_ns() - start;

    struct ipc_msg unknown = {TAG_UNKNOWN, {0}};
    struct ipc_msg reply;
    expect("a request with an unknown tag",
           ipc_request(WIRED_HANDLE, &unknown, &reply, 10000 * NS_PER_MS, NULL), -E_NOSYS);

    printf("ipc-client: %d of %d calls answered in order (%lu us each), %d failed checks\n",
           answered, CALLS, (unsigned long)(elapsed / 1000 / CALLS), test_failures);
    return test_failures == 0 ? 0 : 1;
}
