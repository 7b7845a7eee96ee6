/*
 * The server half of <parley/ipc_lib.h>: ipc_serve, the receive loop every
 * server runs, and ipc_extra_drop, which it and every handler use to give
 * up what arrived with a message.
 *
 * Nothing here makes a system call of its own; it is all built on the raw
 * calls of ipc.c (ipc_receive, ipc_reply_receive, ipc_reply, handle_close,
 * sys_vm_release). That is why it is a file of its own: the host fuzz
 * targets for the servers (tests/fuzz/server_stubs.c) link it against
 * host versions of those calls and run a server's real loop.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>

void ipc_extra_drop(const struct ipc_extra *extra)
{
    for (uint32_t i = 0; i < extra->recv_count && i < IPC_MAX_HANDLES; i++)
        handle_close(extra->recv_handles[i]);
    if (extra->recv_mem != 0)
        sys_vm_release((void *)extra->recv_mem, extra->recv_mem_length);
}

/* Gives up what a reply that was not delivered would have moved. */
static void drop_unsent(struct ipc_extra *extra)
{
    for (uint32_t i = 0; i < extra->send_count && i < IPC_MAX_HANDLES; i++)
        if ((extra->send_flags & IPC_COPY_HANDLE(i)) == 0)
            handle_close(extra->send_handles[i]);
    if (extra->send_mem != 0)
        sys_vm_release((void *)extra->send_mem, extra->send_mem_length);
    memset(extra, 0, sizeof(*extra));
}

/* Runs the handler for request's tag; returns its status, -E_NOSYS if there is none. */
static long dispatch(const struct ipc_handler *handlers, size_t count, void *context,
                     const struct ipc_msg *request, const struct ipc_extra *extra, uint64_t sender,
                     struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    for (size_t i = 0; i < count; i++)
        if (handlers[i].tag == request->tag)
            return handlers[i].handle(context, request, extra, sender, reply, reply_extra);
    ipc_extra_drop(extra);
    return -E_NOSYS;
}

/* A receive that ended because its time was up (-E_AGAIN: a poll found nothing). */
static int waited_out(long err)
{
    return err == -E_TIMEOUT || err == -E_AGAIN;
}

/* Empties an ipc_extra for the next receive, keeping the region limit. */
static void extra_clear(struct ipc_extra *extra, uint64_t limit)
{
    memset(extra, 0, sizeof(*extra));
    extra->recv_mem_max = limit;
}

/* How long the serve loop's next wait may last: the hook's answer, or for ever. */
static uint64_t wait_time(const struct ipc_serve_hooks *hooks, void *context)
{
    return hooks != NULL && hooks->before_wait != NULL ? hooks->before_wait(context) : IPC_FOREVER;
}

/*
 * The loop keeps two ipc_extra structs and swaps them each round: the one
 * the current request arrived in is the handler's (read-only) `extra`,
 * the other, cleared, is its `reply_extra`, which ipc_reply_receive both
 * sends from and fills with the next request's handles and memory. Both
 * always carry the loop's region limit (recv_mem_max), so no receive of
 * the loop takes a region longer than the server accepts.
 *
 * When ipc_reply_receive fails, it is not known whether the reply went
 * out (the caller may have died, or left no room for the reply's handles)
 * or the receive failed, so the loop falls back to the slow path: give up
 * the reply's moved items, answer with the bare error in case the caller
 * is still waiting (ignored if there is no call), and receive plainly.
 * Only a plain receive's -E_CLOSED ends the loop. With hooks, every wait
 * is bounded by what hooks->before_wait returns, and a wait that times
 * out just waits again (after asking the hook once more).
 */
int ipc_serve_limited(uint32_t endpoint, const struct ipc_handler *handlers, size_t count,
                      void *context, const struct ipc_serve_hooks *hooks, uint64_t recv_mem_max)
{
    struct ipc_extra extras[2];
    struct ipc_msg request, reply;
    uint64_t sender = 0;
    int current = 0;
    uint64_t limit = recv_mem_max != 0 ? recv_mem_max : IPC_SERVE_MEM_MAX;

    extra_clear(&extras[0], limit);
    extra_clear(&extras[1], limit);
    long err = ipc_receive(endpoint, &request, wait_time(hooks, context), &extras[current], &sender);
    for (;;) {
        while (err < 0) {
            if (err != -E_INTR && !waited_out(err))
                return err == -E_CLOSED ? 0 : (int)err;
            extra_clear(&extras[current], limit);
            err = ipc_receive(endpoint, &request, wait_time(hooks, context), &extras[current], &sender);
        }

        /*
         * Only the send half needs clearing: the kernel rewrites the whole
         * receive half whenever it delivers into this struct.
         */
        struct ipc_extra *reply_extra = &extras[current ^ 1];
        reply_extra->send_count = 0;
        reply_extra->send_flags = 0;
        reply_extra->send_mem = 0;
        reply_extra->send_mem_length = 0;
        reply = (struct ipc_msg){0};
        long status = dispatch(handlers, count, context, &request, &extras[current], sender, &reply,
                               reply_extra);
        if (status == IPC_NO_REPLY) {
            /* The handler kept the caller waiting (reply_save); just take the next request. */
            current ^= 1;
            extra_clear(&extras[current], limit);
            err = ipc_receive(endpoint, &request, wait_time(hooks, context), &extras[current], &sender);
            continue;
        }
        if (status < 0) {
            drop_unsent(reply_extra);
            reply_extra->recv_mem_max = limit;
            memset(&reply, 0, sizeof(reply));
            reply.tag = (uint64_t)status;
        } else {
            reply.tag = IPC_STATUS_OK;
        }
        current ^= 1;

        if (request.tag >= IPC_TAG_KERNEL) {
            /* A notification: nobody waits for a reply. */
            drop_unsent(&extras[current]);
            extras[current].recv_mem_max = limit;
            err = ipc_receive(endpoint, &request, wait_time(hooks, context), &extras[current], &sender);
            continue;
        }
        err = ipc_reply_receive(endpoint, &reply, &request, wait_time(hooks, context),
                                &extras[current], &sender);
        if (err < 0 && !waited_out(err)) { /* the reply went, nothing came yet */
            struct ipc_msg failed = {.tag = (uint64_t)err};

            drop_unsent(&extras[current]);
            extras[current].recv_mem_max = limit;
            ipc_reply(&failed, NULL);
            err = ipc_receive(endpoint, &request, wait_time(hooks, context), &extras[current], &sender);
        }
    }
}

int ipc_serve_hooked(uint32_t endpoint, const struct ipc_handler *handlers, size_t count,
                     void *context, const struct ipc_serve_hooks *hooks)
{
    return ipc_serve_limited(endpoint, handlers, count, context, hooks, IPC_SERVE_MEM_MAX);
}

int ipc_serve(uint32_t endpoint, const struct ipc_handler *handlers, size_t count, void *context)
{
    return ipc_serve_hooked(endpoint, handlers, count, context, NULL);
}
