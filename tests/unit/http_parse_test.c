/*
 * Checks fetch's HTTP parsing (programs/net/http.c): URLs with and
 * without scheme, port, path, query and fragment, and the ones fetch
 * must refuse; the request it sends; response headers complete,
 * incomplete, with LF-only lines, odd spacing, redirects, disagreeing
 * lengths and non-HTTP replies; and chunked bodies decoded whole, byte
 * by byte and with extensions and trailers, plus the malformed ones.
 */
#include <string.h>

#include <parley/errors.h>

#include "../../programs/net/http.h"
#include "check.h"

static void check_url(void)
{
    struct http_url u;
    CHECK(http_parse_url("http://example.com/index.html", &u) == 0);
    CHECK(strcmp(u.host, "example.com") == 0 && u.port == 80);
    CHECK(strcmp(u.path, "/index.html") == 0);

    CHECK(http_parse_url("HTTP://10.0.2.2:8080", &u) == 0);
    CHECK(strcmp(u.host, "10.0.2.2") == 0 && u.port == 8080 && strcmp(u.path, "/") == 0);

    CHECK(http_parse_url("example.com:81/a/b?x=1&y=http://z#frag", &u) == 0);
    CHECK(strcmp(u.host, "example.com") == 0 && u.port == 81);
    CHECK(strcmp(u.path, "/a/b?x=1&y=http://z") == 0);

    CHECK(http_parse_url("http://h?q", &u) == 0 && strcmp(u.path, "/?q") == 0);
    CHECK(http_parse_url("http://h#top", &u) == 0 && strcmp(u.path, "/") == 0);
    CHECK(http_parse_url("http://h:65535/", &u) == 0 && u.port == 65535);

    CHECK(http_parse_url("https://example.com/", &u) == -E_INVAL);
    CHECK(http_parse_url("ftp://example.com/", &u) == -E_INVAL);
    CHECK(http_parse_url("http://", &u) == -E_INVAL);
    CHECK(http_parse_url("http:///path", &u) == -E_INVAL);
    CHECK(http_parse_url("http://user@host/", &u) == -E_INVAL);
    CHECK(http_parse_url("http://[::1]/", &u) == -E_INVAL);
    CHECK(http_parse_url("http://h:/", &u) == -E_INVAL);
    CHECK(http_parse_url("http://h:0/", &u) == -E_INVAL);
    CHECK(http_parse_url("http://h:65536/", &u) == -E_INVAL);
    CHECK(http_parse_url("http://h:80x/", &u) == -E_INVAL);
    CHECK(http_parse_url("http://h/a b", &u) == -E_INVAL);
    CHECK(http_parse_url("http://h/a\r\nX: y", &u) == -E_INVAL);
    CHECK(http_parse_url("", &u) == -E_INVAL);

    static char long_host[HTTP_HOST_MAX + 20];
    strcpy(long_host, "http://");
    memset(long_host + 7, 'a', HTTP_HOST_MAX + 1);
    CHECK(http_parse_url(long_host, &u) == -E_RANGE);
    long_host[7 + HTTP_HOST_MAX] = '\0';
    CHECK(http_parse_url(long_host, &u) == 0 && strlen(u.host) == HTTP_HOST_MAX);

    static char long_path[HTTP_PATH_MAX + 20];
    strcpy(long_path, "h/");
    memset(long_path + 2, 'p', HTTP_PATH_MAX);
    CHECK(http_parse_url(long_path, &u) == -E_RANGE);
    long_path[1 + HTTP_PATH_MAX] = '\0'; /* "/" and HTTP_PATH_MAX - 1 more */
    CHECK(http_parse_url(long_path, &u) == 0 && strlen(u.path) == HTTP_PATH_MAX);
}

static void check_request(void)
{
    struct http_url u;
    char out[512];
    CHECK(http_parse_url("http://example.com/x?y", &u) == 0);
    long n = http_format_request(&u, out, sizeof(out));
    const char *want = "GET /x?y HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Parley-fetch\r\n"
                       "Accept: */*\r\nConnection: close\r\n\r\n";
    CHECK(n == (long)strlen(want) && strcmp(out, want) == 0);

    CHECK(http_parse_url("10.0.2.2:8000", &u) == 0);
    CHECK(http_format_request(&u, out, sizeof(out)) > 0);
    CHECK(strstr(out, "\r\nHost: 10.0.2.2:8000\r\n") != NULL);
    CHECK(strncmp(out, "GET / HTTP/1.1\r\n", 16) == 0);

    CHECK(http_format_request(&u, out, 20) == -E_RANGE);
}

static long parse(const char *text, struct http_response *r)
{
    return http_parse_response(text, strlen(text), r);
}

