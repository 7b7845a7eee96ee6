/*
 * HTTP/1.1 for fetch (see http.h): URLs, the request, the response
 * header and chunked bodies. Byte and string work only, shared by fetch
 * and the host tests.
 *
 * The parsers are lenient where real servers are sloppy (bare LF line
 * ends, blank lines before the status line, spaces after a chunk size)
 * and strict where a mistake would corrupt the body (a Content-Length
 * that is not a number, two that disagree, a chunk that does not end in
 * a line break). Text copied out of the response (reason phrase,
 * Location) has its control characters replaced by '?', because fetch
 * prints it on the console and a server must not send it escape
 * sequences.
 */
#include "http.h"

#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

#define CHUNK_SIZE_LIMIT (1ull << 60)
#define CONTENT_LENGTH_LIMIT (1ull << 63)

/* The states of the chunked decoder, in the order the bytes come. */
enum chunk_state {
    CHUNK_SIZE,        /* hex digits of the size line */
    CHUNK_EXTENSION,   /* after the size: ";name=value" or padding, to the LF */
    CHUNK_SIZE_LF,     /* a CR after the digits: the LF must follow */
    CHUNK_DATA,        /* `remaining` data bytes */
    CHUNK_DATA_END,    /* the CRLF (or LF) after the data */
    CHUNK_DATA_END_LF, /* its LF */
    CHUNK_TRAILER,     /* the start of a trailer line, or the blank line that ends them */
    CHUNK_TRAILER_LINE,
    CHUNK_TRAILER_LF, /* the CR of the blank line seen */
    CHUNK_DONE,
};

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Do the n bytes at a equal the NUL-terminated word b, ignoring ASCII case? */
static bool same_word(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

/* Copies n bytes into out (room bytes with the NUL), cut to fit, control characters made '?'. */
static void copy_text(char *out, size_t room, const char *in, size_t n)
{
    if (n > room - 1)
        n = room - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[n] = '\0';
}

/* The length of a URL scheme at text ("http" in "http://..."), or 0 if there is none. */
static size_t scheme_length(const char *text)
{
    size_t n = 0;
    if (!is_alpha(text[0]))
        return 0;
    while (is_alpha(text[n]) || is_digit(text[n]) || text[n] == '+' || text[n] == '-' ||
           text[n] == '.')
        n++;
    return strncmp(text + n, "://", 3) == 0 ? n : 0;
}

static bool is_host_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
}

long http_parse_url(const char *text, struct http_url *url)
{
    memset(url, 0, sizeof(*url));
    url->port = HTTP_DEFAULT_PORT;
    for (const char *s = text; *s != '\0'; s++) {
        if ((unsigned char)*s <= ' ' || *s == 0x7f)
            return -E_INVAL;
    }
    const char *p = text;
    size_t scheme = scheme_length(text);
    if (scheme != 0) {
        if (!same_word(text, scheme, "http"))
            return -E_INVAL;
        p += scheme + 3;
    }

    size_t host = strcspn(p, ":/?#");
    if (host == 0)
        return -E_INVAL;
    if (host > HTTP_HOST_MAX)
        return -E_RANGE;
    for (size_t i = 0; i < host; i++) {
        if (!is_host_char(p[i]))
            return -E_INVAL; /* "user@host", "[::1]", "%" escapes */
    }
    memcpy(url->host, p, host);
    p += host;

    if (*p == ':') {
        p++;
        size_t digits = strcspn(p, "/?#");
        unsigned port = 0;
        if (digits == 0 || digits > 5)
            return -E_INVAL;
        for (size_t i = 0; i < digits; i++) {
            if (!is_digit(p[i]))
                return -E_INVAL;
            port = port * 10 + (unsigned)(p[i] - '0');
        }
        if (port == 0 || port > 65535)
            return -E_INVAL;
        url->port = port;
        p += digits;
    }

    size_t path = strcspn(p, "#");
    size_t lead = *p == '/' ? 0 : 1; /* "" and "?q" get their '/' */
    if (path + lead > HTTP_PATH_MAX)
        return -E_RANGE;
    url->path[0] = '/';
    memcpy(url->path + lead, p, path);
    url->path[path + lead] = '\0';
    return 0;
}

