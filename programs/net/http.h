/*
 * The pure half of fetch: HTTP/1.1 as a client sees it, over bytes only.
 * http_parse_url splits http://HOST[:PORT]/PATH, http_format_request
 * writes the GET request for it, http_parse_response reads the status
 * line and the headers fetch acts on (Content-Length, Transfer-Encoding,
 * Location), and http_chunked_feed decodes a chunked body as it arrives,
 * in pieces of any size. Nothing here makes a system call, so
 * tests/unit/http_parse_test.c checks it on the build machine and
 * tests/fuzz/http_fuzz.c feeds it random responses.
 *
 * Errors are codes from <parley/errors.h>: -E_INVAL for text that breaks
 * the syntax, -E_RANGE for a name, number or header too large.
 */
#ifndef PARLEY_NET_HTTP_H
#define PARLEY_NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HOST_MAX 255     /* bytes in a host name (DNS's limit) */
#define HTTP_PATH_MAX 2048    /* bytes in the path and query sent */
#define HTTP_REASON_MAX 63    /* bytes of the reason phrase kept */
#define HTTP_LOCATION_MAX 511 /* bytes of a Location header kept */
#define HTTP_HEADER_MAX 65536 /* bytes a response header may take */
#define HTTP_DEFAULT_PORT 80

struct http_url {
    char host[HTTP_HOST_MAX + 1];
    unsigned port;
    char path[HTTP_PATH_MAX + 1]; /* starts with '/'; the query kept, the #fragment dropped */
};

/*
 * Parses "http://HOST[:PORT][/PATH][?QUERY][#FRAGMENT]"; the scheme may
 * be left out. HOST is a name or dotted address (letters, digits, '-',
 * '.', '_'); PORT is 1..65535, 80 if absent; PATH is "/" if absent.
 * Another scheme, user info ("user@") or a bracketed IPv6 address is
 * -E_INVAL, as is a space or control character anywhere.
 */
long http_parse_url(const char *text, struct http_url *url);

/*
 * Writes the GET request for url into out (size bytes, NUL-terminated):
 * request line, Host (with ":PORT" unless it is 80), User-Agent:
 * Parley-fetch, Connection: close and the blank line. Returns its length;
 * -E_RANGE if it does not fit.
 */
long http_format_request(const struct http_url *url, char *out, size_t size);

struct http_response {
    unsigned status; /* 100..999 */
    char reason[HTTP_REASON_MAX + 1];
    bool chunked;                         /* Transfer-Encoding ends in "chunked" */
    bool has_length;                      /* a Content-Length header was given */
    uint64_t content_length;              /* its value, when has_length */
    char location[HTTP_LOCATION_MAX + 1]; /* "" without a Location header; cut if longer */
};

/*
 * Parses the response header at the start of data (len bytes, the body
 * may follow). Returns the header's length, blank line included, once
 * it is all there; 0 while it is incomplete (read more and call again
 * with everything so far); -E_INVAL for a malformed one; -E_RANGE for
 * a Content-Length that does not fit in 63 bits, or a complete or
 * incomplete header longer than HTTP_HEADER_MAX. Lines may end in CRLF
 * or a bare LF; empty lines before the status line are skipped.
 * Content-Length headers that disagree are -E_INVAL.
 */
long http_parse_response(const char *data, size_t len, struct http_response *response);

/* The state of a chunked body being decoded; zero it (or http_chunked_start) to begin. */
struct http_chunked {
    int state;
    unsigned digits;    /* hex digits in the size line so far */
    uint64_t remaining; /* chunk size being read, then data bytes left in it */
    bool done;          /* the last (zero) chunk and the trailer have been read */
};

void http_chunked_start(struct http_chunked *chunked);

/*
 * Decodes the next len bytes of a chunked body in place: the chunk data
 * among them is moved to the start of data. Returns how many bytes of
 * data that is, or -E_INVAL for a malformed size line or chunk end,
 * -E_RANGE for a chunk size over 2^60. Once done is set the rest of the
 * input is ignored.
 */
long http_chunked_feed(struct http_chunked *chunked, char *data, size_t len);

#endif
