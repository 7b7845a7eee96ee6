/*
 * Gopher requests over TCP (see fetch.h).
 *
 * A request is the selector and CR LF in one write; a search's query is
 * already in the selector after its tab. The reply is read in pieces
 * with a timeout on each. RFC 1436 servers close the connection after
 * the reply; a menu or text document also ends with a "." line, and
 * fetch_document stops there too, for servers that keep the connection
 * open.
 */
#include "fetch.h"

#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/net.h>

#define CHUNK 65536

/* Connects to addr's server and sends its request; returns the connection. */
static long request(const struct gopher_addr *addr)
{
    long conn = net_dial(addr->host, addr->port, FETCH_TIMEOUT_NS);
    if (conn < 0)
        return conn;
    size_t len = strlen(addr->selector);
    char line[GOPHER_SELECTOR_MAX + 2];
    memcpy(line, addr->selector, len);
    memcpy(line + len, "\r\n", 2);
    long err = net_write((uint32_t)conn, line, len + 2);
    if (err < 0) {
        net_close((uint32_t)conn);
        return err;
    }
    return conn;
}

/* Does data end with the "." line that closes a menu or text document? */
static bool at_end_line(const char *data, size_t len)
{
    static const char *const ends[] = {"\n.\r\n", "\n.\n"};
    if ((len == 3 && memcmp(data, ".\r\n", 3) == 0) || (len == 2 && memcmp(data, ".\n", 2) == 0))
        return true;
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(ends[i]);
        if (len >= n && memcmp(data + len - n, ends[i], n) == 0)
            return true;
    }
    return false;
}

long fetch_document(const struct gopher_addr *addr, struct fetch_reply *reply)
{
    memset(reply, 0, sizeof(*reply));
    long conn = request(addr);
    if (conn < 0)
        return conn;
    size_t cap = 0;
    long err = 0;
    for (;;) {
        if (reply->len == FETCH_LIMIT) {
            reply->truncated = true;
            break;
        }
        if (cap - reply->len < CHUNK + 1 && cap < FETCH_LIMIT + 1) {
            size_t want = cap == 0 ? 2 * CHUNK : cap * 2;
            if (want > FETCH_LIMIT + 1)
                want = FETCH_LIMIT + 1;
            char *data = realloc(reply->data, want);
            if (data == NULL) {
                err = -E_NOMEM;
                break;
            }
            reply->data = data;
            cap = want;
        }
        size_t room = cap - 1 - reply->len;
        long n = net_read((uint32_t)conn, reply->data + reply->len, room < CHUNK ? room : CHUNK,
                          FETCH_TIMEOUT_NS);
        if (n <= 0) {
            err = n;
            break;
        }
        reply->len += (size_t)n;
        if (at_end_line(reply->data, reply->len))
            break;
    }
    net_close((uint32_t)conn);
    if (reply->data != NULL)
        reply->data[reply->len] = '\0';
    return err;
}

long fetch_to_file(const struct gopher_addr *addr, uint32_t file, uint64_t *bytes)
{
    *bytes = 0;
    char *buf = malloc(CHUNK);
    if (buf == NULL)
        return -E_NOMEM;
    long conn = request(addr);
    long err = conn < 0 ? conn : 0;
    while (err == 0) {
        long n = net_read((uint32_t)conn, buf, CHUNK, FETCH_TIMEOUT_NS);
        if (n <= 0) {
            err = n;
            break;
        }
        for (long done = 0; done < n && err == 0;) {
            long w = file_write(file, *bytes, buf + done, (size_t)(n - done));
            if (w <= 0)
                err = w < 0 ? w : -E_NOSPC;
            else
                done += w, *bytes += (uint64_t)w;
        }
    }
    if (conn >= 0)
        net_close((uint32_t)conn);
    free(buf);
    return err;
}
