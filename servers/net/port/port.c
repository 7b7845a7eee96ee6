/*
 * What lwIP 2.1.x asks of its platform when NO_SYS = 1: a millisecond
 * clock (sys_now), random numbers and the assertion hook (arch/cc.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include <lwip/sys.h>

#include <parley/sys.h>

u32_t sys_now(void)
{
    return (u32_t)(time_now_ns() / 1000000u);
}

/*
 * xorshift64*, seeded from the kernel's SYS_RANDOM on first use: lwIP
 * wants unpredictable ports, DNS ids and initial sequence numbers, not
 * cryptographic keys.
 */
unsigned net_port_random(void)
{
    static uint64_t state;
    if (state == 0) {
        if (sys_random(&state, sizeof(state)) < 0 || state == 0)
            state = time_now_ns() | 1;
    }
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (unsigned)((state * 0x2545F4914F6CDD1Dull) >> 32);
}

void net_port_assert(const char *message, const char *file, int line)
{
    printf("net: lwIP assertion failed: %s (%s:%d)\n", message, file, line);
    exit(70);
}
