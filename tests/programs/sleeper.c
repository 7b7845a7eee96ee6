/*
 * Sleeps 200 ms and checks, with the time page, that it slept at least
 * that long and woke within a reasonable time after.
 */
#include <parley/sys.h>
#include <stdio.h>

int main(void)
{
    uint64_t start = time_now_ns();
    sys_sleep(200000000ull);
    uint64_t slept_ms = (time_now_ns() - start) / 1000000;
    int ok = slept_ms >= 200 && slept_ms < 1000;
    printf("sleeper: slept %lu ms: %s\n", (unsigned long)slept_ms, ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
