/*
 * The editor's text buffer (see buffer.h). Lines grow by doubling, so
 * typing is amortised O(1) per character and inserting a line moves only
 * the line array, never the text.
 */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

static bool line_reserve(struct edit_line *line, size_t need)
{
    if (need <= line->cap)
        return true;
    size_t cap = line->cap ? line->cap : 16;
    while (cap < need)
        cap *= 2;
    char *text = realloc(line->text, cap);
    if (text == NULL)
        return false;
    line->text = text;
    line->cap = cap;
    return true;
}

/* Makes room for one more line at index row (the new line is empty). */
static bool lines_open(struct edit_buffer *b, size_t row)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct edit_line *lines = realloc(b->lines, cap * sizeof(*lines));
        if (lines == NULL)
            return false;
        b->lines = lines;
        b->cap = cap;
    }
    memmove(&b->lines[row + 1], &b->lines[row], (b->count - row) * sizeof(b->lines[0]));
    b->lines[row] = (struct edit_line){0};
    b->count++;
    return true;
}

/* Removes line row (its text is freed). */
static void lines_close(struct edit_buffer *b, size_t row)
{
    free(b->lines[row].text);
    memmove(&b->lines[row], &b->lines[row + 1], (b->count - row - 1) * sizeof(b->lines[0]));
    b->count--;
}

bool buffer_init(struct edit_buffer *b)
{
    *b = (struct edit_buffer){0};
    return lines_open(b, 0);
}

void buffer_free(struct edit_buffer *b)
{
    for (size_t i = 0; i < b->count; i++)
        free(b->lines[i].text);
    free(b->lines);
    *b = (struct edit_buffer){0};
}

bool buffer_load(struct edit_buffer *b, const char *text, size_t len)
{
    struct edit_buffer fresh;
    if (!buffer_init(&fresh))
        return false;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
        struct edit_line *line = &fresh.lines[fresh.count - 1];
        if (!line_reserve(line, n)) {
            buffer_free(&fresh);
            return false;
        }
        if (n > 0)
            memcpy(line->text, text + pos, n);
        line->len = n;
        pos += n + (nl != NULL);
        if (nl != NULL && pos < len && !lines_open(&fresh, fresh.count)) {
            buffer_free(&fresh);
            return false;
        }
    }
    buffer_free(b);
    *b = fresh;
    return true;
}

bool buffer_insert(struct edit_buffer *b, size_t row, size_t col, char c)
{
    struct edit_line *line = &b->lines[row];
    if (col > line->len)
        col = line->len;
    if (!line_reserve(line, line->len + 1))
        return false;
    memmove(line->text + col + 1, line->text + col, line->len - col);
    line->text[col] = c;
    line->len++;
    b->dirty = true;
    return true;
}

bool buffer_split(struct edit_buffer *b, size_t row, size_t col)
{
    if (!lines_open(b, row + 1))
        return false;
    struct edit_line *line = &b->lines[row], *next = &b->lines[row + 1];
    if (col > line->len)
        col = line->len;
    size_t rest = line->len - col;
    if (!line_reserve(next, rest)) {
        lines_close(b, row + 1);
        return false;
    }
    if (rest > 0)
        memcpy(next->text, line->text + col, rest);
    next->len = rest;
    line->len = col;
    b->dirty = true;
    return true;
}

/* Appends line row + 1 to line row and removes it. */
static bool join_next(struct edit_buffer *b, size_t row)
{
    struct edit_line *line = &b->lines[row], *next = &b->lines[row + 1];
    if (!line_reserve(line, line->len + next->len))
        return false;
    if (next->len > 0)
        memcpy(line->text + line->len, next->text, next->len);
    line->len += next->len;
    lines_close(b, row + 1);
    b->dirty = true;
    return true;
}

bool buffer_backspace(struct edit_buffer *b, size_t *row, size_t *col)
{
    struct edit_line *line = &b->lines[*row];
    if (*col > line->len)
        *col = line->len;
    if (*col > 0) {
        memmove(line->text + *col - 1, line->text + *col, line->len - *col);
        line->len--;
        (*col)--;
        b->dirty = true;
        return true;
    }
    if (*row == 0)
        return false;
    size_t above = b->lines[*row - 1].len;
    if (!join_next(b, *row - 1))
        return false;
    (*row)--;
    *col = above;
    return true;
}

bool buffer_delete(struct edit_buffer *b, size_t row, size_t col)
{
    struct edit_line *line = &b->lines[row];
    if (col < line->len) {
        memmove(line->text + col, line->text + col + 1, line->len - col - 1);
        line->len--;
        b->dirty = true;
        return true;
    }
    return row + 1 < b->count && join_next(b, row);
}

char *buffer_text(const struct edit_buffer *b, size_t *len)
{
    size_t total = 0;
    bool empty = b->count == 1 && b->lines[0].len == 0;
    for (size_t i = 0; i < b->count && !empty; i++)
        total += b->lines[i].len + 1;
    char *text = malloc(total + 1);
    if (text == NULL)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < b->count && !empty; i++) {
        if (b->lines[i].len > 0)
            memcpy(text + at, b->lines[i].text, b->lines[i].len);
        at += b->lines[i].len;
        text[at++] = '\n';
    }
    text[at] = '\0';
    *len = at;
    return text;
}
