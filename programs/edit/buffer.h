/*
 * The editor's text: an array of lines, each its own growable byte
 * string without the newline. Every change goes through these functions,
 * which keep the cursor rules in one place (Enter splits a line,
 * Backspace at a line's start joins it to the one above, Delete at its
 * end pulls the next one up) and set `dirty`. Pure code: the host unit
 * test tests/unit/edit_buffer_test.c drives it directly.
 *
 * Functions that allocate return false when memory runs out, leaving the
 * buffer as it was.
 */
#ifndef PARLEY_EDIT_BUFFER_H
#define PARLEY_EDIT_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

struct edit_line {
    char *text;
    size_t len, cap;
};

struct edit_buffer {
    struct edit_line *lines;
    size_t count, cap; /* count >= 1 once initialised */
    bool dirty;        /* changed since loaded or saved */
};

/* One empty line. */
bool buffer_init(struct edit_buffer *b);

/*
 * Replaces the contents with len bytes of text, one line per '\n' (a
 * final newline does not start another line). Leaves dirty false.
 */
bool buffer_load(struct edit_buffer *b, const char *text, size_t len);

void buffer_free(struct edit_buffer *b);

/* Inserts c before column col of line row. */
bool buffer_insert(struct edit_buffer *b, size_t row, size_t col, char c);

/* Splits line row at col: the rest becomes a new line below (Enter). */
bool buffer_split(struct edit_buffer *b, size_t row, size_t col);

/*
 * Backspace at (*row, *col): removes the character before the cursor, or
 * joins the line to the one above; moves the cursor where the text it
 * was on now is. Returns false if there was nothing before it.
 */
bool buffer_backspace(struct edit_buffer *b, size_t *row, size_t *col);

/* Delete at (row, col): removes the character there or joins the next line. */
bool buffer_delete(struct edit_buffer *b, size_t row, size_t col);

/*
 * The whole text as a malloc'd string, each line followed by '\n' (an
 * empty buffer gives ""); its length in *len. NULL if memory runs out.
 */
char *buffer_text(const struct edit_buffer *b, size_t *len);

#endif
