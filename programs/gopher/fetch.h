/*
 * Talking to a gopher server (RFC 1436): connect, send the selector and
 * CR LF, read until the server closes. Through <parley/net.h>, so every
 * failure is one of its errors (-E_CONNREFUSED, -E_NOHOST, -E_NETDOWN,
 * -E_CONNRESET, ...); a server that says nothing for FETCH_TIMEOUT_NS
 * gives -E_TIMEOUT, so nothing here waits for ever.
 */
#ifndef PARLEY_GOPHER_FETCH_H
#define PARLEY_GOPHER_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "url.h"

#define FETCH_TIMEOUT_NS 10000000000ull /* to connect, and for each read */
#define FETCH_LIMIT (4u << 20)          /* the most of one document kept in memory */

struct fetch_reply {
    char *data; /* malloc'd (NULL if nothing came), len bytes and a NUL */
    size_t len;
    bool truncated; /* stopped at FETCH_LIMIT */
};

/*
 * Fetches a menu or text document into memory, stopping at its "."
 * line, at the end of the connection or at FETCH_LIMIT. Returns 0 or an
 * error; after an error in the middle, reply holds what came before it.
 */
long fetch_document(const struct gopher_addr *addr, struct fetch_reply *reply);

/*
 * Fetches anything and writes it to the open file as it arrives, from
 * offset 0, with no limit; *bytes counts what was written. Returns 0 or
 * the first error (the network's or the file's).
 */
long fetch_to_file(const struct gopher_addr *addr, uint32_t file, uint64_t *bytes);

#endif
