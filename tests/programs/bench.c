/*
 * Micro-benchmarks, meant for QEMU's -icount shift=0, where rdtsc counts
 * guest instructions: the null system call, and (run as two copies at
 * once) the switch between two processes, via yield.
 */
#include <parley/sys.h>
#include <stdio.h>

#define ROUNDS 10000

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    long pid = sys_getpid();
    sys_null();
    uint64_t start = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        sys_null();
    uint64_t null_cost = (rdtsc() - start) / ROUNDS;
    printf("bench %ld: null syscall %lu instructions (loop included)\n", pid,
           (unsigned long)null_cost);

    sys_yield();
    start = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        sys_yield();
    uint64_t yield_cost = (rdtsc() - start) / ROUNDS;
    /* With two copies running, each yield is two switches: to the other and back. */
    printf("bench %ld: yield round trip %lu instructions, %lu per switch\n", pid,
           (unsigned long)yield_cost, (unsigned long)(yield_cost / 2));
    return 0;
}
