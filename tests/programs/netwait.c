/*
 * netwait HOST PORT: a client that gives up waiting and asks again
 * (test_network_live.py). Connects, reads with a 200 ms timeout from a
 * peer that sends nothing, then reads again: both must time out; the
 * second must not find the first still saved at the server (-E_BUSY).
 */
#include <stdio.h>
#include <stdlib.h>

#include <parley/errors.h>
#include <parley/net.h>

#define DIAL_TIMEOUT_NS 20000000000ull
#define READ_TIMEOUT_NS 200000000ull

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: netwait HOST PORT\n");
        return 2;
    }
    long conn = net_dial(argv[1], (unsigned)strtoul(argv[2], NULL, 10), DIAL_TIMEOUT_NS);
    if (conn < 0) {
        printf("netwait: %s\n", error_string((int)conn));
        return 1;
    }
    char buf[16];
    long first = net_read((uint32_t)conn, buf, sizeof(buf), READ_TIMEOUT_NS);
    long second = net_read((uint32_t)conn, buf, sizeof(buf), READ_TIMEOUT_NS);
    printf("netwait: first %s, second %s\n", error_string((int)first), error_string((int)second));
    net_close((uint32_t)conn);
    return first == -E_TIMEOUT && second == -E_TIMEOUT ? 0 : 1;
}
