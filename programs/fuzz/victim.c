/*
 * A victim (`fuzz-victim --victim SEED`): a process the fuzzer starts so
 * that processes end while their threads are inside system calls.
 *
 * It starts up to two threads that block (a sleep, a receive on an
 * endpoint of its own, a call on handle 1, whatever the spawner moved
 * there), waits a moment and ends with SYS_EXIT, or with SYS_THREAD_EXIT
 * of its main thread, leaving the blocked threads to end the process.
 * The fuzzer may kill it at any point. Every victim ends within a second
 * by itself, so a wait for it never lasts.
 */
#include <parley/sys.h>

#include "fuzz.h"

#define VICTIM_THREADS 2
#define VICTIM_STACK 8192

static _Alignas(16) uint8_t stacks[VICTIM_THREADS][VICTIM_STACK];

static void victim_thread(void *arg)
{
    struct fuzz_call *c = arg;
    fuzz_syscall(c);
    sys_thread_exit();
}

int fuzz_victim_main(uint64_t seed)
{
    static struct fuzz_call calls[VICTIM_THREADS];
    struct rng g = {seed};
    long endpoint = -1;
    unsigned threads = (unsigned)rng_below(&g, VICTIM_THREADS + 1);
    for (unsigned i = 0; i < threads; i++) {
        struct fuzz_call *c = &calls[i];
        c->rflags = fuzz_rflags(&g);
        c->timeout = 100000000ull + rng_below(&g, 800000000ull);
        switch (rng_below(&g, 3)) {
        case 0:
            c->number = SYS_SLEEP;
            c->arg[0] = c->timeout;
            break;
        case 1:
            if (endpoint < 0)
                endpoint = sys_call6(SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, 0);
            c->number = SYS_IPC_RECEIVE;
            c->arg[0] = (uint64_t)endpoint;
            break;
        default:
            c->number = SYS_IPC_CALL;
            c->arg[0] = 1;
            c->arg[1] = rng_next(&g) & 0xFFFF;
        }
        sys_thread_create(victim_thread, stacks[i] + VICTIM_STACK, c);
    }
    sys_sleep(rng_below(&g, 20000000));
    if (rng_chance(&g, 20))
        sys_thread_exit(); /* the blocked threads outlive main, up to their timeouts */
    sys_exit((int)(rng_next(&g) & 0xFF));
}
