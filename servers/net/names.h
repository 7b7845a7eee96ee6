/*
 * Names below /net (<parley/proto/net.h>): what a path given to FS_OPEN
 * asks for. Pure code, also built into tests/unit/net_names_test.c and
 * the fuzz target tests/fuzz/net_names_fuzz.c.
 */
#ifndef NET_NAMES_H
#define NET_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define NET_HOST_MAX 255 /* bytes in a host name (DNS allows 253) */

enum net_kind {
    NET_ROOT,   /* "/net" itself */
    NET_DIR,    /* one of its directories: tcp, udp, dns, ping */
    NET_IF,     /* "if" */
    NET_TCP,    /* "tcp/HOST:PORT" */
    NET_LISTEN, /* "tcp/:PORT" */
    NET_UDP,    /* "udp/HOST:PORT" */
    NET_DNS,    /* "dns/NAME" */
    NET_PING,   /* "ping/HOST" */
};

struct net_name {
    enum net_kind kind;
    char host[NET_HOST_MAX + 1]; /* NET_TCP, NET_UDP, NET_DNS, NET_PING; NET_DIR: its name */
    uint16_t port;               /* NET_TCP, NET_LISTEN, NET_UDP */
};

/*
 * Parses path (length bytes, not NUL-terminated, as fs requests carry
 * it; "" and "." are the root, a leading '/' is ignored) into *name.
 * Returns 0, -E_NOENT for a name that does not exist, -E_INVAL for a
 * malformed host or port, -E_RANGE for a host name too long.
 */
long net_name_parse(const char *path, size_t length, struct net_name *name);

/* The root's directory entries in order, for FS_READDIR; NULL past the last. */
const char *net_name_root_entry(uint64_t index);

#endif