long http_format_request(const struct http_url *url, char *out, size_t size)
{
    char port[8] = "";
    if (url->port != HTTP_DEFAULT_PORT)
        snprintf(port, sizeof(port), ":%u", url->port);
    int n = snprintf(out, size,
                     "GET %s HTTP/1.1\r\n"
                     "Host: %s%s\r\n"
                     "User-Agent: Parley-fetch\r\n"
                     "Accept: */*\r\n"
                     "Connection: close\r\n"
                     "\r\n",
                     url->path, url->host, port);
    if (n < 0 || (size_t)n >= size)
        return -E_RANGE;
    return n;
}

/* "HTTP/1.1 200 OK": the version, a three-digit status and an optional reason. */
static long parse_status(const char *line, size_t n, struct http_response *r)
{
    if (n < 12 || memcmp(line, "HTTP/", 5) != 0 || !is_digit(line[5]) || line[6] != '.' ||
        !is_digit(line[7]) || line[8] != ' ')
        return -E_INVAL;
    const char *code = line + 9;
    if (code[0] < '1' || code[0] > '9' || !is_digit(code[1]) || !is_digit(code[2]))
        return -E_INVAL;
    if (n > 12 && line[12] != ' ')
        return -E_INVAL;
    r->status = (unsigned)(code[0] - '0') * 100 + (unsigned)(code[1] - '0') * 10 +
                (unsigned)(code[2] - '0');
    if (n > 13)
        copy_text(r->reason, sizeof(r->reason), line + 13, n - 13);
    return 0;
}

static long parse_length(const char *value, size_t n, struct http_response *r)
{
    uint64_t length = 0;
    if (n == 0)
        return -E_INVAL;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(value[i]))
            return -E_INVAL;
        length = length * 10 + (uint64_t)(value[i] - '0');
        if (length >= CONTENT_LENGTH_LIMIT)
            return -E_RANGE;
    }
    if (r->has_length && r->content_length != length)
        return -E_INVAL; /* two lengths: which one frames the body is anyone's guess */
    r->has_length = true;
    r->content_length = length;
    return 0;
}

/* Transfer-Encoding: the body is chunked when the last coding listed is "chunked". */
static void parse_encoding(const char *value, size_t n, struct http_response *r)
{
    size_t start = n;
    while (start > 0 && value[start - 1] != ',')
        start--;
    while (start < n && (value[start] == ' ' || value[start] == '\t'))
        start++;
    r->chunked = same_word(value + start, n - start, "chunked");
}

/* "Name: value"; a line starting with a space continues the one before (ignored). */
static long parse_header(const char *line, size_t n, struct http_response *r)
{
    if (line[0] == ' ' || line[0] == '\t')
        return 0;
    const char *colon = memchr(line, ':', n);
    if (colon == NULL || colon == line)
        return -E_INVAL;
    size_t name = (size_t)(colon - line);
    for (size_t i = 0; i < name; i++) {
        if (line[i] == ' ' || line[i] == '\t')
            return -E_INVAL;
    }
    const char *value = colon + 1;
    size_t len = n - name - 1;
    while (len > 0 && (value[0] == ' ' || value[0] == '\t')) {
        value++;
        len--;
    }
    while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t'))
        len--;
    if (same_word(line, name, "content-length"))
        return parse_length(value, len, r);
    if (same_word(line, name, "transfer-encoding"))
        parse_encoding(value, len, r);
    else if (same_word(line, name, "location"))
        copy_text(r->location, sizeof(r->location), value, len);
    return 0;
}

/* Could the incomplete first line at data still become a status line? */
static bool could_be_status(const char *data, size_t len)
{
    size_t n = len < 5 ? len : 5;
    return memcmp(data, "HTTP/", n) == 0;
}

