/*
 * edit FILE: a full-screen text editor on the console, in the spirit of
 * kilo. The text is a buffer of lines (buffer.c); this file draws it and
 * turns key presses into buffer changes.
 *
 * Keys: arrows, Home/End, PgUp/PgDn move; printable keys and Tab insert;
 * Enter splits the line; Backspace and Delete remove; Ctrl-S saves;
 * Ctrl-Q quits (a second Ctrl-Q when there are unsaved changes). The
 * bottom row is the status line: file name, "[+]" when modified, the
 * cursor's line and column, and the last message.
 *
 * Handles 1 and 2 are the console (key presses are read on 1, the screen
 * is drawn through 2); files are opened through the namespace like the
 * other utilities (programs/coreutils/common.c). One frame is drawn per
 * key with absolute cursor moves, so nothing depends on what the screen
 * held before. Bytes outside printable ASCII show as '?', a tab as one
 * space: a column on screen is a byte of the line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>

#include "buffer.h"
#include "common.h"

#define FILE_LIMIT (16u << 20)
#define CTRL(letter) ((letter)&0x1F)

struct editor {
    struct edit_buffer buf;
    const char *path;
    size_t row, col;     /* cursor, in the text */
    size_t top, left;    /* first line and column shown */
    uint32_t rows, cols; /* text rows (the screen minus the status line), columns */
    char message[80];
    bool quit_armed; /* Ctrl-Q pressed once with unsaved changes */
    char *frame;
    size_t frame_len, frame_cap;
};

static void say(struct editor *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct editor *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
}

/* Appends to the frame; the frame is sized for the screen, so running out means a bug. */
static void put(struct editor *e, const char *s, size_t n)
{
    if (e->frame_len + n > e->frame_cap)
        n = e->frame_cap - e->frame_len;
    memcpy(e->frame + e->frame_len, s, n);
    e->frame_len += n;
}

static void put_text(struct editor *e, const char *s)
{
    put(e, s, strlen(s));
}

/* Keeps the cursor inside its line and on screen. */
static void scroll(struct editor *e)
{
    size_t len = e->buf.lines[e->row].len;
    if (e->col > len)
        e->col = len;
    if (e->row < e->top)
        e->top = e->row;
    if (e->row >= e->top + e->rows)
        e->top = e->row - e->rows + 1;
    if (e->col < e->left)
        e->left = e->col;
    if (e->col >= e->left + e->cols)
        e->left = e->col - e->cols + 1;
}

static void draw(struct editor *e)
{
    char move[32];
    scroll(e);
    e->frame_len = 0;
    for (uint32_t y = 0; y < e->rows; y++) {
        snprintf(move, sizeof(move), "\033[%u;1H", (unsigned)y + 1);
        put_text(e, move);
        size_t shown = 0;
        if (e->top + y < e->buf.count) {
            const struct edit_line *line = &e->buf.lines[e->top + y];
            for (size_t x = e->left; x < line->len && shown < e->cols; x++, shown++) {
                char c = line->text[x];
                c = c == '\t' ? ' ' : (c >= 32 && c < 127 ? c : '?');
                put(e, &c, 1);
            }
        } else {
            put_text(e, "~");
            shown = 1;
        }
        if (shown < e->cols)
            put_text(e, "\033[K");
    }
    char status[256];
    int n = snprintf(status, sizeof(status), " %s%s  line %zu/%zu col %zu  %s", e->path,
                     e->buf.dirty ? " [+]" : "", e->row + 1, e->buf.count, e->col + 1,
                     e->message[0] ? e->message : "^S save  ^Q quit");
    size_t width = (size_t)n < e->cols - 1 ? (size_t)n : e->cols - 1;
    snprintf(move, sizeof(move), "\033[%u;1H\033[30;47m", (unsigned)e->rows + 1);
    put_text(e, move);
    put(e, status, width);
    put_text(e, "\033[K\033[0m");
    snprintf(move, sizeof(move), "\033[%zu;%zuH", e->row - e->top + 1, e->col - e->left + 1);
    put_text(e, move);
    console_write(HANDLE_STDOUT, e->frame, e->frame_len);
}

