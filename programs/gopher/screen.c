/*
 * Drawing gopher's screen and reading prompts on its status line (see
 * screen.h). Every byte drawn goes through text_render, so neither a
 * server's text nor a typed line can put a control sequence on the
 * console; the only escapes are the ones written here (cursor moves,
 * erase to end of line, colours).
 */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>

#define CTRL(letter) ((letter)&0x1F)
#define ADDRESS_MIN 12 /* an address cut shorter than this is left out */

bool screen_open(struct screen *s)
{
    struct console_info info;
    if (console_info(HANDLE_SCREEN, &info) < 0 || info.rows < 2 || info.cols < 20)
        return false;
    s->cols = info.cols;
    s->rows = info.rows - 1;
    s->frame_cap = (size_t)info.rows * (info.cols + 24) + 512;
    s->frame = malloc(s->frame_cap);
    s->frame_len = 0;
    return s->frame != NULL;
}

void screen_close(struct screen *s)
{
    console_write(HANDLE_SCREEN, "\033[0m\033[2J\033[H", 11);
    free(s->frame);
    s->frame = NULL;
}

/* Appends raw bytes to the frame; it is sized for the screen, so this never cuts in practice. */
static void put(struct screen *s, const char *text, size_t n)
{
    if (s->frame_len + n > s->frame_cap)
        n = s->frame_cap - s->frame_len;
    memcpy(s->frame + s->frame_len, text, n);
    s->frame_len += n;
}

static void put_text(struct screen *s, const char *text)
{
    put(s, text, strlen(text));
}

static void move_to(struct screen *s, uint32_t row, uint32_t col)
{
    char move[32];
    snprintf(move, sizeof(move), "\033[%u;%uH", (unsigned)row, (unsigned)col);
    put_text(s, move);
}

/* Appends text made safe for the console, at most width columns; returns the columns used. */
static size_t put_shown(struct screen *s, const char *text, size_t len, size_t width)
{
    char row[512];
    size_t shown;
    text_render(text, len, width < sizeof(row) ? width : sizeof(row), row, &shown);
    put(s, row, shown);
    return shown;
}

static void flush(struct screen *s)
{
    console_write(HANDLE_SCREEN, s->frame, s->frame_len);
    s->frame_len = 0;
}

/* The status row, inverted; the last column stays empty so nothing wraps. */
static void put_status(struct screen *s, const char *left, const char *right)
{
    size_t width = s->cols - 1;
    size_t left_len = strlen(left), right_len = strlen(right);
    size_t room = right_len == 0 ? width : right_len + 2 < width ? width - right_len - 2 : 0;
    if (left_len > room)
        left_len = room >= ADDRESS_MIN ? room : 0;
    move_to(s, s->rows + 1, 1);
    put_text(s, "\033[30;47m");
    size_t used = put_shown(s, left, left_len, width);
    if (used > 0 && right_len > 0)
        used += put_shown(s, "  ", 2, width - used);
    put_shown(s, right, right_len, width - used);
    put_text(s, "\033[K\033[0m");
}

void screen_draw(struct screen *s, const struct page *page, size_t top, long mark, const char *left,
                 const char *right)
{
    char row[512];
    size_t width = s->cols < sizeof(row) ? s->cols : sizeof(row);
    s->frame_len = 0;
    for (uint32_t y = 0; y < s->rows; y++) {
        move_to(s, y + 1, 1);
        size_t n = page != NULL ? page_row_text(page, top + y, width, row) : 0;
        bool bright = mark >= 0 && (size_t)mark == top + y;
        if (bright)
            put_text(s, "\033[1m");
        put(s, row, n);
        if (bright)
            put_text(s, "\033[0m");
        if (n < s->cols)
            put_text(s, "\033[K");
    }
    put_status(s, left, right);
    flush(s);
}

/* The prompt row: label and the end of the text typed, the cursor after it. */
static void draw_prompt(struct screen *s, const char *label, const char *text)
{
    size_t width = s->cols - 1;
    size_t label_len = strlen(label), len = strlen(text);
    if (label_len > width / 2)
        label_len = width / 2;
    size_t room = width - label_len;
    const char *shown = len > room ? text + len - room : text;
    move_to(s, s->rows + 1, 1);
    put_text(s, "\033[0m");
    size_t used = put_shown(s, label, label_len, width);
    used += put_shown(s, shown, strlen(shown), width - used);
    put_text(s, "\033[K");
    move_to(s, s->rows + 1, (uint32_t)used + 1);
    flush(s);
}

bool screen_prompt(struct screen *s, const char *label, char *buf, size_t size)
{
    size_t len = strlen(buf);
    for (;;) {
        draw_prompt(s, label, buf);
        struct console_key key;
        if (console_read_key(HANDLE_KEYS, &key) < 0)
            return false;
        if (key.key == '\n')
            return len > 0;
        if (key.key == 0x1B || key.ch == CTRL('c'))
            return false;
        if (key.key == '\b') {
            len -= len > 0;
        } else if (key.ch == CTRL('u')) {
            len = 0;
        } else if (key.ch >= 32 && key.ch < 127 && len + 1 < size) {
            buf[len++] = (char)key.ch;
        }
        buf[len] = '\0';
    }
}
