/*
 * The network client library: TCP connections, name lookup and
 * addresses, built on /net (<parley/proto/net.h>) and the file calls.
 *
 * A connection is a handle on the TCP/IP server, opened through the
 * namespace like any file; these functions add what files lack: waiting
 * for the connection with a timeout, reading with a timeout, writing
 * everything. Every function returns a negative error from
 * <parley/errors.h> on failure (-E_CONNREFUSED, -E_NOHOST, -E_TIMEOUT,
 * -E_NETDOWN, -E_CONNRESET, ...); -E_NOENT means the namespace has no
 * /net.
 */
#ifndef PARLEY_NET_H
#define PARLEY_NET_H

#include <stddef.h>
#include <stdint.h>

#include <parley/proto/net.h>

#define NET_FOREVER UINT64_MAX

/* Connects to host (a name or dotted address) on port; waits up to timeout_ns. Returns the handle. */
long net_dial(const char *host, unsigned port, uint64_t timeout_ns);

/* A listening socket on port (below 1024 only for root). Returns its handle. */
long net_listen(unsigned port);

/* Waits for the next connection on a listening socket; returns its handle. */
long net_accept(uint32_t listener);

/*
 * Reads what has arrived, at least one byte, at most len; waits up to
 * timeout_ns (NET_FOREVER: no limit). 0 = the peer closed its side.
 */
long net_read(uint32_t conn, void *buf, size_t len, uint64_t timeout_ns);

/* Writes all len bytes; returns len or an error. */
long net_write(uint32_t conn, const void *buf, size_t len);

/* Closes the connection (or socket) and its handle. */
long net_close(uint32_t conn);

/* Looks name up (or parses a dotted address); *address in network byte order. */
long net_resolve(const char *name, uint32_t *address);

/* Parses "A.B.C.D" into *address (network byte order); returns 0 or -E_INVAL. */
long net_parse_address(const char *text, uint32_t *address);

/* Writes "A.B.C.D" for address (network byte order) into out (at least 16 bytes). */
void net_format_address(uint32_t address, char out[16]);

#endif
