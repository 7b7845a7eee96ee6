/*
 * Host tests of the console server's pure parts: the virtual console's
 * screen, scrollback and ANSI parser (servers/console/vt.c) and the line
 * editor (servers/console/edit.c). Each check reads the screen cells back
 * as text, as a person looking at the console would.
 */
#include <stdlib.h>
#include <string.h>

#include <parley/proto/input.h>

#include "../../servers/console/edit.h"
#include "../../servers/console/vt.h"
#include "check.h"

static struct vt vt;
static struct edit ed;

/* Screen row `row` as text, trailing blanks dropped. */
static const char *row_text(const uint16_t *cells)
{
    static char text[VT_COLS + 1];
    for (int i = 0; i < VT_COLS; i++)
        text[i] = (char)(cells[i] & 0xFF);
    int end = VT_COLS;
    while (end > 0 && text[end - 1] == ' ')
        end--;
    text[end] = '\0';
    return text;
}

static const char *screen(int row)
{
    return row_text(vt_screen_row(&vt, row));
}

static const char *shown(int row)
{
    return row_text(vt_view_row(&vt, row));
}

static uint8_t attr_at(int row, int col)
{
    return (uint8_t)(vt_screen_row(&vt, row)[col] >> 8);
}

static void put(const char *text)
{
    vt_write(&vt, text, strlen(text));
}

static void reset(void)
{
    vt_init(&vt);
}

static void test_text_and_controls(void)
{
    reset();
    CHECK(vt.row == 0 && vt.col == 0 && vt.attr == VT_ATTR_DEFAULT);
    CHECK(vt_take_dirty(&vt) == VT_ALL_ROWS);
    put("hello");
    CHECK(strcmp(screen(0), "hello") == 0);
    CHECK(vt.col == 5);
    CHECK(vt_take_dirty(&vt) == 1u);
    put("\rJ\n");
    CHECK(strcmp(screen(0), "Jello") == 0);
    CHECK(vt.row == 1 && vt.col == 0);
    put("ab\bc");
    CHECK(strcmp(screen(1), "ac") == 0);
    put("\tx");
    CHECK(vt_screen_row(&vt, 1)[8] == (VT_ATTR_DEFAULT << 8 | 'x'));
    put("\a\001\177y"); /* bell, other controls and DEL are not drawn */
    CHECK(strcmp(screen(1), "ac      xy") == 0);
}

static void test_wrap_and_scroll(void)
{
    reset();
    char full[VT_COLS + 1];
    memset(full, 'w', VT_COLS);
    full[VT_COLS] = '\0';
    put(full);
    CHECK(vt.row == 0 && vt.col == VT_COLS); /* the wrap is pending */
    CHECK(vt_cursor_col(&vt) == VT_COLS - 1);
    put("\r");
    CHECK(vt.row == 0 && vt.col == 0); /* no blank line left behind */
    put(full);
    put("z");
    CHECK(vt.row == 1 && vt.col == 1 && strcmp(screen(1), "z") == 0);

    reset();
    char line[32];
    for (int i = 1; i <= 30; i++) {
        snprintf(line, sizeof(line), "line %d\n", i);
        put(line);
    }
    CHECK(vt.row == VT_ROWS - 1 && vt.col == 0);
    CHECK(strcmp(screen(0), "line 7") == 0);
    CHECK(strcmp(screen(23), "line 30") == 0);
    CHECK(vt.history == 6 && vt.scrolled == 6);
    vt_take_dirty(&vt);
    vt_view_scroll(&vt, 3);
    CHECK(vt.view == 3 && vt_take_dirty(&vt) == VT_ALL_ROWS);
    CHECK(strcmp(shown(0), "line 4") == 0);
    vt_view_scroll(&vt, 100); /* only as far as the history goes */
    CHECK(vt.view == 6 && strcmp(shown(0), "line 1") == 0);
    vt_view_scroll(&vt, -2);
    CHECK(vt.view == 4 && strcmp(shown(0), "line 3") == 0);
    put("x"); /* output returns the view to the bottom */
    CHECK(vt.view == 0 && strcmp(shown(0), "line 7") == 0);
}

static void test_scrollback_capacity(void)
{
    reset();
    char line[32];
    for (int i = 1; i <= 600; i++) {
        snprintf(line, sizeof(line), "line %d\n", i);
        put(line);
    }
    CHECK(VT_HISTORY >= 200);
    CHECK(vt.history == VT_HISTORY);
    vt_view_scroll(&vt, 10000);
    CHECK(vt.view == VT_HISTORY);
    /* Screen row 0 holds line 577; the history reaches VT_HISTORY lines above it. */
    snprintf(line, sizeof(line), "line %d", 577 - VT_HISTORY);
    CHECKF(strcmp(shown(0), line) == 0, "top of history: '%s'", shown(0));
    vt_view_reset(&vt);
    CHECK(strcmp(shown(0), "line 577") == 0);
}

