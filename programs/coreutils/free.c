/* free: memory in KiB, total, used and free, from the kernel's frame counts. */
#include <stdio.h>

#include <parley/sys.h>

#include "common.h"

int main(void)
{
    util_start("free");
    struct sysinfo info;
    long err = sys_sysinfo(&info);
    if (err < 0)
        return util_fail(NULL, err);
    unsigned long long total = info.frames_total * 4, free_kib = info.frames_free * 4;
    printf("%-6s %12s %12s %12s\n", "", "total", "used", "free");
    printf("%-6s %10llu K %10llu K %10llu K\n", "Mem:", total, total - free_kib, free_kib);
    return 0;
}
