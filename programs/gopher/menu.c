/*
 * Gopher replies taken apart for the screen (see menu.h).
 *
 * Servers in the wild stray from RFC 1436 in small ways, and each is
 * tolerated here rather than refused: bare LF line ends, no "." at the
 * end, menu lines with fields missing (the host then defaults to the
 * server the menu came from) or extra (gopher+ "+" flags), plain text in
 * a menu, Latin-1 or UTF-8 text. What is never tolerated is a byte
 * reaching the console that it would take as a command: every byte shown
 * goes through text_render, which lets out only printable ASCII.
 */
#include "menu.h"

#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

bool gopher_next_line(const char *data, size_t len, size_t *pos, const char **line,
                      size_t *line_len)
{
    size_t start = *pos;
    if (start >= len)
        return false;
    const char *nl = memchr(data + start, '\n', len - start);
    size_t end = nl != NULL ? (size_t)(nl - data) : len;
    *pos = nl != NULL ? end + 1 : len;
    size_t n = end - start;
    if (n > 0 && data[start + n - 1] == '\r')
        n--;
    if (n == 1 && data[start] == '.')
        return false;
    *line = data + start;
    *line_len = n;
    return true;
}

void text_unstuff(const char **line, size_t *len)
{
    if (*len >= 2 && (*line)[0] == '.' && (*line)[1] == '.') {
        (*line)++;
        (*len)--;
    }
}

/* The field starting at *s (up to a tab or end); moves *s past the tab. */
static void next_field(const char **s, const char *end, const char **field, size_t *len)
{
    const char *tab = *s < end ? memchr(*s, '\t', (size_t)(end - *s)) : NULL;
    const char *stop = tab != NULL ? tab : end;
    *field = *s;
    *len = (size_t)(stop - *s);
    *s = tab != NULL ? tab + 1 : end;
}

/* Drops spaces around a field: hosts and ports sometimes carry them. */
static void trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\r')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\r'))
        (*len)--;
}

static unsigned parse_port(const char *s, size_t len)
{
    unsigned value = 0;
    trim(&s, &len);
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        value = value * 10 + (unsigned)(s[i] - '0');
        if (value > 65535)
            return 0;
    }
    return value;
}

void menu_parse_line(const char *line, size_t len, struct menu_item *item)
{
    const char *end = line + len;
    memset(item, 0, sizeof(*item));
    item->display = item->selector = item->host = end;
    if (len == 0 || memchr(line, '\t', len) == NULL || line[0] == '\t') {
        /* plain text, or no type at all: shown, never followed */
        item->type = 'i';
        item->display = line;
        item->display_len = len > 0 && line[0] == '\t' ? 0 : len;
        return;
    }
    item->type = line[0];
    const char *s = line + 1;
    const char *port;
    size_t port_len;
    next_field(&s, end, &item->display, &item->display_len);
    next_field(&s, end, &item->selector, &item->selector_len);
    next_field(&s, end, &item->host, &item->host_len);
    next_field(&s, end, &port, &port_len);
    trim(&item->host, &item->host_len);
    item->port = parse_port(port, port_len);
}

bool menu_is_link(const struct menu_item *item)
{
    return item->type != 'i' && item->type != '3';
}

const char *menu_url(const struct menu_item *item, size_t *len)
{
    if (item->type != 'h' || item->selector_len < 4 || memcmp(item->selector, "URL:", 4) != 0)
        return NULL;
    *len = item->selector_len - 4;
    return item->selector + 4;
}

const char *menu_marker(const struct menu_item *item)
{
    size_t len;
    switch (item->type) {
    case '0':
        return "[TXT]";
    case '1':
        return "[DIR]";
    case '7':
        return "[?]";
    case 'h':
        return menu_url(item, &len) != NULL ? "[URL]" : "[HTM]";
    case 'g':
    case 'I':
    case 'p':
    case ':':
        return "[IMG]";
    case '8':
    case 'T':
        return "[TEL]";
    case '2':
        return "[CSO]";
    default:
        return "[BIN]";
    }
}

