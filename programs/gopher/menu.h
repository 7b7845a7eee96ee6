/*
 * What a gopher server sends, taken apart (RFC 1436): the lines of a
 * reply, menu item lines, text-document dot-unstuffing, and the text the
 * console shows for each. Nothing here makes a system call or copies a
 * line: an item points into the reply, so a line of any length is safe
 * and is only cut where it is shown. tests/unit/gopher_menu_test.c and
 * tests/fuzz/gopher_fuzz.c check it on the build machine.
 *
 * A menu line is TYPE DISPLAY \t SELECTOR \t HOST \t PORT, ended by CR LF
 * or LF. Fields past the port (gopher+) are ignored; missing ones are
 * empty, and a line with no tab at all is shown as plain text, as an
 * info ('i') line is. A reply ends at a line holding only "." or where
 * the data ends.
 */
#ifndef PARLEY_GOPHER_MENU_H
#define PARLEY_GOPHER_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "url.h"

#define MENU_PREFIX 10 /* columns before an item's text: "  1 [DIR] " */

struct menu_item {
    char type; /* the line's first byte; 'i' for a line without a tab */
    const char *display, *selector, *host;
    size_t display_len, selector_len, host_len;
    unsigned port; /* 0 when missing or not a number in 1..65535 */
};

/*
 * Finds the line at *pos in data (len bytes), without its CR LF or LF,
 * and moves *pos past it. Returns false when the reply has ended: no
 * bytes left, or a line that is just ".".
 */
bool gopher_next_line(const char *data, size_t len, size_t *pos, const char **line,
                      size_t *line_len);

/* Undoes a text document's dot-stuffing: a line starting ".." loses its first '.'. */
void text_unstuff(const char **line, size_t *len);

/* Splits one menu line (len bytes, no line end) into *item. */
void menu_parse_line(const char *line, size_t len, struct menu_item *item);

/* Does the item lead somewhere (gets a number), unlike info ('i') and error ('3') lines? */
bool menu_is_link(const struct menu_item *item);

/* An 'h' item whose selector is "URL:..." points outside gopher: the URL, else NULL. */
const char *menu_url(const struct menu_item *item, size_t *len);

/*
 * The marker shown before a link: "[TXT]" (0), "[DIR]" (1), "[?]" (7),
 * "[URL]" or "[HTM]" (h), "[IMG]" (g, I, p, :), "[TEL]" (8, T), "[CSO]"
 * (2), "[BIN]" for everything else, which is only ever saved.
 */
const char *menu_marker(const struct menu_item *item);

/*
 * The item's address: its host and port, or base's when the line names
 * no host (no base: -E_INVAL), port 70 when it has a host and no port.
 * Returns 0, -E_INVAL for a malformed host, a NUL or CR type or a
 * selector with NUL or CR in it,
 * or -E_RANGE when a field is too long for struct gopher_addr.
 */
int menu_item_address(const struct menu_item *item, const struct gopher_addr *base,
                      struct gopher_addr *addr);

/*
 * Puts text (len bytes) on the screen: writes at most width bytes, one a
 * column, into out and returns how many bytes of text that used, so the
 * rest can go on the next row. A tab moves to the next multiple of 8
 * (cut at width), CR shows as nothing, other control bytes, DEL and
 * non-ASCII as '?' (a whole UTF-8 sequence as one). *out_len gets the
 * columns written; out may be NULL to measure only.
 */
size_t text_render(const char *text, size_t len, size_t width, char *out, size_t *out_len);

/*
 * One screen row for a menu item, at most width bytes into out (not
 * NUL-terminated); returns its length. A link is "%3u MARKER DISPLAY"
 * ("  1 [DIR] Sub menu"), an 'h' URL item "DISPLAY <URL>" after its
 * marker (the URL alone if the display is the same), an info line its
 * text after MENU_PREFIX spaces, an error line "    [ERR] DISPLAY".
 */
size_t menu_format_line(const struct menu_item *item, unsigned number, size_t width, char *out);

#endif
