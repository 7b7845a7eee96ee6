/*
 * Pages (see page.h): a reply split into screen rows once, when it
 * arrives, so that drawing, paging and finding are only index lookups.
 * A wrapped text row ends where text_render stops for the width, so the
 * rows drawn later are exactly the rows measured here.
 */
#include "page.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#define FIND_WIDTH 512 /* widest row page_find looks at */

static bool add_row(struct page *p, size_t *cap, size_t start, size_t len, uint32_t link)
{
    if (p->count == *cap) {
        size_t want = *cap ? *cap * 2 : 256;
        struct page_row *rows = realloc(p->rows, want * sizeof(*rows));
        if (rows == NULL)
            return false;
        p->rows = rows;
        *cap = want;
    }
    p->rows[p->count++] = (struct page_row){(uint32_t)start, (uint32_t)len, link};
    return true;
}

/* Adds the rows of one text line, wrapped at cols. */
static bool add_text_line(struct page *p, size_t *cap, const char *line, size_t len, size_t cols,
                          size_t max_rows)
{
    size_t start = (size_t)(line - p->data);
    size_t done = 0;
    do {
        if (p->count >= max_rows) {
            p->truncated = true;
            return true;
        }
        size_t shown;
        size_t used = text_render(line + done, len - done, cols, NULL, &shown);
        if (used == 0 && done < len)
            used = 1; /* a row too narrow for anything: still move on */
        if (!add_row(p, cap, start + done, used, 0))
            return false;
        done += used;
    } while (done < len);
    return true;
}

static bool add_menu_line(struct page *p, size_t *cap, size_t *link_cap, const char *line,
                          size_t len)
{
    struct menu_item item;
    menu_parse_line(line, len, &item);
    uint32_t link = 0;
    if (menu_is_link(&item)) {
        if (p->link_count == *link_cap) {
            size_t want = *link_cap ? *link_cap * 2 : 64;
            uint32_t *links = realloc(p->links, want * sizeof(*links));
            if (links == NULL)
                return false;
            p->links = links;
            *link_cap = want;
        }
        p->links[p->link_count++] = (uint32_t)p->count;
        link = (uint32_t)p->link_count;
    }
    return add_row(p, cap, (size_t)(line - p->data), len, link);
}

int page_build(struct page *p, char *data, size_t len, bool menu, size_t cols, size_t max_rows)
{
    memset(p, 0, sizeof(*p));
    p->data = data;
    p->len = len;
    p->menu = menu;
    if (len > UINT32_MAX)
        return -E_RANGE;
    size_t cap = 0, link_cap = 0, pos = 0, before = 0;
    const char *line;
    size_t line_len;
    for (;;) {
        before = pos;
        if (!gopher_next_line(data, len, &pos, &line, &line_len))
            break;
        if (p->count >= max_rows) {
            p->truncated = true;
            break;
        }
        bool ok;
        if (menu) {
            ok = add_menu_line(p, &cap, &link_cap, line, line_len);
        } else {
            text_unstuff(&line, &line_len);
            ok = add_text_line(p, &cap, line, line_len, cols, max_rows);
        }
        if (!ok)
            return -E_NOMEM;
    }
    p->body = before;
    return 0;
}

void page_free(struct page *p)
{
    free(p->data);
    free(p->rows);
    free(p->links);
    memset(p, 0, sizeof(*p));
}

size_t page_row_text(const struct page *p, size_t row, size_t width, char *out)
{
    if (row >= p->count)
        return 0;
    const struct page_row *r = &p->rows[row];
    const char *text = p->data + r->start;
    if (p->menu) {
        struct menu_item item;
        menu_parse_line(text, r->len, &item);
        return menu_format_line(&item, r->link, width, out);
    }
    size_t shown;
    text_render(text, r->len, width, out, &shown);
    return shown;
}

bool page_link(const struct page *p, unsigned n, struct menu_item *item)
{
    if (!p->menu || n == 0 || n > p->link_count)
        return false;
    const struct page_row *r = &p->rows[p->links[n - 1]];
    menu_parse_line(p->data + r->start, r->len, item);
    return true;
}

static char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool contains(const char *text, size_t len, const char *needle, size_t needle_len)
{
    for (size_t i = 0; i + needle_len <= len; i++) {
        size_t k = 0;
        while (k < needle_len && fold(text[i + k]) == fold(needle[k]))
            k++;
        if (k == needle_len)
            return true;
    }
    return false;
}

long page_find(const struct page *p, size_t from, const char *needle, size_t width)
{
    char text[FIND_WIDTH];
    size_t needle_len = strlen(needle);
    if (needle_len == 0 || p->count == 0)
        return -1;
    if (width > sizeof(text))
        width = sizeof(text);
    for (size_t i = 0; i < p->count; i++) {
        size_t row = (from + i) % p->count;
        size_t n = page_row_text(p, row, width, text);
        if (contains(text, n, needle, needle_len))
            return (long)row;
    }
    return -1;
}

char *page_document(const struct page *p, size_t *len)
{
    if (p->menu) {
        char *copy = malloc(p->body + 1);
        if (copy != NULL)
            memcpy(copy, p->data, p->body);
        *len = p->body;
        return copy;
    }
    /* Each line shrinks or keeps its size with its LF; only a last line without one grows. */
    char *out = malloc(p->len + 2);
    if (out == NULL)
        return NULL;
    size_t n = 0, pos = 0;
    const char *line;
    size_t line_len;
    while (gopher_next_line(p->data, p->len, &pos, &line, &line_len)) {
        text_unstuff(&line, &line_len);
        memcpy(out + n, line, line_len);
        n += line_len;
        out[n++] = '\n';
    }
    *len = n;
    return out;
}

bool page_error(const struct page *p, const char **text, size_t *len)
{
    if (!p->menu || p->link_count > 0)
        return false;
    for (size_t i = 0; i < p->count; i++) {
        struct menu_item item;
        menu_parse_line(p->data + p->rows[i].start, p->rows[i].len, &item);
        if (item.type == '3') {
            *text = item.display;
            *len = item.display_len;
            return true;
        }
    }
    return false;
}
