/*
 * The client half of the fast-path comparison (test_ipc_fastpath.py),
 * wired as ipc-paths@use:EP@use:EP#42 beside ipc-paths-server@serve:EP.
 *
 * It makes the same IPC sequence in every boot and logs each result
 * (error, reply tag and words, what came with the reply): calls the fast
 * path takes (words only, with and without an ipc_extra, through an
 * unbadged and a badged handle), calls it must leave to the general path
 * (a timeout, IPC_POLL, a kernel tag, bad handles, a missing right, a
 * region to send), and replies the general path delivers to a caller
 * that blocked in the fast path (a region, a handle, a saved reply, a
 * reply the caller has no room for). The test boots once with the fast
 * path and once with ipc=slow and requires the same lines; the last
 * line, how many operations the fast path completed, must differ.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>
#include <string.h>

#include "ipc_paths.h"

#define PLAIN 1
#define BADGED 2
#define ECHO_ROUNDS 64

static void show(const char *step, long err, const struct ipc_msg *r, const struct ipc_extra *x)
{
    printf("ipc-paths: %s -> %ld", step, err);
    if (err >= 0)
        printf(" tag=%lx w=%lx,%lx,%lx,%lx", (unsigned long)r->tag, (unsigned long)r->w[0],
               (unsigned long)r->w[1], (unsigned long)r->w[2], (unsigned long)r->w[3]);
    if (err >= 0 && x != NULL) {
        printf(" handles=%u mem=%lu", x->recv_count, (unsigned long)x->recv_mem_length);
        if (x->recv_mem != 0)
            printf(" byte=%x", ((const uint8_t *)x->recv_mem)[x->recv_mem_length - 1]);
    }
    printf("\n");
}

static long call(uint64_t handle, uint64_t tag, uint64_t w0, uint64_t timeout, struct ipc_extra *x,
                 struct ipc_msg *reply)
{
    struct ipc_msg req = {tag, {w0, ~w0, w0 * 7, w0 >> 3}};
    memset(reply, 0, sizeof(*reply));
    if (x != NULL)
        memset(x, 0, sizeof(*x));
    return ipc_call((uint32_t)handle, &req, reply, timeout, x);
}

int main(void)
{
    struct ipc_msg r;
    struct ipc_extra x;
    char step[48];
    uint64_t seed = 0x9E3779B97F4A7C15ull;

    for (int i = 0; i < ECHO_ROUNDS; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        snprintf(step, sizeof(step), "echo %d", i);
        long err =
            call(i % 2 ? BADGED : PLAIN, PATHS_ECHO, seed, IPC_FOREVER, i % 3 ? NULL : &x, &r);
        show(step, err, &r, i % 3 ? NULL : &x);
    }
    show("echo with a timeout", call(PLAIN, PATHS_ECHO, 1, 1000000000ull, NULL, &r), &r, NULL);
    /*
     * IPC_POLL meets the server only if it waits in receive already: let
     * it get there (it may have been preempted between its reply and its
     * next receive, which depends on the host's load, not on the path).
     */
    sys_sleep(20000000ull);
    show("echo with IPC_POLL", call(PLAIN, PATHS_ECHO, 2, IPC_POLL, NULL, &r), &r, NULL);
    show("a kernel tag", call(PLAIN, IPC_TAG_KERNEL + 1, 3, IPC_FOREVER, NULL, &r), &r, NULL);
    show("handle 0", call(0, PATHS_ECHO, 4, IPC_FOREVER, NULL, &r), &r, NULL);
    show("handle 63", call(63, PATHS_ECHO, 5, IPC_FOREVER, NULL, &r), &r, NULL);
    show("handle 1000", call(1000, PATHS_ECHO, 6, IPC_FOREVER, NULL, &r), &r, NULL);
    /* The kernel reads a handle as 32 bits: this one is PLAIN. */
    show("handle 2^32+1", call((1ull << 32) + PLAIN, PATHS_ECHO, 7, IPC_FOREVER, NULL, &r), &r,
         NULL);
    long no_send = handle_dup(PLAIN, RIGHT_TRANSFER | RIGHT_DUPLICATE);
    show("no send right", call((uint64_t)no_send, PATHS_ECHO, 8, IPC_FOREVER, NULL, &r), &r, NULL);
    show("a region in the reply", call(PLAIN, PATHS_GIVE, 9, IPC_FOREVER, &x, &r), &r, &x);
    if (x.recv_mem != 0)
        sys_vm_release((void *)x.recv_mem, x.recv_mem_length);
    show("a region, no room", call(PLAIN, PATHS_GIVE, 10, IPC_FOREVER, NULL, &r), &r, NULL);
    show("a handle in the reply", call(BADGED, PATHS_HANDLE, 11, IPC_FOREVER, &x, &r), &r, &x);
    if (x.recv_count != 0)
        handle_close(x.recv_handles[0]);
    show("a saved reply", call(PLAIN, PATHS_SAVE, 12, IPC_FOREVER, &x, &r), &r, &x);
    long region = sys_vm_reserve(PATHS_REGION, VM_READ | VM_WRITE);
    if (region > 0) {
        memset((void *)region, 3, PATHS_REGION);
        struct ipc_msg req = {PATHS_SUM, {13}};
        memset(&x, 0, sizeof(x));
        x.send_mem = (uint64_t)region;
        x.send_mem_length = PATHS_REGION;
        show("a region in the call", ipc_call(PLAIN, &req, &r, IPC_FOREVER, &x), &r, &x);
    }
    show("reply then a bad receive", call(PLAIN, PATHS_BADRECV, 14, IPC_FOREVER, NULL, &r), &r,
         NULL);
    show("echo after it", call(BADGED, PATHS_ECHO, 15, IPC_FOREVER, &x, &r), &r, &x);
    show("the server exits", call(PLAIN, PATHS_EXIT, 16, IPC_FOREVER, NULL, &r), &r, NULL);
    show("no server", call(PLAIN, PATHS_ECHO, 17, IPC_FOREVER, NULL, &r), &r, NULL);

    struct sysinfo info;
    sys_sysinfo(&info);
    printf("ipc-paths: fast path ops %lu\n", (unsigned long)info.ipc_fast);
    return 0;
}
