/*
 * One virtual console's screen: its cells, cursor, colours, scrollback
 * and the ANSI escape-sequence parser that turns written text into
 * changes of them.
 *
 * This module is pure: it never touches the VGA buffer or makes a system
 * call, so it runs unchanged in the host unit tests. It only records
 * which screen rows changed (vt_take_dirty); the console server copies
 * those rows of the console that is shown to the hardware (vga.c).
 *
 * The screen and the history above it share one ring of lines: scrolling
 * the screen up by a line just moves the ring's start, so the line that
 * leaves the top becomes the newest history line without being copied.
 */
#ifndef CONSOLE_VT_H
#define CONSOLE_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_COLS 80
#define VT_ROWS 25
#define VT_HISTORY 240 /* lines kept above the screen for scrolling back */
#define VT_LINES (VT_HISTORY + VT_ROWS)
#define VT_ATTR_DEFAULT 0x07 /* light grey on black */
#define VT_PARAMS 8          /* numeric parameters kept per escape sequence */
#define VT_ALL_ROWS ((1u << VT_ROWS) - 1)

enum vt_parse_state {
    VT_TEXT, /* ordinary text */
    VT_ESC,  /* after ESC */
    VT_CSI,  /* inside ESC [ ... */
};

struct vt {
    uint16_t lines[VT_LINES][VT_COLS]; /* cells: character | attribute << 8 */
    unsigned top;                      /* ring index of screen row 0 */
    unsigned history;                  /* lines above the screen still kept */
    unsigned view;                     /* lines the display is scrolled back (0: live) */
    uint64_t scrolled;                 /* lines that ever left the screen's top */
    int row, col;                      /* cursor; col == VT_COLS: a wrap is pending */
    uint8_t attr;                      /* colour of new text and of cleared cells */
    uint8_t fg, bg;                    /* ANSI colour numbers 0-7 */
    bool bold, bright;                 /* SGR 1, and SGR 90-97 */
    enum vt_parse_state state;
    int params[VT_PARAMS];
    int param_count;
    bool ignore;    /* the sequence has a form we do not know: swallow it */
    uint32_t dirty; /* bit r: screen row r changed since vt_take_dirty */
};

/* A blank screen, default colours, cursor at the top left. */
void vt_init(struct vt *vt);

/*
 * Interprets text (ANSI subset: \n \r \b \t, ESC[...m, J, K, H, f, A-D)
 * and puts it on the screen, returning the view to the bottom.
 * Sequences may be split across calls.
 */
void vt_write(struct vt *vt, const char *text, size_t length);

/* Puts one character's glyph at the cursor as it is, never interpreted. */
void vt_put(struct vt *vt, uint8_t ch);

/* Moves the cursor to the start of the next line, scrolling if needed. */
void vt_newline(struct vt *vt);

/* Moves the cursor; col may be VT_COLS (a wrap pending). Clamped to the screen. */
void vt_cursor_set(struct vt *vt, int row, int col);

/* Scrolls the view back (lines > 0) or forward (lines < 0) within the history. */
void vt_view_scroll(struct vt *vt, int lines);

/* Shows the live screen again, if the view was scrolled back. */
void vt_view_reset(struct vt *vt);

/* The cells the display shows on screen row `row`, the view's offset applied. */
const uint16_t *vt_view_row(const struct vt *vt, int row);

/* The screen's own row `row` (not scrolled back). */
const uint16_t *vt_screen_row(const struct vt *vt, int row);

/* The rows changed since the last call, as bits; clears them. */
uint32_t vt_take_dirty(struct vt *vt);

/* The column the cursor is drawn in (a pending wrap shows in the last column). */
static inline int vt_cursor_col(const struct vt *vt)
{
    return vt->col < VT_COLS ? vt->col : VT_COLS - 1;
}

#endif
