/* uptime: time since boot and the number of processes. */
#include <stdio.h>

#include <parley/sys.h>

#include "common.h"

int main(void)
{
    util_start("uptime");
    struct sysinfo info;
    long err = sys_sysinfo(&info);
    if (err < 0)
        return util_fail(NULL, err);
    uint64_t s = info.uptime_ns / 1000000000ull;
    printf("up %llu:%02llu:%02llu, %llu processes\n", (unsigned long long)(s / 3600),
           (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60),
           (unsigned long long)info.processes);
    return 0;
}
