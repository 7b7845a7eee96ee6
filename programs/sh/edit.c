/*
 * The shell's line editor (see edit.h).
 *
 * The console only knows where its cursor is; the editor keeps its own
 * model. The line is drawn as one run of cells after the prompt, wrapping
 * across rows, and a position is a cell offset from the line's start:
 * character i sits at cell origin + i, where origin is the prompt's
 * length (the prompt starts a row). That gives row and column of any
 * character, so moving the cursor is a few ANSI sequences (ESC[nA/B up
 * and down, \r then ESC[nC to a column), and every edit is "redraw from
 * the first changed character to the end, blank what the line no longer
 * covers, move back to the cursor", built in one buffer and sent in one
 * console write.
 *
 * One subtlety: after a character lands in the last column the console
 * leaves its cursor there with a wrap pending, not at the next row's
 * start. Whenever drawing ends exactly at a row boundary the editor
 * writes " \b" so that the cursor really is where the model says.
 *
 * A line taller than the screen (a 4,000-character line is 50 rows) has
 * its start scrolled away; the console clamps upward moves at the top
 * row, so editing far back in such a line draws in the wrong place.
 * Typing, Backspace at the end, Enter and Ctrl-C work at any length.
 */
#include "edit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>

#define CTRL(letter) ((letter) - 'a' + 1)
#define OUT_MAX 4096 /* bytes collected before a console write */

struct editor {
    struct shell *sh;
    const char *prompt;
    char *line;
    size_t size;       /* the buffer, NUL included */
    size_t len, pos;   /* characters in the line; the cursor's index */
    size_t cursor;     /* where the console's cursor is, as an index */
    size_t shown;      /* characters on screen (blanking beyond len when it shrinks) */
    size_t origin;     /* the column the line starts in (the prompt's length) */
    size_t cols;       /* the console's width */
    char out[OUT_MAX]; /* output not yet sent */
    size_t out_len;
};

static void flush(struct editor *e)
{
    if (e->out_len > 0)
        console_write(e->sh->out, e->out, e->out_len);
    e->out_len = 0;
}

static void put(struct editor *e, const char *s, size_t n)
{
    while (n > 0) {
        if (e->out_len == OUT_MAX)
            flush(e);
        size_t piece = OUT_MAX - e->out_len < n ? OUT_MAX - e->out_len : n;
        memcpy(e->out + e->out_len, s, piece);
        e->out_len += piece;
        s += piece;
        n -= piece;
    }
}

static void put_str(struct editor *e, const char *s)
{
    put(e, s, strlen(s));
}

/* An ESC [ n final sequence. */
static void put_csi(struct editor *e, size_t n, char final)
{
    char seq[24];
    int len = snprintf(seq, sizeof(seq), "\x1b[%zu%c", n, final);
    put(e, seq, (size_t)len);
}

/* Moves the console's cursor from e->cursor to character index to. */
static void move_to(struct editor *e, size_t to)
{
    size_t from_cell = e->origin + e->cursor, to_cell = e->origin + to;
    size_t from_row = from_cell / e->cols, to_row = to_cell / e->cols;
    size_t from_col = from_cell % e->cols, to_col = to_cell % e->cols;
    if (from_row == to_row) {
        if (to_col > from_col)
            put_csi(e, to_col - from_col, 'C');
        else if (to_col < from_col)
            put_csi(e, from_col - to_col, 'D');
    } else {
        if (to_row < from_row)
            put_csi(e, from_row - to_row, 'A');
        else
            put_csi(e, to_row - from_row, 'B');
        put_str(e, "\r");
        if (to_col > 0)
            put_csi(e, to_col, 'C');
    }
    e->cursor = to;
}

/* After drawing up to index end: settles a pending wrap (see the top of the file). */
static void settle_wrap(struct editor *e, size_t end)
{
    if ((e->origin + end) % e->cols == 0)
        put_str(e, " \b");
}

/*
 * Draws the line from index from to its end, blanks the cells it left
 * since the last drawing, and puts the cursor on e->pos.
 */
static void redraw_from(struct editor *e, size_t from)
{
    move_to(e, from);
    put(e, e->line + from, e->len - from);
    size_t end = e->len;
    for (; end < e->shown; end++)
        put_str(e, " ");
    if (end > from)
        settle_wrap(e, end);
    e->cursor = end;
    e->shown = e->len;
    move_to(e, e->pos);
}

/* Replaces the whole line with text (from the history). */
static void replace(struct editor *e, const char *text)
{
    size_t n = strlen(text);
    if (n > e->size - 1)
        n = e->size - 1;
    memcpy(e->line, text, n);
    e->line[n] = '\0';
    e->len = e->pos = n;
    redraw_from(e, 0);
}

