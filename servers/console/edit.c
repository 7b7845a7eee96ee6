/*
 * The line editor (see edit.h).
 *
 * The line is drawn as one run of cells that wraps across screen rows.
 * Its first character's place is kept as an absolute cell number,
 * (lines scrolled off so far + row) * VT_COLS + col, so it stays right
 * when echoing the line scrolls the screen: character i is at cell
 * start + i, on screen row (start + i) / VT_COLS - vt->scrolled. A line
 * longer than the screen has its beginning in the history; characters
 * that would be drawn there are skipped and the cursor stops at the top
 * row, which is enough to finish or erase such a line.
 *
 * Every edit redraws the line from the first changed character to its
 * end, plus blanks over the cells it no longer covers, and then puts the
 * cursor back: simple, and cheap at 80x25.
 */
#include "edit.h"

#include <string.h>

#include <parley/proto/input.h>

#define CTRL(letter) ((letter) - 'a' + 1)

void edit_start(struct edit *e, const struct vt *vt, size_t max, bool echo)
{
    e->length = 0;
    e->pos = 0;
    e->max = max > CONSOLE_LINE_MAX ? CONSOLE_LINE_MAX : max;
    e->echo = echo;
    e->start = (vt->scrolled + (uint64_t)vt->row) * VT_COLS + (uint64_t)vt->col;
}

/* The cell number where the screen's first row begins. */
static uint64_t screen_origin(const struct vt *vt)
{
    return vt->scrolled * VT_COLS;
}

/* Puts the console's cursor on character i of the line. */
static void cursor_to(const struct edit *e, struct vt *vt, size_t i)
{
    uint64_t cell = e->start + i;
    uint64_t origin = screen_origin(vt);
    if (cell < origin) {
        vt_cursor_set(vt, 0, 0); /* in the history: as close as the screen gets */
        return;
    }
    uint64_t row = (cell - origin) / VT_COLS;
    int col = (int)((cell - origin) % VT_COLS);
    if (row >= VT_ROWS) /* just past the bottom right: the wrap is still pending */
        vt_cursor_set(vt, VT_ROWS - 1, VT_COLS);
    else
        vt_cursor_set(vt, (int)row, col);
}

/*
 * Draws the line from character `from` to its end, then `erase` blanks
 * where longer text used to be, then puts the cursor at pos.
 */
static void draw_from(struct edit *e, struct vt *vt, size_t from, size_t erase)
{
    if (!e->echo)
        return;
    size_t end = e->length + erase;
    uint64_t origin = screen_origin(vt);
    if (e->start + from < origin) /* skip what lies in the history */
        from = origin - e->start < end ? (size_t)(origin - e->start) : end;
    if (from < end) {
        cursor_to(e, vt, from);
        for (size_t i = from; i < end; i++)
            vt_put(vt, i < e->length ? (uint8_t)e->line[i] : ' ');
    }
    cursor_to(e, vt, e->pos);
}

static void insert(struct edit *e, struct vt *vt, char ch)
{
    if (e->length >= e->max)
        return;
    memmove(e->line + e->pos + 1, e->line + e->pos, e->length - e->pos);
    e->line[e->pos] = ch;
    e->length++;
    e->pos++;
    draw_from(e, vt, e->pos - 1, 0);
}

/* Removes the character at index i (the cursor ends up at i). */
static void delete_at(struct edit *e, struct vt *vt, size_t i)
{
    memmove(e->line + i, e->line + i + 1, e->length - i - 1);
    e->length--;
    e->pos = i;
    draw_from(e, vt, i, 1);
}

static void erase_all(struct edit *e, struct vt *vt)
{
    size_t old = e->length;
    e->length = 0;
    e->pos = 0;
    draw_from(e, vt, 0, old);
    if (e->echo && e->start < screen_origin(vt)) {
        /* The line began in the history: start the new one at the top of the screen. */
        e->start = screen_origin(vt);
        cursor_to(e, vt, 0);
    }
}

static void move_to(struct edit *e, struct vt *vt, size_t pos)
{
    e->pos = pos;
    if (e->echo)
        cursor_to(e, vt, pos);
}

/* Ends the line on screen: the cursor goes past its end and on to a new line. */
static void finish(struct edit *e, struct vt *vt, const char *mark)
{
    if (e->echo)
        cursor_to(e, vt, e->length);
    for (; *mark != '\0'; mark++)
        vt_put(vt, (uint8_t)*mark);
    vt_newline(vt);
}

enum edit_result edit_key(struct edit *e, struct vt *vt, const struct key_event *key)
{
    if (!key->down)
        return EDIT_MORE;
    uint32_t ch = key->ch;
    if (ch == CTRL('c')) {
        finish(e, vt, "^C");
        return EDIT_INTR;
    }
    if (ch == CTRL('d')) {
        return e->length == 0 ? EDIT_EOF : EDIT_MORE;
    }
    if (key->key == '\n' || ch == '\n' || ch == '\r') {
        finish(e, vt, "");
        return EDIT_DONE;
    }
    if (key->key == '\b' || ch == '\b' || ch == 0x7F) {
        if (e->pos > 0)
            delete_at(e, vt, e->pos - 1);
    } else if (key->key == KEY_DELETE) {
        if (e->pos < e->length)
            delete_at(e, vt, e->pos);
    } else if (key->key == KEY_LEFT) {
        if (e->pos > 0)
            move_to(e, vt, e->pos - 1);
    } else if (key->key == KEY_RIGHT) {
        if (e->pos < e->length)
            move_to(e, vt, e->pos + 1);
    } else if (key->key == KEY_HOME || ch == CTRL('a')) {
        move_to(e, vt, 0);
    } else if (key->key == KEY_END || ch == CTRL('e')) {
        move_to(e, vt, e->length);
    } else if (ch == CTRL('u')) {
        erase_all(e, vt);
    } else if (ch >= 0x20 && ch < 0x7F) {
        insert(e, vt, (char)ch);
    }
    /* Any other key (arrows up and down, function keys, Esc...) does nothing here. */
    return EDIT_MORE;
}

void edit_redraw(struct edit *e, struct vt *vt)
{
    e->start = (vt->scrolled + (uint64_t)vt->row) * VT_COLS + (uint64_t)vt->col;
    draw_from(e, vt, 0, 0);
}