static void check_response(void)
{
    struct http_response r;
    const char *ok =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
    CHECK(parse(ok, &r) == (long)(strlen(ok) - 5));
    CHECK(r.status == 200 && strcmp(r.reason, "OK") == 0);
    CHECK(r.has_length && r.content_length == 5 && !r.chunked && r.location[0] == '\0');

    /* Every cut of a complete header is "need more", never an error. */
    size_t header = strlen(ok) - 5;
    for (size_t cut = 0; cut < header; cut++)
        CHECKF(http_parse_response(ok, cut, &r) == 0, "cut at %zu", cut);

    const char *lf = "\nHTTP/1.0 404 Not Found\nServer: x\ncontent-length:   12  \n\n";
    CHECK(parse(lf, &r) == (long)strlen(lf));
    CHECK(r.status == 404 && strcmp(r.reason, "Not Found") == 0 && r.content_length == 12);

    const char *moved = "HTTP/1.1 301 Moved Permanently\r\nLocation: http://b/\r\n\r\n";
    CHECK(parse(moved, &r) > 0 && r.status == 301);
    CHECK(strcmp(r.reason, "Moved Permanently") == 0 && strcmp(r.location, "http://b/") == 0);
    CHECK(!r.has_length);

    const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n"
                          "Content-Length: 3\r\n\r\n";
    CHECK(parse(chunked, &r) > 0 && r.chunked && r.has_length);
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", &r) > 0);
    CHECK(!r.chunked);

    CHECK(parse("HTTP/1.1 204\r\n\r\n", &r) > 0 && r.status == 204 && r.reason[0] == '\0');
    CHECK(parse("HTTP/1.1 200 OK\r\nX: a\r\n  folded\r\n\r\n", &r) > 0);
    CHECK(parse("HTTP/1.1 200 \x1b[2J\r\n\r\n", &r) > 0 && strcmp(r.reason, "?[2J") == 0);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\n", &r) > 0);

    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n", &r) ==
          -E_INVAL);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n", &r) == -E_RANGE);
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n", &r) > 0);
    CHECK(parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/1.1 200 OK\r\nName : v\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/1.1 200 OK\r\n: v\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/1.1 20 OK\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/1.1 099 OK\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/1.1 2000 OK\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("HTTP/x.1 200 OK\r\n\r\n", &r) == -E_INVAL);
    CHECK(parse("SSH-2.0-OpenSSH\r\n", &r) == -E_INVAL);
    CHECK(parse("SSH-2", &r) == -E_INVAL); /* refused before the line ends */
    CHECK(parse("HTTP/", &r) == 0);

    static char big[HTTP_HEADER_MAX + 100];
    memset(big, 'x', sizeof(big));
    memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
    CHECK(http_parse_response(big, sizeof(big), &r) == -E_RANGE);
    CHECK(http_parse_response(big, 1000, &r) == 0);
}

/* Decodes text in pieces of `step` bytes; returns the body, or NULL on an error. */
static const char *dechunk(const char *text, size_t step, bool *done)
{
    static char body[4096];
    char piece[4096];
    struct http_chunked c;
    http_chunked_start(&c);
    size_t len = strlen(text), out = 0;
    for (size_t at = 0; at < len; at += step) {
        size_t n = len - at < step ? len - at : step;
        memcpy(piece, text + at, n);
        long got = http_chunked_feed(&c, piece, n);
        if (got < 0)
            return NULL;
        memcpy(body + out, piece, (size_t)got);
        out += (size_t)got;
    }
    body[out] = '\0';
    *done = c.done;
    return body;
}

static void check_chunked(void)
{
    const char *plain = "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";
    for (size_t step = 1; step <= strlen(plain); step++) {
        bool done = false;
        const char *body = dechunk(plain, step, &done);
        CHECKF(body != NULL && strcmp(body, "hello, world") == 0 && done, "step %zu", step);
    }

    bool done = false;
    const char *body = dechunk("A;name=v\nabcdefghij\n00 \r\nTrailer: x\r\n\r\nIGNORED", 3, &done);
    CHECK(body != NULL && strcmp(body, "abcdefghij") == 0 && done);

    body = dechunk("3\r\nabc\r\n", 2, &done);
    CHECK(body != NULL && strcmp(body, "abc") == 0 && !done); /* the last chunk not seen yet */
    body = dechunk("3\r\nabc\r\n0\r\n", 1, &done);
    CHECK(body != NULL && !done); /* the blank line after the trailer is missing */

    CHECK(dechunk("\r\n", 1, &done) == NULL);          /* no size */
    CHECK(dechunk("g\r\n", 1, &done) == NULL);         /* not hex */
    CHECK(dechunk("3\rx", 1, &done) == NULL);          /* CR without LF */
    CHECK(dechunk("3\r\nabcX\r\n", 1, &done) == NULL); /* data longer than its size */
    CHECK(dechunk("1\r\na\r\n0\r\n\rx", 1, &done) == NULL);
    CHECK(dechunk("1000000000000000\r\n", 4, &done) == NULL); /* 2^60 */

    struct http_chunked c;
    http_chunked_start(&c);
    char huge[] = "fffffffffffffff\r\n";
    CHECK(http_chunked_feed(&c, huge, strlen(huge)) == 0 && !c.done);
    http_chunked_start(&c);
    char over[] = "10000000000000000\r\n";
    CHECK(http_chunked_feed(&c, over, strlen(over)) == -E_RANGE);
}

int main(void)
{
    check_url();
    check_request();
    check_response();
    check_chunked();
    return check_finish("http_parse_test");
}
