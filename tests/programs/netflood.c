/*
 * netflood HOST PORT SECONDS: an attack on the TCP/IP server's tables
 * that any user can run. Opens TCP connections to HOST:PORT until the
 * server refuses one, prints how many it got and why the next failed,
 * keeps them all for SECONDS and exits without closing any
 * (test_gopher_live.py: another user's fetch must still work).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/net.h>
#include <parley/sys.h>

#define MAX_TRIES 1000
#define DIAL_TIMEOUT_NS 20000000000ull

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: netflood HOST PORT SECONDS\n");
        return 2;
    }
    unsigned port = (unsigned)strtoul(argv[2], NULL, 10);
    uint64_t seconds = strtoull(argv[3], NULL, 10);
    int open = 0;
    long err = 0;
    while (open < MAX_TRIES) {
        err = net_dial(argv[1], port, DIAL_TIMEOUT_NS);
        if (err < 0)
            break;
        open++;
    }
    if (err < 0)
        printf("netflood: %d connections open, the next: %s\n", open, strerror((int)err));
    else
        printf("netflood: %d connections open, no limit met\n", open);
    sys_sleep(seconds * 1000000000ull);
    printf("netflood: done\n");
    return 0;
}
