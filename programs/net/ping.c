/*
 * ping [-c COUNT] HOST: sends COUNT ICMP echo requests (4 by default),
 * one a second, and reports each answer:
 *
 *   PING HOST (A.B.C.D)
 *   64 bytes from A.B.C.D: seq=1 ttl=64 time=0.512 ms
 *   Request timeout for seq 2
 *   --- HOST ping statistics ---
 *   2 packets transmitted, 1 received, 50% packet loss
 *   rtt min/avg/max = 0.512/0.512/0.512 ms
 *
 * It opens /net/ping/HOST once; each read of it sends one request and
 * returns the reply as a struct net_ping, or -E_TIMEOUT after
 * NET_PING_TIMEOUT_NS (<parley/proto/net.h>). A reply's seq is the
 * sequence number the server gave the request; a timeout's is the one
 * after the last reply's (1, 2, ... before any reply). The rtt line is
 * left out when nothing answered. An error stops the requests with a
 * message ("ping: HOST: network is down") before the statistics. Exit
 * status 0 if any reply came and nothing failed, 1 if none came or on
 * an error ("ping: HOST: host not found"), 2 for a malformed command
 * line. Ctrl-C stops it without the statistics (the
 * shell ends the program).
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/net.h>
#include <parley/sys.h>

#include "tool.h"

#define INTERVAL_NS 1000000000ull
#define COUNT_MAX 1000000ul
#define USAGE "[-c COUNT] HOST"

struct ping_stats {
    unsigned long sent, received;
    uint64_t min_ns, max_ns, sum_ns;
};

/* ns as milliseconds with three decimals, "0.512". */
static void format_ms(uint64_t ns, char out[32])
{
    snprintf(out, 32, "%llu.%03llu", (unsigned long long)(ns / 1000000),
             (unsigned long long)(ns / 1000 % 1000));
}

static void record(struct ping_stats *s, uint64_t rtt_ns)
{
    if (s->received == 0 || rtt_ns < s->min_ns)
        s->min_ns = rtt_ns;
    if (rtt_ns > s->max_ns)
        s->max_ns = rtt_ns;
    s->sum_ns += rtt_ns;
    s->received++;
}

static void print_stats(const char *host, const struct ping_stats *s)
{
    unsigned long lost = s->sent - s->received;
    printf("--- %s ping statistics ---\n", host);
    printf("%lu packets transmitted, %lu received, %lu%% packet loss\n", s->sent, s->received,
           s->sent > 0 ? lost * 100 / s->sent : 0);
    if (s->received == 0)
        return;
    char min[32], avg[32], max[32];
    format_ms(s->min_ns, min);
    format_ms(s->sum_ns / s->received, avg);
    format_ms(s->max_ns, max);
    printf("rtt min/avg/max = %s/%s/%s ms\n", min, avg, max);
}

/* Sends count requests through the open /net/ping file; returns 0 or the error that stopped it. */
static long ping_loop(uint32_t file, unsigned long count, struct ping_stats *stats)
{
    unsigned long next_seq = 1;
    for (unsigned long i = 0; i < count; i++) {
        uint64_t start = time_now_ns();
        struct net_ping reply;
        long n = file_read(file, 0, &reply, sizeof(reply));
        if (n == (long)sizeof(reply) || n == -E_TIMEOUT)
            stats->sent++;
        if (n == (long)sizeof(reply)) {
            char from[16], time[32];
            net_format_address(reply.address, from);
            format_ms(reply.rtt_ns, time);
            printf("%u bytes from %s: seq=%u ttl=%u time=%s ms\n", (unsigned)reply.bytes, from,
                   (unsigned)reply.sequence, (unsigned)reply.ttl, time);
            record(stats, reply.rtt_ns);
            next_seq = (unsigned long)reply.sequence + 1;
        } else if (n == -E_TIMEOUT) {
            printf("Request timeout for seq %lu\n", next_seq++);
        } else {
            return n < 0 ? n : -E_INVAL; /* a short read: not a struct net_ping */
        }
        uint64_t spent = time_now_ns() - start;
        if (i + 1 < count && spent < INTERVAL_NS)
            sys_sleep(INTERVAL_NS - spent);
    }
    return 0;
}

int main(int argc, char **argv)
{
    tool_start("ping");
    unsigned long count = 4;
    int arg = 1;
    if (arg < argc && strncmp(argv[arg], "-c", 2) == 0) {
        const char *number = argv[arg][2] != '\0' ? argv[arg] + 2
                             : arg + 1 < argc     ? argv[arg + 1]
                                                  : "";
        if (!tool_number(number, 1, COUNT_MAX, &count))
            return tool_usage(USAGE);
        arg += argv[arg][2] != '\0' ? 1 : 2;
    }
    if (arg + 1 != argc || argv[arg][0] == '-' || argv[arg][0] == '\0')
        return tool_usage(USAGE);
    const char *host = argv[arg];
    if (strchr(host, '/') != NULL)
        return tool_fail(host, -E_INVAL); /* it would name a path below /net/ping */

    uint32_t address;
    long err = net_resolve(host, &address);
    if (err < 0)
        return tool_net_fail(host, err);
    char path[FS_PATH_MAX];
    if (snprintf(path, sizeof(path), "/net/ping/%s", host) >= (int)sizeof(path))
        return tool_fail(host, -E_RANGE);
    long file = ns_open(path, FS_RIGHT_READ);
    if (file < 0)
        return tool_net_fail(host, file);

    char text[16];
    net_format_address(address, text);
    printf("PING %s (%s)\n", host, text);
    struct ping_stats stats = {0};
    err = ping_loop((uint32_t)file, count, &stats);
    file_close((uint32_t)file);
    if (err < 0)
        tool_net_fail(host, err);
    print_stats(host, &stats);
    return stats.received > 0 && err == 0 ? 0 : 1;
}
