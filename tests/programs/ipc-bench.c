/*
 * IPC micro-benchmarks, wired as ipc-bench@use:EP beside
 * ipc-bench-server@serve:EP and meant for QEMU's -icount shift=0, where
 * rdtsc counts guest instructions (tools/bench-ipc runs it):
 *
 *   - the null round trip: a call with an empty message and its empty
 *     reply, between two processes;
 *   - the round trip moving a region of 1, 16 or 256 pages to the server
 *     and back in the reply (every page touched first, so all are mapped).
 *
 * Each figure is the average over many rounds, loop included.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>

#include "ipc_test.h"

#define NULL_ROUNDS 10000
#define PAGE 4096

/* Instructions per round trip moving a region of `pages` pages both ways; 0 on failure. */
static uint64_t region_round_trip(size_t pages, int rounds)
{
    size_t length = pages * PAGE;
    long region = sys_vm_reserve(length, VM_READ | VM_WRITE);
    if (region < 0) {
        printf("ipc-bench: cannot reserve %zu pages: %s\n", pages, strerror((int)region));
        return 0;
    }
    for (size_t i = 0; i < pages; i++)
        ((volatile uint64_t *)(region + i * PAGE))[0] = i;

    struct ipc_msg request = {TEST_BOUNCE, {0}};
    struct ipc_msg reply;
    struct ipc_extra extra;
    memset(&extra, 0, sizeof(extra));
    uint64_t start = rdtsc();
    for (int i = 0; i < rounds; i++) {
        extra.send_mem = (uint64_t)region;
        extra.send_mem_length = length;
        long err = ipc_call(WIRED_HANDLE, &request, &reply, IPC_FOREVER, &extra);
        if (err < 0 || reply.tag != IPC_STATUS_OK || extra.recv_mem_length != length) {
            printf("ipc-bench: region of %zu pages, round %d: %s (tag %lu, length %lu)\n", pages, i,
                   strerror(err < 0 ? (int)err : (int)reply.tag), (unsigned long)reply.tag,
                   (unsigned long)extra.recv_mem_length);
            return 0;
        }
        region = (long)extra.recv_mem;
    }
    uint64_t cost = (rdtsc() - start) / rounds;

    int intact = 1;
    for (size_t i = 0; i < pages; i++)
        intact &= ((volatile uint64_t *)(region + i * PAGE))[0] == i;
    sys_vm_release((void *)region, length);
    if (!intact) {
        printf("ipc-bench: region of %zu pages came back changed\n", pages);
        return 0;
    }
    return cost;
}

int main(void)
{
    struct ipc_msg request = {TEST_NULL, {0}};
    struct ipc_msg reply;

    for (int i = 0; i < 10; i++) {
        long err = ipc_call(WIRED_HANDLE, &request, &reply, IPC_FOREVER, NULL);
        if (err < 0) {
            printf("ipc-bench: the server does not answer: %s\n", strerror((int)err));
            return 1;
        }
    }
    uint64_t start = rdtsc();
    for (int i = 0; i < NULL_ROUNDS; i++)
        ipc_call(WIRED_HANDLE, &request, &reply, IPC_FOREVER, NULL);
    uint64_t null_cost = (rdtsc() - start) / NULL_ROUNDS;
    printf("ipc-bench: null round trip %lu instructions\n", (unsigned long)null_cost);

    static const struct {
        size_t pages;
        int rounds;
    } sizes[] = {{1, 2000}, {16, 1000}, {256, 200}};
    int failed = 0;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint64_t cost = region_round_trip(sizes[i].pages, sizes[i].rounds);
        if (cost == 0)
            failed = 1;
        else
            printf("ipc-bench: region %zu pages %lu instructions\n", sizes[i].pages,
                   (unsigned long)cost);
    }
    return failed;
}