int menu_item_address(const struct menu_item *item, const struct gopher_addr *base,
                      struct gopher_addr *addr)
{
    const char *host = item->host;
    size_t host_len = item->host_len;
    unsigned port = item->port != 0 ? item->port : GOPHER_PORT;
    if (host_len == 0) {
        if (base == NULL || base->host[0] == '\0')
            return -E_INVAL;
        host = base->host;
        host_len = strlen(base->host);
        port = base->port;
    }
    if (host_len >= GOPHER_HOST_MAX || item->selector_len >= GOPHER_SELECTOR_MAX)
        return -E_RANGE;
    if (!gopher_host_valid(host, host_len) || item->type == '\0' || item->type == '\r')
        return -E_INVAL;
    if (memchr(item->selector, '\0', item->selector_len) != NULL ||
        memchr(item->selector, '\r', item->selector_len) != NULL)
        return -E_INVAL;
    addr->type = item->type;
    addr->port = port;
    memmove(addr->host, host, host_len); /* host may be base's own, and base may be addr */
    addr->host[host_len] = '\0';
    memcpy(addr->selector, item->selector, item->selector_len);
    addr->selector[item->selector_len] = '\0';
    return 0;
}

/* How many bytes the character at s takes: a whole valid UTF-8 sequence, else 1. */
static size_t utf8_length(const unsigned char *s, size_t len)
{
    size_t need = s[0] >= 0xF0 && s[0] <= 0xF4 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC2 ? 1 : 0;
    if (s[0] > 0xF4 || need >= len)
        return 1;
    for (size_t i = 1; i <= need; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    return need + 1;
}

size_t text_render(const char *text, size_t len, size_t width, char *out, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, col = 0;
    while (i < len) {
        size_t take = 1, w = 1;
        char shown = (char)s[i];
        if (s[i] == '\r') {
            w = 0;
        } else if (s[i] == '\t') {
            w = 8 - col % 8;
            shown = ' ';
            if (col + w > width && col == 0)
                w = width; /* a tab wider than the whole row */
        } else if (s[i] < 0x20 || s[i] == 0x7F) {
            shown = '?';
        } else if (s[i] >= 0x80) {
            shown = '?';
            take = utf8_length(s + i, len - i);
        }
        if (col + w > width)
            break;
        for (size_t k = 0; k < w; k++, col++)
            if (out != NULL)
                out[col] = shown;
        i += take;
    }
    while (i < len && s[i] == '\r')
        i++;
    *out_len = col;
    return i;
}

/* Appends text (rendered) to out at *n, up to width. */
static void append(char *out, size_t *n, size_t width, const char *text, size_t len)
{
    size_t shown;
    if (*n < width) {
        text_render(text, len, width - *n, out + *n, &shown);
        *n += shown;
    }
}

size_t menu_format_line(const struct menu_item *item, unsigned number, size_t width, char *out)
{
    char prefix[32];
    size_t n = 0;
    if (item->type == 'i') {
        snprintf(prefix, sizeof(prefix), "%*s", MENU_PREFIX, "");
    } else if (item->type == '3') {
        snprintf(prefix, sizeof(prefix), "    [ERR] ");
    } else {
        snprintf(prefix, sizeof(prefix), "%3u %s ", number, menu_marker(item));
    }
    append(out, &n, width, prefix, strlen(prefix));
    size_t url_len;
    const char *url = menu_url(item, &url_len);
    if (url == NULL || (url_len == item->display_len && memcmp(url, item->display, url_len) == 0)) {
        append(out, &n, width, url != NULL ? url : item->display,
               url != NULL ? url_len : item->display_len);
        return n;
    }
    append(out, &n, width, item->display, item->display_len);
    append(out, &n, width, " <", 2);
    append(out, &n, width, url, url_len);
    append(out, &n, width, ">", 1);
    return n;
}
