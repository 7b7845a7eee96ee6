/*
 * fetch [-o FILE] URL: downloads http://HOST[:PORT]/PATH with one
 * HTTP/1.1 GET (Host, User-Agent: Parley-fetch, Connection: close) and
 * writes the body to stdout, or to FILE (created, or emptied first).
 *
 * The body is framed by Content-Length, by chunked transfer-encoding
 * (decoded here, http.c), or else by the server closing the connection.
 * Only status 200 is a success: anything else, a redirect too, is
 * reported ("fetch: HTTP 301 Moved Permanently", then "fetch: Location:
 * URL" when the server gave one) and not followed, and FILE is not
 * touched. Reads wait at most 15 s each.
 *
 * With -o, while the body comes and stdout is a console, a progress line
 * is redrawn at most four times a second,
 *   fetch: 1234567 of 4194304 bytes (29%)
 * and the last line says
 *   fetch: 4194304 bytes in 1.23 s (3.41 MB/s)
 * (MB = 10^6 bytes; the time runs from the request being sent).
 *
 * Errors, each exit status 1: the connection's ("fetch: HOST:PORT:
 * connection refused"), a malformed response ("fetch: HOST:PORT: bad
 * HTTP response"), "fetch: connection closed after N of M bytes",
 * "fetch: connection reset by peer", "fetch: HOST:PORT: timed out", and
 * a failed write ("fetch: FILE: no space left"), after which FILE keeps
 * what was written. A malformed command line exits 2.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/net.h>
#include <parley/sys.h>

#include "http.h"
#include "tool.h"

#define BUFFER (256 * 1024) /* bytes per read and per write */
#define READ_TIMEOUT_NS 15000000000ull
/* Longer than the server's own connect timeout, so that its -E_TIMEOUT is what we see. */
#define DIAL_TIMEOUT_NS (NET_CONNECT_TIMEOUT_NS + 5000000000ull)
#define PROGRESS_NS 250000000ull
#define USAGE "[-o FILE] URL"

struct download {
    uint32_t conn;
    char where[HTTP_HOST_MAX + 8]; /* "HOST:PORT", for messages */
    const char *path;              /* -o FILE, or NULL for stdout */
    long file;                     /* its handle */
    struct http_response response;
    struct http_chunked chunked;
    uint64_t written; /* body bytes written so far */
    bool complete;    /* the whole body is written */
    bool progress;    /* draw progress lines */
    bool drawn;       /* a progress line is on the screen, with no '\n' after it */
    uint64_t start_ns, drawn_ns;
};

static char buffer[BUFFER];

/* Ends a progress line on the screen, so that a message starts on a line of its own. */
static void progress_end(struct download *d)
{
    if (d->drawn)
        fprintf(stderr, "\n");
    d->drawn = false;
}

static int fail(struct download *d, const char *what, long err)
{
    progress_end(d);
    return tool_net_fail(what, err);
}

static void progress_draw(struct download *d)
{
    uint64_t now = time_now_ns();
    if (!d->progress || now - d->drawn_ns < PROGRESS_NS)
        return;
    d->drawn_ns = now;
    d->drawn = true;
    unsigned long long got = d->written, total = d->response.content_length;
    if (d->response.has_length && !d->response.chunked && total > 0)
        fprintf(stderr, "\rfetch: %llu of %llu bytes (%llu%%)\x1b[K", got, total,
                got * 100 / total);
    else
        fprintf(stderr, "\rfetch: %llu bytes\x1b[K", got);
}

/* The last line: bytes, seconds and MB/s, with two decimals each. */
static void progress_done(struct download *d)
{
    uint64_t ns = time_now_ns() - d->start_ns;
    uint64_t us = ns / 1000 > 0 ? ns / 1000 : 1;
    unsigned long long centi_mbs = d->written * 100 / us; /* bytes per us = MB/s */
    fprintf(stderr, "%sfetch: %llu bytes in %llu.%02llu s (%llu.%02llu MB/s)%s\n",
            d->progress ? "\r" : "", (unsigned long long)d->written,
            (unsigned long long)(ns / 1000000000), (unsigned long long)(ns / 10000000 % 100),
            centi_mbs / 100, centi_mbs % 100, d->progress ? "\x1b[K" : "");
    d->drawn = false;
}

/* Writes body bytes to FILE or stdout; returns 0 or 1 after a message. */
static int emit(struct download *d, const char *data, size_t len)
{
    if (len == 0)
        return 0;
    long err = d->path != NULL ? file_write((uint32_t)d->file, d->written, data, len)
                               : tool_write_stdout(data, len);
    if (err < 0) {
        progress_end(d);
        return tool_fail(d->path != NULL ? d->path : "stdout", err);
    }
    d->written += len;
    progress_draw(d);
    return 0;
}

/* Takes len bytes that arrived after the header: decodes, cuts to the length, writes. */
static int take(struct download *d, char *data, size_t len)
{
    const struct http_response *r = &d->response;
    if (r->chunked) {
        long n = http_chunked_feed(&d->chunked, data, len);
        if (n < 0) {
            progress_end(d);
            fprintf(stderr, "fetch: %s: bad chunked body\n", d->where);
            return 1;
        }
        d->complete = d->chunked.done;
        return emit(d, data, (size_t)n);
    }
    if (r->has_length) {
        uint64_t left = r->content_length - d->written;
        if (len > left)
            len = (size_t)left; /* anything after the body is not ours */
        int status = emit(d, data, len);
        d->complete = d->written == r->content_length;
        return status;
    }
    return emit(d, data, len);
}

