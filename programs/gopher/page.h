/*
 * A page: one gopher reply, a menu or a text document, cut into the rows
 * the screen shows. A menu is one row per item line (cut at the screen's
 * width), its links numbered from 1 in order; a text document is
 * dot-unstuffed and wrapped at the width. Rows point into the reply, so
 * a page costs the reply plus 12 bytes a row. Pure code, checked by
 * tests/unit/gopher_menu_test.c.
 */
#ifndef PARLEY_GOPHER_PAGE_H
#define PARLEY_GOPHER_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "menu.h"

struct page_row {
    uint32_t start, len; /* the bytes of the reply on this row (a menu: the whole line) */
    uint32_t link;       /* a menu link's number; 0 for other rows */
};

struct page {
    char *data; /* the reply, malloc'd, owned by the page */
    size_t len;
    size_t body;    /* where the reply proper ends: its "." line, or len */
    bool menu;      /* a menu, else a text document */
    bool truncated; /* more rows than page_build was allowed */
    struct page_row *rows;
    size_t count;
    uint32_t *links; /* links[n - 1] is the row of link n */
    size_t link_count;
};

/*
 * Makes *p from data (len bytes, malloc'd, which the page owns from now
 * on, even on failure) with rows cols wide, keeping at most max_rows.
 * Returns 0, -E_NOMEM, or -E_RANGE for a reply over 4 GiB.
 */
int page_build(struct page *p, char *data, size_t len, bool menu, size_t cols, size_t max_rows);

/* Frees the page's reply and rows; *p is left empty. */
void page_free(struct page *p);

/* Row `row` as the screen shows it, at most width bytes into out; returns the length. */
size_t page_row_text(const struct page *p, size_t row, size_t width, char *out);

/* Link n (1-based) as an item pointing into the page; false when there is none. */
bool page_link(const struct page *p, unsigned n, struct menu_item *item);

/*
 * The first row from `from` on, wrapping round to the top, whose text
 * (as shown width wide) holds needle, ignoring ASCII case; -1 if none.
 */
long page_find(const struct page *p, size_t from, const char *needle, size_t width);

/*
 * The document to save, malloc'd, its length in *len: a text document's
 * lines unstuffed and each ended by LF, a menu as received up to its
 * end. NULL when memory runs out.
 */
char *page_document(const struct page *p, size_t *len);

/* A menu with no links but an error ('3') line: that line's text, for the status line. */
bool page_error(const struct page *p, const char **text, size_t *len);

#endif
