/*
 * CPU-bound: spins for about 300 ms of wall time without ever yielding,
 * logging progress every 50 ms. Two of these started together can only
 * interleave their progress lines if the kernel preempts them.
 */
#include <parley/sys.h>
#include <stdio.h>

int main(void)
{
    long pid = sys_getpid();
    uint64_t start = time_now_ns();
    uint64_t next = start;
    int step = 0;
    volatile uint64_t counter = 0;
    while (step < 6) {
        counter++;
        uint64_t now = time_now_ns();
        if (now >= next) {
            printf("spin %ld: step %d at %lu ms\n", pid, step,
                   (unsigned long)((now - start) / 1000000));
            step++;
            next += 50000000ull;
        }
    }
    return 0;
}