static void test_colours(void)
{
    reset();
    put("\033[31mr");
    CHECK(attr_at(0, 0) == 0x04); /* ANSI red is VGA colour 4 */
    put("\033[1;32mg");
    CHECK(attr_at(0, 1) == 0x0A);
    put("\033[44mb");
    CHECK(attr_at(0, 2) == 0x1A);
    put("\033[0mn");
    CHECK(attr_at(0, 3) == 0x07);
    put("\033[93my\033[my");
    CHECK(attr_at(0, 4) == 0x0E && attr_at(0, 5) == 0x07);
    put("\033[34;47mc\033[39;49md");
    CHECK(attr_at(0, 6) == 0x71 && attr_at(0, 7) == 0x07);
    put("\033[4;5;38;5;200mu"); /* no VGA meaning: ignored, no crash */
    CHECK(attr_at(0, 8) == 0x07 && strcmp(screen(0), "rgbnyycdu") == 0);
}

static void test_cursor_and_erase(void)
{
    reset();
    for (int i = 0; i < VT_ROWS; i++)
        put("0123456789012345678901234567890123456789\n");
    put("\033[2J");
    for (int r = 0; r < VT_ROWS; r++)
        CHECK(screen(r)[0] == '\0');
    put("\033[5;10H*");
    CHECK(vt_screen_row(&vt, 4)[9] == (0x07 << 8 | '*'));
    put("\033[H");
    CHECK(vt.row == 0 && vt.col == 0);
    put("\033[3B\033[2C\033[1A\033[D");
    CHECK(vt.row == 2 && vt.col == 1);
    put("\033[999;999H");
    CHECK(vt.row == VT_ROWS - 1 && vt.col == VT_COLS - 1);
    put("\033[99A\033[99D");
    CHECK(vt.row == 0 && vt.col == 0);
    put("\033[;5H");
    CHECK(vt.row == 0 && vt.col == 4);

    reset();
    put("abcdef\033[3D\033[KXY");
    CHECK(strcmp(screen(0), "abcXY") == 0);
    put("\033[2D\033[1K");
    CHECK(strcmp(screen(0), "    Y") == 0);
    put("\033[2K");
    CHECK(strcmp(screen(0), "") == 0);
    put("\r12345\033[0K");
    CHECK(strcmp(screen(0), "12345") == 0);
    put("\n\nabc\033[2;1H\033[J");
    CHECK(strcmp(screen(0), "12345") == 0 && strcmp(screen(2), "") == 0);
}

static void test_unknown_sequences(void)
{
    reset();
    put("a\033[?25lb\033[5qc\033)0d\033Xe\033[>1;2cf\033[1;2;3;4;5;6;7;8;9;10;11;12mg");
    CHECK(strcmp(screen(0), "abcdefg") == 0);
    put("\033[99999999999999999999999999999m\033[9999999999;99999999999H");
    CHECK(vt.row == VT_ROWS - 1 && vt.col == VT_COLS - 1);
    reset();
    put("\033[3");
    put("1mX"); /* a sequence split over two writes */
    CHECK(strcmp(screen(0), "X") == 0 && attr_at(0, 0) == 0x04);
    reset();
    put("\033[12\030Z\033[\n1mQ"); /* CAN cancels; a newline inside acts */
    CHECK(strcmp(screen(0), "Z") == 0 && strcmp(screen(1), "Q") == 0);

    /* Random bytes: nothing may break, and the cursor stays on the screen. */
    srand(12345);
    char junk[4096];
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof(junk); i++)
            junk[i] = (char)(rand() % 4 == 0 ? "\033[;0123456789mHJK?"[rand() % 18] : rand());
        vt_write(&vt, junk, sizeof(junk));
        CHECK(vt.row >= 0 && vt.row < VT_ROWS && vt.col >= 0 && vt.col <= VT_COLS);
    }
}

/* --- the line editor --- */

static void key(uint32_t code, uint32_t ch, enum edit_result expect)
{
    struct key_event k = {code, 0, 1, ch};
    enum edit_result r = edit_key(&ed, &vt, &k);
    CHECKF(r == expect, "key 0x%x gave %d, wanted %d", code, r, expect);
}

static void type(const char *text)
{
    for (; *text != '\0'; text++)
        key((uint32_t)*text, (uint32_t)*text, EDIT_MORE);
}

static void test_edit_basic(void)
{
    reset();
    put("> ");
    edit_start(&ed, &vt, 100, true);
    type("abc");
    CHECK(strcmp(screen(0), "> abc") == 0 && vt.col == 5);
    key(KEY_LEFT, 0, EDIT_MORE);
    key(KEY_LEFT, 0, EDIT_MORE);
    CHECK(vt.col == 3);
    type("X");
    CHECK(strcmp(screen(0), "> aXbc") == 0 && vt.col == 4 && ed.length == 4);
    key(KEY_HOME, 0, EDIT_MORE);
    key(KEY_DELETE, 0, EDIT_MORE);
    CHECK(strcmp(screen(0), "> Xbc") == 0 && vt.col == 2);
    key(KEY_END, 0, EDIT_MORE);
    key('\b', '\b', EDIT_MORE);
    CHECK(strcmp(screen(0), "> Xb") == 0 && vt.col == 4);
    key(KEY_RIGHT, 0, EDIT_MORE); /* already at the end */
    CHECK(vt.col == 4);
    struct key_event release = {'q', 0, 0, 'q'};
    CHECK(edit_key(&ed, &vt, &release) == EDIT_MORE && ed.length == 2);
    key(KEY_F1, 0, EDIT_MORE); /* keys without a meaning here change nothing */
    CHECK(ed.length == 2);
    key('u', 21, EDIT_MORE); /* Ctrl-U */
    CHECK(strcmp(screen(0), ">") == 0 && vt.col == 2 && ed.length == 0);
    type("done");
    key('\n', '\n', EDIT_DONE);
    CHECK(ed.length == 4 && memcmp(ed.line, "done", 4) == 0);
    CHECK(vt.row == 1 && vt.col == 0);
}

