/*
 * gopher's screen: the console's rows but the last show a page, the last
 * row is the status line (the address, then a message or the position)
 * or a prompt being typed. One frame is drawn per key with absolute
 * cursor moves, as programs/edit does, so the picture never depends on
 * what the screen held before. Handles 1 and 2 are the console.
 */
#ifndef PARLEY_GOPHER_SCREEN_H
#define PARLEY_GOPHER_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "page.h"

#define HANDLE_KEYS 1
#define HANDLE_SCREEN 2

struct screen {
    uint32_t cols, rows; /* rows: those for the page, the screen's minus the status line */
    char *frame;
    size_t frame_len, frame_cap;
};

/* Asks the console for its size; false (and no screen) when there is no console. */
bool screen_open(struct screen *s);

/* Clears the console and frees the frame. */
void screen_close(struct screen *s);

/*
 * Draws rows top.. of page (NULL: an empty screen), row `mark` bright,
 * then the status line: left (the address), two spaces and right (a
 * message), the address cut short or dropped so that the message fits.
 */
void screen_draw(struct screen *s, const struct page *page, size_t top, long mark, const char *left,
                 const char *right);

/*
 * Reads a line on the status row after label, starting from what buf
 * (size bytes) holds: printable keys type, Backspace and Ctrl-U erase,
 * Enter accepts, Esc cancels. Returns whether a non-empty line was
 * accepted.
 */
bool screen_prompt(struct screen *s, const char *label, char *buf, size_t size);

#endif