static void save(struct editor *e)
{
    size_t len;
    char *text = buffer_text(&e->buf, &len);
    if (text == NULL) {
        say(e, "not saved: %s", error_string(-E_NOMEM));
        return;
    }
    long handle = ns_open(e->path, FS_RIGHT_WRITE | FS_O_CREATE);
    long err = handle;
    if (handle >= 0) {
        err = len > 0 ? file_write((uint32_t)handle, 0, text, len) : 0;
        if (err >= 0)
            err = fs_truncate((uint32_t)handle, len);
        file_close((uint32_t)handle);
    }
    free(text);
    if (err < 0) {
        say(e, "not saved: %s", error_string((int)err));
        return;
    }
    e->buf.dirty = false;
    say(e, "saved %zu bytes", len);
}

/* Handles one key; returns false when the editor should quit. */
static bool handle_key(struct editor *e, const struct console_key *k)
{
    bool was_armed = e->quit_armed;
    e->quit_armed = false;
    e->message[0] = '\0';
    size_t last = e->buf.count - 1;
    bool ok = true;
    switch (k->key) {
    case KEY_UP:
        e->row -= e->row > 0;
        return true;
    case KEY_DOWN:
        e->row += e->row < last;
        return true;
    case KEY_LEFT:
        if (e->col > 0)
            e->col--;
        else if (e->row > 0)
            e->col = e->buf.lines[--e->row].len;
        return true;
    case KEY_RIGHT:
        if (e->col < e->buf.lines[e->row].len)
            e->col++;
        else if (e->row < last)
            e->row++, e->col = 0;
        return true;
    case KEY_HOME:
        e->col = 0;
        return true;
    case KEY_END:
        e->col = e->buf.lines[e->row].len;
        return true;
    case KEY_PAGE_UP:
        e->row = e->row > e->rows ? e->row - e->rows : 0;
        return true;
    case KEY_PAGE_DOWN:
        e->row = e->row + e->rows < last ? e->row + e->rows : last;
        return true;
    case KEY_DELETE:
        buffer_delete(&e->buf, e->row, e->col);
        return true;
    case '\b':
        buffer_backspace(&e->buf, &e->row, &e->col);
        return true;
    case '\n':
        ok = buffer_split(&e->buf, e->row, e->col);
        if (ok)
            e->row++, e->col = 0;
        break;
    default:
        if (k->ch == CTRL('s')) {
            save(e);
        } else if (k->ch == CTRL('q')) {
            if (!e->buf.dirty || was_armed)
                return false;
            e->quit_armed = true;
            say(e, "unsaved changes: ^Q again to quit, ^S to save");
        } else if ((k->ch >= 32 && k->ch < 127) || k->ch == '\t') {
            ok = buffer_insert(&e->buf, e->row, e->col, (char)k->ch);
            e->col += ok;
        }
    }
    if (!ok)
        say(e, "%s", error_string(-E_NOMEM));
    return true;
}

static int load(struct editor *e)
{
    char *data;
    size_t len;
    long err = util_read_file(e->path, FILE_LIMIT, &data, &len);
    if (err == -E_NOENT) {
        say(e, "new file");
        return 0;
    }
    if (err < 0)
        return util_fail(e->path, err);
    bool ok = buffer_load(&e->buf, data, len);
    free(data);
    return ok ? 0 : util_fail(e->path, -E_NOMEM);
}

int main(int argc, char **argv)
{
    util_start("edit");
    if (argc != 2)
        return util_usage("usage: edit FILE");
    struct editor e = {.path = argv[1]};
    struct console_info info;
    long err = console_info(HANDLE_STDOUT, &info);
    if (err < 0 || info.rows < 2 || info.cols < 10)
        return util_usage("needs a console");
    e.rows = info.rows - 1;
    e.cols = info.cols;
    e.frame_cap = (size_t)info.rows * (info.cols + 16) + 512;
    e.frame = malloc(e.frame_cap);
    if (e.frame == NULL || !buffer_init(&e.buf))
        return util_fail(NULL, -E_NOMEM);
    if (load(&e) != 0)
        return 1;
    for (;;) {
        draw(&e);
        struct console_key key;
        err = console_read_key(HANDLE_STDIN, &key);
        if (err < 0 || !handle_key(&e, &key))
            break;
    }
    console_write(HANDLE_STDOUT, "\033[2J\033[H", 7);
    buffer_free(&e.buf);
    free(e.frame);
    if (err < 0)
        return util_fail("console", err);
    return 0;
}
