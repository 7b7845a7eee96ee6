/*
 * The browser: the page on screen, the history behind and ahead of it,
 * the status line's message, and what moves between pages. main.c
 * turns keys into these calls.
 *
 * The page on screen is the current entry of a history that `b` and `f`
 * walk; going back fetches the page again (only addresses and scroll
 * positions are kept, never old replies). Nothing the network does
 * stops the browser: every failure (refused, no host, no answer within
 * FETCH_TIMEOUT_NS, reset, an empty reply) becomes a message on the
 * status line, and the page on screen stays.
 */
#ifndef PARLEY_GOPHER_BROWSE_H
#define PARLEY_GOPHER_BROWSE_H

#include <stdbool.h>
#include <stddef.h>

#include "page.h"
#include "screen.h"
#include "url.h"

#define HISTORY_MAX 32
#define MAX_ROWS 200000 /* rows of one page; a longer one is cut and says so */
#define TITLE_MAX 80
#define DIGITS_MAX 6

/* A page that was or can be shown: where it is and how far down it was read. */
struct entry {
    struct gopher_addr addr;
    char title[TITLE_MAX]; /* what a bookmark of it is called */
    size_t top;
    bool bookmarks; /* the bookmarks file, not a server's page */
};

struct browser {
    struct screen screen;
    struct page page;
    bool have_page;
    struct entry shown; /* the page on screen, or the first one that failed to load */
    bool have_shown;
    struct entry history[HISTORY_MAX];
    size_t history_count, history_at; /* history[history_at] is on screen */
    size_t top;                       /* the page's first row on screen */
    long mark;                        /* the row the last find hit, or -1 */
    char find[80];
    char digits[DIGITS_MAX + 1]; /* a link number being typed */
    char message[200];
};

/* Sets the status line's message. */
void browser_say(struct browser *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Draws the page and the status line: the address, then the message or the position. */
void browser_draw(struct browser *b);

/* Copies len bytes of text as the screen would show them into title. */
void browser_title(char title[TITLE_MAX], const char *text, size_t len);

/* Fetches e and, when that works, puts it on screen at e->top; else says why. */
bool browser_load(struct browser *b, const struct entry *e);

/* Loads e as a new page after the current one, dropping the pages ahead of it. */
void browser_visit(struct browser *b, const struct entry *e);

/* Moves by step (-1 back, +1 forward) through the history. */
void browser_step(struct browser *b, int step);

/* Asks for a file name (default from the selector) and saves addr's item there as it arrives. */
void browser_download(struct browser *b, const struct gopher_addr *addr);

/* An 'h' item's URL (len bytes): followed when it is a gopher URL, else only shown. */
void browser_open_url(struct browser *b, const char *url, size_t len, const char *title);

/*
 * Goes to addr as its type says: menus, text and searches (after asking
 * for the query) become the new page, binaries are saved, telnet and
 * CSO items are refused with a message. title names it for a bookmark.
 */
void browser_go(struct browser *b, const struct gopher_addr *addr, const char *title);

#endif
