/*
 * The other end of ipc-bench, wired as ipc-bench-server@serve:EP: an
 * ipc_serve loop (one ipc_reply_receive per request) that answers
 * TEST_NULL with an empty reply and TEST_BOUNCE by moving the
 * region that came straight back. Exits when the benchmark does.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

static long bench_null(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)extra;
    (void)sender;
    (void)reply;
    (void)reply_extra;
    return 0;
}

static long bench_region(void *context, const struct ipc_msg *request,
                         const struct ipc_extra *extra, uint64_t sender, struct ipc_msg *reply,
                         struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)sender;
    (void)reply;
    reply_extra->send_mem = extra->recv_mem;
    reply_extra->send_mem_length = extra->recv_mem_length;
    return 0;
}

static const struct ipc_handler handlers[] = {
    {TEST_NULL, bench_null},
    {TEST_BOUNCE, bench_region},
};

int main(void)
{
    int err = ipc_serve(WIRED_HANDLE, handlers, sizeof(handlers) / sizeof(handlers[0]), NULL);

    printf("ipc-bench-server: done: %s\n", err == 0 ? "all clients were gone" : strerror(err));
    return err == 0 ? 0 : 1;
}
