/*
 * The conventions of the IPC library's server loop (<parley/ipc_lib.h>),
 * checked from a client in the same process: a thread runs ipc_serve on
 * one end of a private endpoint and main calls it through the other.
 *
 *   - a handler's status becomes the reply tag, read back by ipc_request;
 *   - a handler that fails gives up the region it meant to send, and its
 *     reply carries nothing;
 *   - a reply the caller cannot take (a region, but the caller passed no
 *     ipc_extra) turns into a bare -E_NOSPC reply, the region is given
 *     up, and the loop goes on serving;
 *   - an unknown tag gets -E_NOSYS, and the handles that came with it are
 *     closed;
 *   - ipc_serve returns 0 once the last client handle is closed.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>
#include <stdlib.h>

#include "ipc_test.h"

/* Private to this program. */
#define TAG_GIVE_REGION PARLEY_TAG(PROTO_TEST, 0x20) /* reply: a 4 KiB region, every byte SEED */
#define TAG_FAIL PARLEY_TAG(PROTO_TEST, 0x21)        /* reply: -E_BUSY (after preparing a region) */
#define TAG_UNKNOWN PARLEY_TAG(PROTO_TEST, 0x2F)

#define REGION 4096
#define SEED 0x3C
#define TIMEOUT (2000 * NS_PER_MS)
#define STACK_SIZE (64 * 1024)
#define PENDING 1

struct server {
    uint32_t endpoint;
    uint64_t last_region; /* the region the last handler prepared */
    uint32_t last_sender;
    volatile long result; /* what ipc_serve returned */
};

static long prepare_region(struct server *server, struct ipc_extra *reply_extra)
{
    long region = sys_vm_reserve(REGION, VM_READ | VM_WRITE);
    if (region < 0)
        return region;
    memset((void *)region, SEED, REGION);
    server->last_region = (uint64_t)region;
    reply_extra->send_mem = (uint64_t)region;
    reply_extra->send_mem_length = REGION;
    return 0;
}

static long give_region(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                        uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    struct server *server = context;

    (void)request;
    (void)extra;
    server->last_sender = IPC_SENDER_PID(sender);
    reply->w[0] = REGION;
    return prepare_region(server, reply_extra);
}

static long fail(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                 uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)request;
    (void)extra;
    (void)sender;
    reply->w[0] = 0xBAD; /* must not travel with the error */
    long err = prepare_region(context, reply_extra);
    return err < 0 ? err : -E_BUSY;
}

static const struct ipc_handler handlers[] = {
    {TAG_GIVE_REGION, give_region},
    {TAG_FAIL, fail},
};

static void serve(void *arg)
{
    struct server *server = arg;

    server->result = ipc_serve(server->endpoint, handlers, 2, server);
    sys_thread_exit();
}

/* How many handles this process holds. */
static int count_handles(void)
{
    int count = 0;
    for (uint32_t h = 1; h < 256; h++)
        count += handle_info(h) >= 0;
    return count;
}

int main(void)
{
    test_name = "ipc-lib";
    static struct server server = {.result = PENDING};
    long endpoint = endpoint_create();
    long client = handle_dup((uint32_t)endpoint, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
    long receiver = handle_dup((uint32_t)endpoint, RIGHT_RECEIVE);
    handle_close((uint32_t)endpoint);
    if (client < 0 || receiver < 0) {
        printf("ipc-lib: setup failed: %ld %ld\n", client, receiver);
        return 1;
    }
    server.endpoint = (uint32_t)receiver;
    char *stack = malloc(STACK_SIZE);
    if (!expect_true("start the server thread",
                     sys_thread_create(serve, stack + STACK_SIZE, &server) > 0))
        return 1;

    struct ipc_msg request = {TAG_GIVE_REGION, {0}}, reply;
    struct ipc_extra extra;
    memset(&extra, 0, sizeof(extra));
    if (expect("a request whose reply brings a region",
               ipc_request((uint32_t)client, &request, &reply, TIMEOUT, &extra), 0)) {
        expect("its word", (long)reply.w[0], REGION);
        expect("the region's length", (long)extra.recv_mem_length, REGION);
        expect("the sender the handler saw", server.last_sender, sys_getpid());
        if (extra.recv_mem_length == REGION) {
            const uint8_t *bytes = (const uint8_t *)extra.recv_mem;
            size_t wrong = 0;
            for (size_t i = 0; i < REGION; i++)
                wrong += bytes[i] != SEED;
            expect("bytes of the region that differ", (long)wrong, 0);
            expect("release it", sys_vm_release((void *)extra.recv_mem, REGION), 0);
        }
    }

    request.tag = TAG_FAIL;
    memset(&extra, 0, sizeof(extra));
    expect("a request the handler refuses",
           ipc_request((uint32_t)client, &request, &reply, TIMEOUT, &extra), -E_BUSY);
    expect("the error reply's words", (long)(reply.w[0] | reply.w[1] | reply.w[2] | reply.w[3]), 0);
    expect("memory that came with the error", (long)extra.recv_mem, 0);
    expect("the refused handler's region was given up",
           sys_vm_release((void *)server.last_region, REGION), -E_INVAL);

    request.tag = TAG_GIVE_REGION;
    expect("a region reply to a caller without ipc_extra",
           ipc_request((uint32_t)client, &request, &reply, TIMEOUT, NULL), -E_NOSPC);
    expect("the undeliverable region was given up",
           sys_vm_release((void *)server.last_region, REGION), -E_INVAL);

    int before = count_handles();
    long moved = handle_dup((uint32_t)client, RIGHT_SEND | RIGHT_TRANSFER);
    request.tag = TAG_UNKNOWN;
    memset(&extra, 0, sizeof(extra));
    extra.send_handles[0] = (uint32_t)moved;
    extra.send_count = 1;
    expect("a request with an unknown tag",
           ipc_request((uint32_t)client, &request, &reply, TIMEOUT, &extra), -E_NOSYS);
    expect("the handle it brought was closed", count_handles(), before);

    request.tag = TAG_GIVE_REGION;
    memset(&extra, 0, sizeof(extra));
    if (expect("the loop still serves",
               ipc_request((uint32_t)client, &request, &reply, TIMEOUT, &extra), 0))
        sys_vm_release((void *)extra.recv_mem, extra.recv_mem_length);

    handle_close((uint32_t)client);
    uint64_t give_up = time_now_ns() + TIMEOUT;
    while (server.result == PENDING && time_now_ns() < give_up)
        sys_sleep(NS_PER_MS);
    expect("ipc_serve once the last client handle is closed", server.result, 0);

    printf("ipc-lib: %d checks, %d failed\n", test_checks, test_failures);
    return test_failures == 0 ? 0 : 1;
}
