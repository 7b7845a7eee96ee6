/*
 * host NAME: looks NAME up through the TCP/IP server (/net/dns/NAME,
 * by way of net_resolve) and prints
 *
 *   NAME has address A.B.C.D
 *
 * A dotted address is its own answer. A name that does not resolve is
 * "host: NAME: host not found", exit status 1; other failures (no
 * network yet, no answer in time) are "host: NAME: reason", and a
 * namespace without /net "host: /net: no such file or directory".
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/net.h>

#include "tool.h"

int main(int argc, char **argv)
{
    tool_start("host");
    if (argc != 2 || argv[1][0] == '\0' || argv[1][0] == '-')
        return tool_usage("NAME");
    if (strchr(argv[1], '/') != NULL)
        return tool_fail(argv[1], -E_INVAL); /* it would name a path below /net/dns */
    uint32_t address;
    long err = net_resolve(argv[1], &address);
    if (err < 0)
        return tool_net_fail(argv[1], err);
    char text[16];
    net_format_address(address, text);
    printf("%s has address %s\n", argv[1], text);
    return 0;
}
