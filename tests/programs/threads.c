/*
 * Two extra threads in one process share its memory: each adds to its
 * own counter until told to stop; the main thread checks both moved.
 */
#include <parley/sys.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long counters[2];
static volatile int stop;
static volatile int done[2];

static void worker(void *arg)
{
    long index = (long)arg;
    while (!stop)
        counters[index]++;
    done[index] = 1;
    sys_thread_exit();
}

int main(void)
{
    enum { STACK = 64 * 1024 };
    for (long i = 0; i < 2; i++) {
        char *stack = malloc(STACK);
        long tid = sys_thread_create(worker, stack + STACK, (void *)i);
        if (tid < 0) {
            printf("threads: cannot create a thread: %ld\n", tid);
            return 1;
        }
    }
    sys_sleep(100000000ull);
    stop = 1;
    while (!done[0] || !done[1])
        sys_yield();
    int ok = counters[0] > 0 && counters[1] > 0;
    printf("threads: counters %ld and %ld: %s\n", counters[0], counters[1], ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