static void test_edit_control_keys(void)
{
    reset();
    edit_start(&ed, &vt, 100, true);
    key('d', 4, EDIT_EOF); /* Ctrl-D on an empty line */
    type("x");
    key('d', 4, EDIT_MORE); /* ... but not on a line with text */
    key('c', 3, EDIT_INTR);
    CHECK(strcmp(screen(0), "x^C") == 0 && vt.row == 1 && vt.col == 0);

    reset();
    edit_start(&ed, &vt, 5, true);
    type("0123456789");
    CHECK(ed.length == 5 && strcmp(screen(0), "01234") == 0);
}

static void test_edit_no_echo(void)
{
    reset();
    put("password: ");
    edit_start(&ed, &vt, 100, false);
    type("hunter2");
    key(KEY_LEFT, 0, EDIT_MORE);
    key('\b', '\b', EDIT_MORE);
    CHECK(strcmp(screen(0), "password:") == 0 && vt.col == 10);
    key('\n', '\n', EDIT_DONE);
    CHECK(ed.length == 6 && memcmp(ed.line, "hunte2", 6) == 0);
    CHECK(vt.row == 1 && vt.col == 0);
}

static void test_edit_wrapping(void)
{
    reset();
    put("\033[25;76H"); /* the last row, five columns from its end */
    edit_start(&ed, &vt, 4096, true);
    type("abcdefghij");
    CHECK(vt.scrolled == 1); /* the line wrapped off the bottom */
    CHECK(strcmp(screen(23) + 75, "abcde") == 0 && strcmp(screen(24), "fghij") == 0);
    key(KEY_HOME, 0, EDIT_MORE);
    CHECK(vt.row == 23 && vt.col == 75);
    type("Z");
    CHECK(strcmp(screen(23) + 75, "Zabcd") == 0 && strcmp(screen(24), "efghij") == 0);
    key(KEY_END, 0, EDIT_MORE);
    CHECK(vt.row == 24 && vt.col == 6);
    key('\n', '\n', EDIT_DONE);
    CHECK(ed.length == 11 && memcmp(ed.line, "Zabcdefghij", 11) == 0);
}

static void test_edit_long_line(void)
{
    reset();
    put("> ");
    edit_start(&ed, &vt, CONSOLE_LINE_MAX, true);
    char expect[4000];
    for (int i = 0; i < 4000; i++) {
        expect[i] = (char)('a' + i % 26);
        key((uint32_t)expect[i], (uint32_t)expect[i], EDIT_MORE);
    }
    CHECK(ed.length == 4000 && memcmp(ed.line, expect, 4000) == 0);
    /* 2 + 4000 cells: the last row holds the line's last 2 characters. */
    CHECK(vt.row == VT_ROWS - 1 && vt.col == 2);
    CHECK(vt_screen_row(&vt, VT_ROWS - 1)[1] == (0x07 << 8 | (uint8_t)expect[3999]));
    key(KEY_HOME, 0, EDIT_MORE); /* the start lies in the history */
    CHECK(vt.row == 0 && vt.col == 0);
    type("!");
    CHECK(ed.length == 4001 && ed.line[0] == '!' && memcmp(ed.line + 1, expect, 4000) == 0);
    key('u', 21, EDIT_MORE); /* erasing it starts over on the screen */
    CHECK(ed.length == 0 && vt.row == 0 && vt.col == 0);
    type("short");
    CHECK(strcmp(screen(0), "short") == 0);
    key('\n', '\n', EDIT_DONE);
    CHECK(ed.length == 5);
}

static void test_edit_redraw(void)
{
    reset();
    put("> ");
    edit_start(&ed, &vt, 100, true);
    type("partial");
    put("\r\nmessage\n"); /* output while the read waits */
    edit_redraw(&ed, &vt);
    CHECK(strcmp(screen(2), "partial") == 0 && vt.row == 2 && vt.col == 7);
    type("!");
    CHECK(strcmp(screen(2), "partial!") == 0);
}

int main(void)
{
    test_text_and_controls();
    test_wrap_and_scroll();
    test_scrollback_capacity();
    test_colours();
    test_cursor_and_erase();
    test_unknown_sequences();
    test_edit_basic();
    test_edit_control_keys();
    test_edit_no_echo();
    test_edit_wrapping();
    test_edit_long_line();
    test_edit_redraw();
    return check_finish("console_vt_test");
}