static void insert(struct editor *e, char ch)
{
    if (e->len + 1 >= e->size)
        return; /* full: the key is refused, the line stays as it is */
    memmove(e->line + e->pos + 1, e->line + e->pos, e->len - e->pos);
    e->line[e->pos] = ch;
    e->len++;
    e->line[e->len] = '\0';
    size_t from = e->pos++;
    if (from + 1 == e->len && e->cursor == from && e->shown <= from) {
        /* The common case, typing at the end: just echo. */
        put(e, &ch, 1);
        e->cursor = e->shown = e->len;
        settle_wrap(e, e->len);
        return;
    }
    redraw_from(e, from);
}

/* Removes count characters starting at index at. */
static void erase(struct editor *e, size_t at, size_t count)
{
    if (count == 0)
        return;
    memmove(e->line + at, e->line + at + count, e->len - at - count);
    e->len -= count;
    e->line[e->len] = '\0';
    e->pos = at;
    redraw_from(e, at);
}

static void draw_prompt(struct editor *e)
{
    put_str(e, e->prompt);
    size_t n = strlen(e->prompt);
    e->origin = n % e->cols;
    if (n > 0 && e->origin == 0)
        put_str(e, " \b");
    e->cursor = 0;
    e->shown = 0;
}

/* The keys with a special meaning; returns 1 when the line is finished, -E_* to give up on it. */
static int edit_key(struct editor *e, const struct console_key *k)
{
    uint32_t ch = k->ch;
    if (k->key == '\n' || ch == '\r') {
        move_to(e, e->len);
        put_str(e, "\n");
        return 1;
    }
    if (ch == CTRL('c')) {
        move_to(e, e->len);
        put_str(e, "^C\n");
        return -E_INTR;
    }
    if (ch == CTRL('d') && e->len == 0) {
        put_str(e, "\n");
        return -E_CLOSED;
    }
    if (k->key == '\b' || ch == '\b' || ch == 0x7F) {
        if (e->pos > 0)
            erase(e, e->pos - 1, 1);
    } else if (k->key == KEY_DELETE || ch == CTRL('d')) {
        if (e->pos < e->len)
            erase(e, e->pos, 1);
    } else if (k->key == KEY_LEFT || ch == CTRL('b')) {
        if (e->pos > 0)
            move_to(e, --e->pos);
    } else if (k->key == KEY_RIGHT || ch == CTRL('f')) {
        if (e->pos < e->len)
            move_to(e, ++e->pos);
    } else if (k->key == KEY_HOME || ch == CTRL('a')) {
        move_to(e, e->pos = 0);
    } else if (k->key == KEY_END || ch == CTRL('e')) {
        move_to(e, e->pos = e->len);
    } else if (ch == CTRL('u')) {
        erase(e, 0, e->pos);
    } else if (ch == CTRL('k')) {
        erase(e, e->pos, e->len - e->pos);
    } else if (k->key == KEY_UP || ch == CTRL('p')) {
        const char *older = sh_history_up(&e->sh->history, e->line);
        if (older != NULL)
            replace(e, older);
    } else if (k->key == KEY_DOWN || ch == CTRL('n')) {
        const char *newer = sh_history_down(&e->sh->history);
        if (newer != NULL)
            replace(e, newer);
    } else if (ch == CTRL('l')) {
        put_str(e, "\x1b[2J\x1b[H");
        draw_prompt(e);
        e->shown = 0;
        redraw_from(e, 0);
    } else if (ch >= 0x20 && ch < 0x7F && !(k->mods & (MOD_CTRL | MOD_ALT))) {
        insert(e, (char)ch);
    } else if (ch == '\t') {
        insert(e, ' '); /* no completion: a tab is a blank */
    }
    return 0;
}

long edit_read_line(struct shell *sh, const char *prompt, char *buf, size_t size)
{
    static struct editor e;
    struct console_info info;
    memset(&e, 0, sizeof(e));
    e.sh = sh;
    e.prompt = prompt;
    e.line = buf;
    e.size = size;
    e.cols = console_info(sh->out, &info) == 0 && info.cols > 0 ? info.cols : 80;
    buf[0] = '\0';
    draw_prompt(&e);
    flush(&e);
    for (;;) {
        struct console_key key;
        long err = console_read_key(sh->in, &key);
        if (err < 0) {
            sh_history_reset(&sh->history);
            return err;
        }
        int done = edit_key(&e, &key);
        flush(&e);
        if (done != 0) {
            if (done < 0)
                sh_history_reset(&sh->history);
            return done < 0 ? done : (long)e.len;
        }
    }
}