long http_parse_response(const char *data, size_t len, struct http_response *response)
{
    memset(response, 0, sizeof(*response));
    bool status_seen = false;
    size_t pos = 0;
    for (;;) {
        const char *newline = memchr(data + pos, '\n', len - pos);
        if (newline == NULL) {
            if (len > HTTP_HEADER_MAX)
                return -E_RANGE;
            if (!status_seen && len - pos > 0 && data[pos] != '\r' &&
                !could_be_status(data + pos, len - pos))
                return -E_INVAL;
            return 0;
        }
        size_t end = (size_t)(newline - data);
        if (end + 1 > HTTP_HEADER_MAX)
            return -E_RANGE;
        size_t n = end - pos;
        if (n > 0 && data[end - 1] == '\r')
            n--;
        const char *line = data + pos;
        pos = end + 1;
        long err = 0;
        if (!status_seen) {
            if (n == 0)
                continue; /* a blank line before the status line */
            err = parse_status(line, n, response);
            status_seen = true;
        } else if (n == 0) {
            return (long)pos;
        } else {
            err = parse_header(line, n, response);
        }
        if (err < 0)
            return err;
    }
}

void http_chunked_start(struct http_chunked *chunked)
{
    memset(chunked, 0, sizeof(*chunked));
    chunked->state = CHUNK_SIZE;
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (lower(c) >= 'a' && lower(c) <= 'f')
        return lower(c) - 'a' + 10;
    return -1;
}

/* The size line is over: data follows, or the trailer after the last chunk. */
static void size_line_done(struct http_chunked *c)
{
    c->state = c->remaining == 0 ? CHUNK_TRAILER : CHUNK_DATA;
}

/* One byte outside chunk data; returns 0 or an error. */
static long chunk_step(struct http_chunked *c, char ch)
{
    switch (c->state) {
    case CHUNK_SIZE: {
        int digit = hex_value(ch);
        if (digit >= 0) {
            if (c->remaining >= CHUNK_SIZE_LIMIT / 16)
                return -E_RANGE;
            c->remaining = c->remaining * 16 + (uint64_t)digit;
            c->digits++;
            return 0;
        }
        if (c->digits == 0)
            return -E_INVAL;
        if (ch == ';' || ch == ' ' || ch == '\t')
            c->state = CHUNK_EXTENSION;
        else if (ch == '\r')
            c->state = CHUNK_SIZE_LF;
        else if (ch == '\n')
            size_line_done(c);
        else
            return -E_INVAL;
        return 0;
    }
    case CHUNK_EXTENSION:
        if (ch == '\n')
            size_line_done(c);
        return 0;
    case CHUNK_SIZE_LF:
        if (ch != '\n')
            return -E_INVAL;
        size_line_done(c);
        return 0;
    case CHUNK_DATA_END:
    case CHUNK_DATA_END_LF:
        if (ch == '\r' && c->state == CHUNK_DATA_END) {
            c->state = CHUNK_DATA_END_LF;
            return 0;
        }
        if (ch != '\n')
            return -E_INVAL;
        c->state = CHUNK_SIZE;
        c->digits = 0;
        c->remaining = 0;
        return 0;
    case CHUNK_TRAILER:
        c->state = ch == '\r' ? CHUNK_TRAILER_LF : ch == '\n' ? CHUNK_DONE : CHUNK_TRAILER_LINE;
        return 0;
    case CHUNK_TRAILER_LINE:
        if (ch == '\n')
            c->state = CHUNK_TRAILER;
        return 0;
    case CHUNK_TRAILER_LF:
        if (ch != '\n')
            return -E_INVAL;
        c->state = CHUNK_DONE;
        return 0;
    }
    return -E_INVAL;
}

long http_chunked_feed(struct http_chunked *chunked, char *data, size_t len)
{
    size_t in = 0, out = 0;
    while (in < len && chunked->state != CHUNK_DONE) {
        if (chunked->state == CHUNK_DATA) {
            size_t take = len - in;
            if (take > chunked->remaining)
                take = (size_t)chunked->remaining;
            memmove(data + out, data + in, take);
            in += take;
            out += take;
            chunked->remaining -= take;
            if (chunked->remaining == 0)
                chunked->state = CHUNK_DATA_END;
            continue;
        }
        long err = chunk_step(chunked, data[in++]);
        if (err < 0)
            return err;
    }
    chunked->done = chunked->state == CHUNK_DONE;
    return (long)out;
}
