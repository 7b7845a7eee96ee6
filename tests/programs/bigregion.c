/*
 * A region's cost follows the pages in it, not its length
 * (docs/security.md).
 *
 * 1. A 16 TiB reservation with three touched pages moves to a thread of
 *    this process that takes any length: it arrives at once, the three
 *    pages hold what was written and the rest reads as zero.
 * 2. A receiver that takes at most 64 KiB refuses a 128 KiB region
 *    (-E_RANGE, and the region stays the sender's) and takes a 64 KiB one.
 * 3. A 16 TiB region sent with NS_STAT to the vfs is refused (-E_RANGE:
 *    ipc_serve's default limit) at once, and stays ours.
 * Every step must take well under a second. Prints one line:
 * "bigregion: ... ok" or "bigregion: FAIL ...".
 */
#include <parley/errors.h>
#include <parley/file.h>
#include <parley/ipc.h>
#include <parley/ipc_lib.h>
#include <parley/proto/ns.h>
#include <parley/sys.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HUGE_REGION (16ull << 40)
#define SMALL_LIMIT (64u * 1024u)
#define SLOW_NS 1000000000ull

static int failures;
static uint64_t slowest;

static void check(const char *what, int ok)
{
    if (!ok) {
        printf("bigregion: FAIL %s\n", what);
        failures++;
    }
}

static void timed(uint64_t start)
{
    uint64_t took = time_now_ns() - start;
    if (took > slowest)
        slowest = took;
}

struct receiver {
    long endpoint;
    uint64_t limit;
    volatile int done;
    long result;
    struct ipc_extra extra;
};

/* Receives one message on the endpoint, with the receiver's limit. */
static void receive_one(void *arg)
{
    struct receiver *r = arg;
    struct ipc_msg msg;
    memset(&r->extra, 0, sizeof(r->extra));
    r->extra.recv_mem_max = r->limit;
    r->result = ipc_receive((uint32_t)r->endpoint, &msg, 2000000000ull, &r->extra, NULL);
    r->done = 1;
    sys_thread_exit();
}

static void start_receiver(struct receiver *r, long endpoint, uint64_t limit)
{
    enum { STACK = 16 * 1024 };
    static char stacks[4][STACK] __attribute__((aligned(16)));
    static int next;
    r->endpoint = endpoint;
    r->limit = limit;
    r->done = 0;
    sys_thread_create(receive_one, stacks[next++ % 4] + STACK, r);
    sys_sleep(20000000); /* let it reach its receive */
}

static long send_region(long endpoint, long region, uint64_t length)
{
    struct ipc_msg msg = {.tag = 1};
    struct ipc_extra extra;
    memset(&extra, 0, sizeof(extra));
    extra.send_mem = (uint64_t)region;
    extra.send_mem_length = length;
    return ipc_send((uint32_t)endpoint, &msg, 2000000000ull, &extra);
}

static void huge_to_ourselves(long endpoint)
{
    long region = sys_vm_reserve(HUGE_REGION, VM_READ | VM_WRITE);
    check("reserve 16 TiB", region > 0);
    if (region <= 0)
        return;
    uint64_t offsets[3] = {0, HUGE_REGION / 2 + 12345 * 4096ull, HUGE_REGION - 4096};
    for (int i = 0; i < 3; i++)
        *(volatile uint64_t *)(region + offsets[i]) = 0x5EED0000u + (uint64_t)i;
    struct receiver r;
    start_receiver(&r, endpoint, 0);
    uint64_t start = time_now_ns();
    long err = send_region(endpoint, region, HUGE_REGION);
    timed(start);
    while (!r.done)
        sys_yield();
    check("16 TiB region sent to a receiver taking any length", err == 0 && r.result == 0);
    check("16 TiB region arrives whole", r.extra.recv_mem_length == HUGE_REGION);
    if (err != 0 || r.extra.recv_mem == 0)
        return;
    uint64_t at = r.extra.recv_mem;
    for (int i = 0; i < 3; i++)
        check("a touched page keeps its contents",
              *(volatile uint64_t *)(at + offsets[i]) == 0x5EED0000u + (uint64_t)i);
    check("an untouched page reads zero", *(volatile uint64_t *)(at + 4096 * 7) == 0);
    start = time_now_ns();
    check("the received region is released", sys_vm_release((void *)at, HUGE_REGION) == 0);
    timed(start);
}

static void limited_receiver(long endpoint)
{
    long region = sys_vm_reserve(2 * SMALL_LIMIT, VM_READ | VM_WRITE);
    struct receiver r;
    start_receiver(&r, endpoint, SMALL_LIMIT);
    long err = send_region(endpoint, region, 2 * SMALL_LIMIT);
    check("a region over the receiver's limit gets -E_RANGE", err == -E_RANGE);
    check("a refused region stays the sender's",
          sys_vm_release((void *)region, 2 * SMALL_LIMIT) == 0);
    region = sys_vm_reserve(SMALL_LIMIT, VM_READ | VM_WRITE);
    err = send_region(endpoint, region, SMALL_LIMIT);
    while (!r.done)
        sys_yield();
    check("a region at the limit is taken", err == 0 && r.extra.recv_mem_length == SMALL_LIMIT);
    if (r.extra.recv_mem != 0)
        sys_vm_release((void *)r.extra.recv_mem, SMALL_LIMIT);
}

static void huge_to_the_vfs(void)
{
    long region = sys_vm_reserve(HUGE_REGION, VM_READ | VM_WRITE);
    check("reserve 16 TiB for the vfs", region > 0);
    if (region <= 0)
        return;
    *(volatile char *)region = '/';
    struct ipc_msg req = {.tag = NS_STAT, .w = {1, '/'}}, reply;
    struct ipc_extra extra;
    memset(&extra, 0, sizeof(extra));
    extra.send_mem = (uint64_t)region;
    extra.send_mem_length = HUGE_REGION;
    uint64_t start = time_now_ns();
    long err = ipc_call(NS_HANDLE, &req, &reply, 5000000000ull, &extra);
    timed(start);
    check("NS_STAT with a 16 TiB region is refused with -E_RANGE", err == -E_RANGE);
    if (err == 0)
        ipc_extra_drop(&extra);
    else
        check("the refused region is still ours", sys_vm_release((void *)region, HUGE_REGION) == 0);
}

int main(void)
{
    long endpoint = endpoint_create();
    if (endpoint < 0) {
        printf("bigregion: FAIL no endpoint\n");
        return 1;
    }
    huge_to_ourselves(endpoint);
    limited_receiver(endpoint);
    huge_to_the_vfs();
    check("every step took under a second", slowest < SLOW_NS);
    printf("bigregion: slowest step %lu ms: %s\n", (unsigned long)(slowest / 1000000),
           failures == 0 ? "ok" : "FAIL");
    return failures == 0 ? 0 : 1;
}
