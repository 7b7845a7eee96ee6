/*
 * netbench: the network figures of docs/benchmarks.md (tools/bench-net).
 *
 *   netbench http HOST PORT PATH     one HTTP/1.0 GET, the body read and dropped
 *   netbench gopher HOST PORT SEL N  N fetches of a gopher selector, each timed
 *
 * Each prints one line with the time (the kernel's clock), the bytes and
 * the CPU's busy TSC ticks (rdtsc minus the kernel's idle ticks): under
 * `-icount shift=0` those are guest instructions, halts left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/net.h>
#include <parley/sys.h>
#include <parley/syscall.h>

#define TIMEOUT_NS 20000000000ull
#define REPS_MAX 50

static char buffer[64 * 1024];
static uint64_t phases[3]; /* the last exchange: connected, first byte, peer closed (ns from its start) */

struct mark {
    uint64_t ns, busy;
};

static struct mark mark_now(void)
{
    struct sysinfo info;
    sys_sysinfo(&info);
    return (struct mark){info.uptime_ns, rdtsc() - info.idle_tsc};
}

/* Sends request on a new connection to host:port and reads until the peer closes. */
static long exchange(const char *host, unsigned port, const char *request, uint64_t *bytes)
{
    uint64_t start = mark_now().ns;
    long conn = net_dial(host, port, TIMEOUT_NS);
    if (conn < 0)
        return conn;
    phases[0] = mark_now().ns - start;
    long err = net_write((uint32_t)conn, request, strlen(request));
    *bytes = 0;
    while (err >= 0) {
        long n = net_read((uint32_t)conn, buffer, sizeof(buffer), TIMEOUT_NS);
        if (n <= 0) {
            err = n;
            break;
        }
        if (*bytes == 0)
            phases[1] = mark_now().ns - start;
        *bytes += (uint64_t)n;
    }
    phases[2] = mark_now().ns - start;
    net_close((uint32_t)conn);
    return err;
}

static int fail(const char *what, long err)
{
    printf("netbench: %s: %s\n", what, strerror((int)err));
    return 1;
}

static int http(const char *host, unsigned port, const char *path)
{
    static char request[512];
    snprintf(request, sizeof(request), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host);
    uint64_t bytes;
    struct mark start = mark_now();
    long err = exchange(host, port, request, &bytes);
    struct mark end = mark_now();
    if (err < 0)
        return fail("http", err);
    uint64_t ns = end.ns - start.ns, busy = end.busy - start.busy;
    printf("netbench: http %lu bytes in %lu us, %lu.%02lu MB/s\n", (unsigned long)bytes,
           (unsigned long)(ns / 1000), (unsigned long)(bytes * 1000 / ns),
           (unsigned long)(bytes * 100000 / ns % 100));
    printf("netbench: busy %lu ticks, %lu per MiB\n", (unsigned long)busy,
           (unsigned long)(busy * 1048576 / (bytes ? bytes : 1)));
    return 0;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int gopher(const char *host, unsigned port, const char *selector, int reps)
{
    static char request[512];
    snprintf(request, sizeof(request), "%s\r\n", selector);
    uint64_t times[REPS_MAX], busy[REPS_MAX], bytes = 0;
    for (int i = 0; i < reps; i++) {
        struct mark start = mark_now();
        long err = exchange(host, port, request, &bytes);
        struct mark end = mark_now();
        if (err < 0)
            return fail("gopher", err);
        times[i] = end.ns - start.ns;
        busy[i] = end.busy - start.busy;
    }
    qsort(times, (size_t)reps, sizeof(times[0]), compare);
    qsort(busy, (size_t)reps, sizeof(busy[0]), compare);
    printf("netbench: gopher %lu bytes, median of %d %lu us, %lu busy ticks\n",
           (unsigned long)bytes, reps, (unsigned long)(times[reps / 2] / 1000),
           (unsigned long)busy[reps / 2]);
    printf("netbench: the last: connected %lu us, first byte %lu us, closed %lu us\n",
           (unsigned long)(phases[0] / 1000), (unsigned long)(phases[1] / 1000),
           (unsigned long)(phases[2] / 1000));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "http") == 0)
        return http(argv[2], (unsigned)strtoul(argv[3], NULL, 10), argv[4]);
    int reps = argc == 6 ? atoi(argv[5]) : 0;
    if (argc == 6 && strcmp(argv[1], "gopher") == 0 && reps > 0 && reps <= REPS_MAX)
        return gopher(argv[2], (unsigned)strtoul(argv[3], NULL, 10), argv[4], reps);
    fprintf(stderr, "usage: netbench http HOST PORT PATH | netbench gopher HOST PORT SEL N\n");
    return 2;
}
