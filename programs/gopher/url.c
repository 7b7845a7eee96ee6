/*
 * Gopher URLs (see url.h): parsing what the user types or a bookmark
 * holds into an address, and formatting an address back for the status
 * line and for `=`.
 *
 * The parser is lenient where that cannot mislead (spaces around the
 * text, an upper-case scheme, an empty port, a stray '%') and strict
 * where a mistake would send the wrong bytes: a host must be a plain
 * name or dotted address, since it becomes part of a /net path, and a
 * selector may not hold CR or LF, which would end the request line early.
 */
#include "url.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Takes one byte of the path at *p: a "%XX" escape or the byte itself. */
static char decode_one(const char **p, const char *end)
{
    const char *s = *p;
    if (s[0] == '%' && end - s >= 3 && hex_value(s[1]) >= 0 && hex_value(s[2]) >= 0) {
        *p = s + 3;
        return (char)(hex_value(s[1]) << 4 | hex_value(s[2]));
    }
    *p = s + 1;
    return s[0];
}

/* Skips "SCHEME://" at *p; -E_INVAL if the scheme is there and is not gopher. */
static int skip_scheme(const char **p, const char *end)
{
    const char *s = *p;
    if (s == end || !is_alpha(*s))
        return 0;
    const char *q = s;
    while (q < end && (is_alpha(*q) || is_digit(*q) || *q == '+' || *q == '-' || *q == '.'))
        q++;
    if (end - q < 3 || memcmp(q, "://", 3) != 0)
        return 0; /* no scheme: "host", "host:70/1" */
    static const char gopher[] = "gopher";
    if (q - s != (long)(sizeof(gopher) - 1))
        return -E_INVAL;
    for (size_t i = 0; i < sizeof(gopher) - 1; i++)
        if ((s[i] | 0x20) != gopher[i])
            return -E_INVAL;
    *p = q + 3;
    return 0;
}

/* Parses the digits in [s, end) as a port in 1..65535; empty means 70. */
static int parse_port(const char *s, const char *end, unsigned *port)
{
    if (s == end) {
        *port = GOPHER_PORT;
        return 0;
    }
    uint32_t value = 0;
    for (; s < end; s++) {
        if (!is_digit(*s))
            return -E_INVAL;
        value = value * 10 + (uint32_t)(*s - '0');
        if (value > 65535)
            return -E_INVAL;
    }
    if (value == 0)
        return -E_INVAL;
    *port = value;
    return 0;
}

/* Decodes the path after the first '/' into the type and the selector. */
static int parse_path(const char *s, const char *end, struct gopher_addr *addr)
{
    addr->type = '1';
    addr->selector[0] = '\0';
    if (s == end)
        return 0;
    addr->type = decode_one(&s, end);
    if (addr->type == '\0' || addr->type == '\t' || addr->type == '\r' || addr->type == '\n')
        return -E_INVAL;
    size_t n = 0;
    while (s < end) {
        char c = decode_one(&s, end);
        if (c == '\0' || c == '\r' || c == '\n')
            return -E_INVAL;
        if (n + 1 >= GOPHER_SELECTOR_MAX)
            return -E_RANGE;
        addr->selector[n++] = c;
    }
    addr->selector[n] = '\0';
    return 0;
}

int gopher_url_parse(const char *text, struct gopher_addr *addr)
{
    const char *s = text;
    const char *end = text + strlen(text);
    while (s < end && is_space(*s))
        s++;
    while (end > s && is_space(end[-1]))
        end--;
    int err = skip_scheme(&s, end);
    if (err < 0)
        return err;
    const char *host_end = s;
    while (host_end < end && *host_end != ':' && *host_end != '/')
        host_end++;
    size_t host_len = (size_t)(host_end - s);
    if (host_len >= GOPHER_HOST_MAX)
        return -E_RANGE;
    if (!gopher_host_valid(s, host_len))
        return -E_INVAL;
    memcpy(addr->host, s, host_len);
    addr->host[host_len] = '\0';
    const char *port_end = host_end;
    if (host_end < end && *host_end == ':') {
        port_end = host_end + 1;
        while (port_end < end && *port_end != '/')
            port_end++;
        err = parse_port(host_end + 1, port_end, &addr->port);
    } else {
        addr->port = GOPHER_PORT;
    }
    if (err < 0)
        return err;
    return parse_path(port_end < end ? port_end + 1 : end, end, addr);
}

bool gopher_host_valid(const char *name, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '-' && c != '_')
            return false;
    }
    return true;
}

/* Appends to out like snprintf: counts every byte, stores those that fit. */
struct out_buf {
    char *out;
    size_t size, len;
};

static void out_byte(struct out_buf *b, char c)
{
    if (b->len + 1 < b->size)
        b->out[b->len] = c;
    b->len++;
}

static void out_text(struct out_buf *b, const char *s)
{
    while (*s)
        out_byte(b, *s++);
}

/* Appends one byte of a type or selector, percent-encoded when a URL cannot hold it. */
static void out_encoded(struct out_buf *b, char c)
{
    unsigned char u = (unsigned char)c;
    if (u > 0x20 && u < 0x7F && !strchr("%\"#<>", c)) {
        out_byte(b, c);
        return;
    }
    static const char hex[] = "0123456789ABCDEF";
    out_byte(b, '%');
    out_byte(b, hex[u >> 4]);
    out_byte(b, hex[u & 15]);
}

size_t gopher_url_format(const struct gopher_addr *addr, char *out, size_t size)
{
    struct out_buf b = {out, size, 0};
    char port[16];
    snprintf(port, sizeof(port), "%u", addr->port);
    out_text(&b, "gopher://");
    out_text(&b, addr->host);
    out_byte(&b, ':');
    out_text(&b, port);
    out_byte(&b, '/');
    out_encoded(&b, addr->type);
    for (const char *s = addr->selector; *s; s++)
        out_encoded(&b, *s);
    if (size > 0)
        out[b.len < size ? b.len : size - 1] = '\0';
    return b.len;
}

void gopher_save_name(const char *selector, char *out, size_t size)
{
    size_t end = strcspn(selector, "\t");
    while (end > 0 && selector[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && selector[start - 1] != '/')
        start--;
    if (size == 0)
        return;
    size_t n = 0;
    for (size_t i = start; i < end && n + 1 < size; i++) {
        char c = selector[i];
        bool ok =
            is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '+' || (c == '.' && n > 0);
        out[n] = ok ? c : '_';
        n++;
    }
    if (n == 0)
        snprintf(out, size, "gopher.out");
    else
        out[n] = '\0';
}
