/*
 * libFuzzer target for fetch's HTTP parsing (programs/net/http.c). Each
 * input is a server's whole reply. The sanitizers catch reads outside
 * it; this file checks what fetch relies on:
 *
 *   - an accepted header has a length inside the input and under
 *     HTTP_HEADER_MAX, a status of 100..999 and printable, terminated
 *     reason and Location texts, and every shorter prefix of it is
 *     "need more" (0), never an error, so reading in pieces is safe;
 *   - the chunked decoder never produces more bytes than it was given,
 *     and decoding the body in pieces (sizes from the input itself)
 *     gives exactly what decoding it at once gives;
 *   - a URL (the input's first line) that parses has a valid host,
 *     port and path, and its request fits and starts with "GET /".
 *
 * Built by tests/fuzz/CMakeLists.txt with clang, against the host C
 * library.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "../../programs/net/http.h"

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "http_fuzz: broken rule: %s\n", what);
        abort();
    }
}

static void require_text(const char *text, size_t room, const char *what)
{
    const char *end = memchr(text, '\0', room);
    require(end != NULL, what);
    size_t n = (size_t)(end - text);
    for (size_t i = 0; i < n; i++)
        require((unsigned char)text[i] >= 0x20 && text[i] != 0x7f, what);
}

static void check_header(const uint8_t *data, size_t size, long header,
                         const struct http_response *r)
{
    struct http_response again;
    require((size_t)header <= size && header <= HTTP_HEADER_MAX, "header inside input");
    require(r->status >= 100 && r->status <= 999, "status in 100..999");
    require_text(r->reason, sizeof(r->reason), "reason printable");
    require_text(r->location, sizeof(r->location), "location printable");
    require(http_parse_response((const char *)data, (size_t)header - 1, &again) == 0,
            "a shorter prefix needs more");
}

/* Decodes body at once and in pieces; both must give the same bytes. */
static void check_chunked(const uint8_t *body, size_t size, size_t step)
{
    char *whole = malloc(size + 1);
    char *pieces = malloc(size + 1);
    require(whole != NULL && pieces != NULL, "memory");
    memcpy(whole, body, size);
    memcpy(pieces, body, size);

    struct http_chunked a, b;
    http_chunked_start(&a);
    http_chunked_start(&b);
    long whole_len = http_chunked_feed(&a, whole, size);
    require(whole_len <= (long)size, "no more out than in");

    size_t out = 0;
    long err = 0;
    for (size_t at = 0; at < size && err >= 0 && !b.done; at += step) {
        size_t n = size - at < step ? size - at : step;
        memmove(pieces + out, pieces + at, n); /* the next piece, right after the output */
        err = http_chunked_feed(&b, pieces + out, n);
        if (err >= 0) {
            require((size_t)err <= n, "no more out than in, per piece");
            out += (size_t)err;
        }
    }
    if (whole_len >= 0) {
        require(err >= 0 && out == (size_t)whole_len, "pieces give as many bytes");
        require(memcmp(whole, pieces, out) == 0, "pieces give the same bytes");
        require(a.done == b.done, "pieces end alike");
    } else {
        require(err == whole_len, "pieces fail alike");
    }
    free(whole);
    free(pieces);
}

static void check_url(const uint8_t *data, size_t size)
{
    char text[4096];
    size_t n = 0;
    while (n < size && n < sizeof(text) - 1 && data[n] != '\n' && data[n] != '\0') {
        text[n] = (char)data[n];
        n++;
    }
    text[n] = '\0';
    struct http_url url;
    if (http_parse_url(text, &url) != 0)
        return;
    require(url.host[0] != '\0' && strlen(url.host) <= HTTP_HOST_MAX, "host length");
    require(url.port >= 1 && url.port <= 65535, "port in range");
    require(url.path[0] == '/' && strlen(url.path) <= HTTP_PATH_MAX, "path starts with /");
    require(strpbrk(url.path, " \r\n#") == NULL, "path has no space, line break or fragment");
    static char request[HTTP_HOST_MAX + HTTP_PATH_MAX + 256];
    long len = http_format_request(&url, request, sizeof(request));
    require(len > 0 && strncmp(request, "GET /", 5) == 0, "request fits");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_response r;
    long header = http_parse_response((const char *)data, size, &r);
    require(header == 0 || header == -E_INVAL || header == -E_RANGE || header > 0,
            "result is a length, 0, -E_INVAL or -E_RANGE");
    if (header > 0) {
        check_header(data, size, header, &r);
        size_t step = size > 0 ? (size_t)data[size - 1] % 17 + 1 : 1;
        check_chunked(data + header, size - (size_t)header, step);
    } else {
        check_chunked(data, size, 3);
    }
    check_url(data, size);
    return 0;
}
