/*
 * The server half of the fast-path comparison (test_ipc_fastpath.py),
 * wired as ipc-paths-server@serve:EP. A loop of raw ipc_reply_receive
 * calls, as servers make them, that answers the requests of ipc_paths.h
 * and logs every result it gets itself, so that a boot with the fast path
 * and one without (ipc=slow) can be compared line by line.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_paths.h"

#define EP 1
#define BAD_HANDLE 60

/* Answers one request into reply/extra; returns false if it answered (or will not) itself. */
static bool answer(const struct ipc_msg *req, struct ipc_extra *x, uint64_t sender,
                   struct ipc_msg *reply)
{
    memset(reply, 0, sizeof(*reply));
    uint64_t sum = 0;
    long err;
    switch (req->tag) {
    case PATHS_ECHO:
        reply->w[0] = req->w[0] + 1;
        reply->w[1] = req->w[1] ^ 0x5555;
        reply->w[2] = sender >> 32;
        reply->w[3] = 3 * req->w[3] + req->w[2];
        break;
    case PATHS_GIVE: {
        long region = sys_vm_reserve(PATHS_REGION, VM_READ | VM_WRITE);
        if (region < 0) {
            reply->tag = (uint64_t)region;
            break;
        }
        memset((void *)region, PATHS_BYTE, PATHS_REGION);
        x->send_mem = (uint64_t)region;
        x->send_mem_length = PATHS_REGION;
        break;
    }
    case PATHS_HANDLE:
        x->send_handles[0] = (uint32_t)endpoint_create();
        x->send_count = 1;
        break;
    case PATHS_SUM:
        for (uint64_t i = 0; i < x->recv_mem_length; i++)
            sum += ((const uint8_t *)x->recv_mem)[i];
        reply->w[0] = sum;
        reply->w[1] = x->recv_mem_length;
        if (x->recv_mem != 0)
            sys_vm_release((void *)x->recv_mem, x->recv_mem_length);
        break;
    case PATHS_SAVE:
        err = reply_save();
        printf("ipc-paths-server: reply_save -> %s\n", err < 0 ? strerror((int)err) : "a handle");
        reply->w[0] = 77;
        err = ipc_reply_to((uint32_t)err, reply, NULL);
        printf("ipc-paths-server: saved reply -> %ld\n", err);
        return false;
    case PATHS_BADRECV: {
        struct ipc_msg next;
        reply->w[0] = 5;
        err = ipc_reply_receive(BAD_HANDLE, reply, &next, IPC_FOREVER, NULL, NULL);
        printf("ipc-paths-server: reply_receive on a bad handle -> %ld\n", err);
        return false;
    }
    case PATHS_EXIT:
        printf("ipc-paths-server: exiting without a reply\n");
        exit(0);
    default:
        reply->tag = (uint64_t)-E_NOSYS;
        break;
    }
    return true;
}

int main(void)
{
    struct ipc_msg req, reply;
    struct ipc_extra x;
    uint64_t sender = 0;

    memset(&x, 0, sizeof(x));
    long err = ipc_receive(EP, &req, IPC_FOREVER, &x, &sender);
    for (;;) {
        if (err < 0) {
            printf("ipc-paths-server: receive -> %ld\n", err);
            if (err == -E_CLOSED)
                return 0;
            memset(&x, 0, sizeof(x));
            err = ipc_receive(EP, &req, IPC_FOREVER, &x, &sender);
            continue;
        }
        struct ipc_extra in = x;
        memset(&x, 0, sizeof(x));
        if (!answer(&req, &in, sender, &reply)) {
            err = ipc_receive(EP, &req, IPC_FOREVER, &x, &sender);
            continue;
        }
        x.send_mem = in.send_mem;
        x.send_mem_length = in.send_mem_length;
        x.send_count = in.send_count;
        x.send_handles[0] = in.send_handles[0];
        err = ipc_reply_receive(EP, &reply, &req, IPC_FOREVER, &x, &sender);
        if (err < 0 && err != -E_CLOSED) {
            /* The reply could not go (the caller still waits): say so with a bare one. */
            printf("ipc-paths-server: reply -> %ld\n", err);
            struct ipc_msg failed = {.tag = (uint64_t)err};
            if (x.send_count != 0)
                handle_close(x.send_handles[0]);
            if (x.send_mem != 0)
                sys_vm_release((void *)x.send_mem, x.send_mem_length);
            printf("ipc-paths-server: bare reply -> %ld\n", ipc_reply(&failed, NULL));
            memset(&x, 0, sizeof(x));
            err = ipc_receive(EP, &req, IPC_FOREVER, &x, &sender);
        }
    }
}
