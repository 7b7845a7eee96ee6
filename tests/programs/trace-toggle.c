/*
 * The IPC trace switched at run time, wired as
 * trace-toggle@trace@use:EP beside ipc-echo@serve:EP: handle 1 is the
 * trace capability, handle 2 the echo endpoint. Three calls are made with
 * the trace on for this process (words 0x7ace0001-3) and three with it
 * off (words 0x0ff00001-3); tests/qemu/test_ipc_trace.py checks that only
 * the first three appear in the trace. SYS_TRACE_SET must refuse anything
 * but the trace capability.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

#define TRACE_HANDLE 1
#define ECHO_HANDLE 2
#define WORD_ON 0x7ace0000u
#define WORD_OFF 0x0ff00000u

static void echo_calls(uint64_t base)
{
    for (uint64_t i = 1; i <= 3; i++) {
        struct ipc_msg request = {TEST_ECHO, {base + i, 0, 0, 0}};
        struct ipc_msg reply;
        if (expect("echo call", ipc_request(ECHO_HANDLE, &request, &reply, 5000 * NS_PER_MS, NULL),
                   0))
            expect("echo reply", (long)reply.w[0], (long)(base + i + 1));
    }
}

int main(void)
{
    test_name = "trace-toggle";
    uint32_t pid = (uint32_t)sys_getpid();

    long info = handle_info(TRACE_HANDLE);
    expect_true("handle 1 is the trace capability",
                info >= 0 && info >> 32 == OBJECT_TRACE && (info & RIGHT_USE) != 0);
    long err = trace_set(ECHO_HANDLE, pid, 1);
    expect_true("trace_set with an endpoint handle is refused",
                err == -E_BADHANDLE || err == -E_PERM);
    expect("trace_set with handle 9999", trace_set(9999, pid, 1), -E_BADHANDLE);

    expect("trace on", trace_set(TRACE_HANDLE, pid, 1), 0);
    echo_calls(WORD_ON);
    expect("trace off", trace_set(TRACE_HANDLE, pid, 0), 0);
    echo_calls(WORD_OFF);

    printf("trace-toggle: pid %u traced 3 calls of 6, %d checks, %d failed\n", pid, test_checks,
           test_failures);
    return test_failures == 0 ? 0 : 1;
}
