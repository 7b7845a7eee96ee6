/*
 * Checks that floating-point and SSE state belongs to each thread: two
 * copies run at once, each filling the FPU/SSE registers with its own
 * values for ~300 ms while the other is preempted in between. A kernel
 * that did not save the state per thread would corrupt the sums.
 */
#include <parley/sys.h>
#include <stdio.h>

int main(void)
{
    long pid = sys_getpid();
    volatile double seed = (double)pid;
    double sum = 0;
    long rounds = 0;
    uint64_t end = time_now_ns() + 300000000ull;
    while (time_now_ns() < end) {
        double x = seed;
        for (int i = 0; i < 1000; i++)
            x = x * 1.0000001 + 0.5;
        sum += x;
        rounds++;
    }
    double expect = 0, x = seed;
    for (int i = 0; i < 1000; i++)
        x = x * 1.0000001 + 0.5;
    for (long r = 0; r < rounds; r++)
        expect += x;
    int ok = sum == expect;
    printf("fpu %ld: %ld rounds, %s\n", pid, rounds, ok ? "ok" : "CORRUPTED");
    return ok ? 0 : 1;
}