/* The connection ended (EOF): fine when the body is framed by it or is all there. */
static int closed(struct download *d)
{
    const struct http_response *r = &d->response;
    if (d->complete || (!r->chunked && !r->has_length)) {
        d->complete = true;
        return 0;
    }
    progress_end(d);
    if (r->chunked)
        fprintf(stderr, "fetch: connection closed after %llu bytes, before the last chunk\n",
                (unsigned long long)d->written);
    else
        fprintf(stderr, "fetch: connection closed after %llu of %llu bytes\n",
                (unsigned long long)d->written, (unsigned long long)r->content_length);
    return 1;
}

static int read_failed(struct download *d, long err)
{
    return fail(d, err == -E_CONNRESET ? NULL : d->where, err);
}

/*
 * Reads until the response header is all in buffer and parsed (an
 * interim 1xx response skipped); *have = the bytes read, *header = its
 * length. Returns 0 or 1 after a message.
 */
static int read_header(struct download *d, size_t *have, size_t *header)
{
    size_t len = 0;
    for (;;) {
        long parsed = http_parse_response(buffer, len, &d->response);
        if (parsed > 0 && d->response.status / 100 == 1) {
            len -= (size_t)parsed; /* "100 Continue": the real response follows */
            memmove(buffer, buffer + parsed, len);
            continue;
        }
        if (parsed > 0) {
            *have = len;
            *header = (size_t)parsed;
            return 0;
        }
        if (parsed < 0) {
            fprintf(stderr, "fetch: %s: bad HTTP response%s\n", d->where,
                    parsed == -E_RANGE ? " (too large)" : "");
            return 1;
        }
        long n = net_read(d->conn, buffer + len, sizeof(buffer) - len, READ_TIMEOUT_NS);
        if (n == 0) {
            fprintf(stderr, "fetch: %s: connection closed before a response\n", d->where);
            return 1;
        }
        if (n < 0)
            return read_failed(d, n);
        len += (size_t)n;
    }
}

/* Sends the request and writes the body; returns the exit status. */
static int download(struct download *d, const struct http_url *url)
{
    static char request[HTTP_HOST_MAX + HTTP_PATH_MAX + 256];
    long len = http_format_request(url, request, sizeof(request));
    if (len < 0)
        return tool_fail(d->where, len);
    d->start_ns = time_now_ns();
    long err = net_write(d->conn, request, (size_t)len);
    if (err < 0)
        return read_failed(d, err);

    size_t have = 0, header = 0;
    if (read_header(d, &have, &header) != 0)
        return 1;
    const struct http_response *r = &d->response;
    if (r->status != 200) {
        fprintf(stderr, "fetch: HTTP %u%s%s\n", r->status, r->reason[0] != '\0' ? " " : "",
                r->reason);
        if (r->status / 100 == 3 && r->location[0] != '\0')
            fprintf(stderr, "fetch: Location: %s\n", r->location);
        return 1;
    }
    if (d->path != NULL) {
        d->file = ns_open(d->path, FS_O_CREATE | FS_O_TRUNC | FS_RIGHT_WRITE);
        if (d->file < 0)
            return tool_fail(d->path, d->file);
        d->progress = tool_stdout_console();
        d->drawn_ns = d->start_ns;
    }
    http_chunked_start(&d->chunked);
    d->complete = !r->chunked && r->has_length && r->content_length == 0;
    int status = take(d, buffer + header, have - header);
    while (status == 0 && !d->complete) {
        long n = net_read(d->conn, buffer, sizeof(buffer), READ_TIMEOUT_NS);
        if (n == 0)
            status = closed(d);
        else if (n < 0)
            status = read_failed(d, n);
        else
            status = take(d, buffer, (size_t)n);
    }
    if (d->path != NULL) {
        file_close((uint32_t)d->file);
        if (status == 0)
            progress_done(d);
    }
    return status;
}

int main(int argc, char **argv)
{
    tool_start("fetch");
    static struct download d;
    const char *text = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc && d.path == NULL)
            d.path = argv[++i];
        else if (argv[i][0] != '-' && text == NULL)
            text = argv[i];
        else
            return tool_usage(USAGE);
    }
    if (text == NULL || (d.path != NULL && d.path[0] == '\0'))
        return tool_usage(USAGE);

    static struct http_url url;
    long err = http_parse_url(text, &url);
    if (err == -E_RANGE)
        return tool_fail(text, err);
    if (err < 0) {
        fprintf(stderr, "fetch: %s: not an http:// URL\n", text);
        return 1;
    }
    snprintf(d.where, sizeof(d.where), "%s:%u", url.host, url.port);
    long conn = net_dial(url.host, url.port, DIAL_TIMEOUT_NS);
    if (conn < 0)
        return tool_net_fail(d.where, conn);
    d.conn = (uint32_t)conn;
    int status = download(&d, &url);
    net_close(d.conn);
    return status;
}
