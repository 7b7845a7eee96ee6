/*
 * The virtual console's screen model and ANSI parser (see vt.h).
 *
 * The parser is a three-state machine: plain text; after ESC; inside a
 * control sequence (ESC [ params final). It never prints the bytes of a
 * sequence: a sequence it does not know, malformed or with a private
 * marker such as ESC[?25l, is read to its final byte and dropped, and
 * a two-byte escape other than ESC [ is dropped whole. Parameters are
 * clamped as they are read, so no input can overflow anything.
 *
 * Cursor model: after a character is written in the last column the
 * cursor sits at col == VT_COLS, a wrap "pending": the next character
 * goes to the start of the next line, but a \r or a cursor movement
 * first does not leave a blank line behind. This is what VT100s do, and
 * it lets the line editor treat positions as a plain row * VT_COLS + col.
 */
#include "vt.h"

#include <string.h>

#define PARAM_MAX 9999

/* ANSI colour order (black red green yellow blue magenta cyan white) to VGA's. */
static const uint8_t ansi_to_vga[8] = {0, 4, 2, 6, 1, 5, 3, 7};

static uint16_t *screen_line(struct vt *vt, int row)
{
    return vt->lines[(vt->top + (unsigned)row) % VT_LINES];
}

const uint16_t *vt_screen_row(const struct vt *vt, int row)
{
    return vt->lines[(vt->top + (unsigned)row) % VT_LINES];
}

const uint16_t *vt_view_row(const struct vt *vt, int row)
{
    return vt->lines[(vt->top + VT_LINES + (unsigned)row - vt->view) % VT_LINES];
}

static uint16_t blank(const struct vt *vt)
{
    return (uint16_t)(vt->attr << 8 | ' ');
}

static void fill(uint16_t *cells, int count, uint16_t value)
{
    for (int i = 0; i < count; i++)
        cells[i] = value;
}

void vt_init(struct vt *vt)
{
    memset(vt, 0, sizeof(*vt));
    vt->fg = 7;
    vt->attr = VT_ATTR_DEFAULT;
    for (int i = 0; i < VT_LINES; i++)
        fill(vt->lines[i], VT_COLS, blank(vt));
    vt->dirty = VT_ALL_ROWS;
}

uint32_t vt_take_dirty(struct vt *vt)
{
    uint32_t dirty = vt->dirty;
    vt->dirty = 0;
    return dirty;
}

void vt_view_scroll(struct vt *vt, int lines)
{
    long view = (long)vt->view + lines;
    if (view < 0)
        view = 0;
    if (view > (long)vt->history)
        view = (long)vt->history;
    if ((unsigned)view != vt->view) {
        vt->view = (unsigned)view;
        vt->dirty = VT_ALL_ROWS;
    }
}

void vt_view_reset(struct vt *vt)
{
    vt_view_scroll(vt, -(int)vt->view);
}

/* The screen moves up a line; the top line joins the history. */
static void scroll_up(struct vt *vt)
{
    vt->top = (vt->top + 1) % VT_LINES;
    if (vt->history < VT_HISTORY)
        vt->history++;
    vt->scrolled++;
    fill(screen_line(vt, VT_ROWS - 1), VT_COLS, blank(vt));
    vt->dirty = VT_ALL_ROWS;
}

void vt_newline(struct vt *vt)
{
    vt->col = 0;
    if (vt->row == VT_ROWS - 1)
        scroll_up(vt);
    else
        vt->row++;
}

void vt_put(struct vt *vt, uint8_t ch)
{
    if (vt->col >= VT_COLS)
        vt_newline(vt);
    screen_line(vt, vt->row)[vt->col++] = (uint16_t)(vt->attr << 8 | ch);
    vt->dirty |= 1u << vt->row;
}

static int clamp(int value, int low, int high)
{
    return value < low ? low : value > high ? high : value;
}

void vt_cursor_set(struct vt *vt, int row, int col)
{
    vt->row = clamp(row, 0, VT_ROWS - 1);
    vt->col = clamp(col, 0, VT_COLS);
}

/* Parameter i of the current sequence, or `absent` if it was not given (or was 0 where 0 means the
 * default). */
static int param(const struct vt *vt, int i, int absent)
{
    if (i >= vt->param_count || vt->params[i] == 0)
        return absent;
    return vt->params[i];
}

static void update_attr(struct vt *vt)
{
    uint8_t fg = ansi_to_vga[vt->fg] | ((vt->bold || vt->bright) ? 8 : 0);
    vt->attr = (uint8_t)(ansi_to_vga[vt->bg] << 4 | fg);
}

/* SGR: ESC [ p ; p ... m. An empty list means 0 (reset). */
static void select_graphics(struct vt *vt)
{
    int count = vt->param_count == 0 ? 1 : vt->param_count;
    for (int i = 0; i < count && i < VT_PARAMS; i++) {
        int p = i < vt->param_count ? vt->params[i] : 0;
        if (p == 0) {
            vt->fg = 7;
            vt->bg = 0;
            vt->bold = vt->bright = false;
        } else if (p == 1) {
            vt->bold = true;
        } else if (p == 22) {
            vt->bold = false;
        } else if (p >= 30 && p <= 37) {
            vt->fg = (uint8_t)(p - 30);
            vt->bright = false;
        } else if (p == 39) {
            vt->fg = 7;
            vt->bright = false;
        } else if (p >= 40 && p <= 47) {
            vt->bg = (uint8_t)(p - 40);
        } else if (p == 49) {
            vt->bg = 0;
        } else if (p >= 90 && p <= 97) {
            vt->fg = (uint8_t)(p - 90);
            vt->bright = true;
        }
        /* Anything else (underline, blink, 256 colours...) has no VGA meaning here. */
    }
    update_attr(vt);
}

/* ED: 0 cursor to end of screen, 1 start of screen to cursor, 2 (or 3) all. */
static void erase_display(struct vt *vt, int mode)
{
    int col = vt_cursor_col(vt);
    if (mode == 0) {
        fill(screen_line(vt, vt->row) + col, VT_COLS - col, blank(vt));
        for (int r = vt->row + 1; r < VT_ROWS; r++)
            fill(screen_line(vt, r), VT_COLS, blank(vt));
    } else if (mode == 1) {
        for (int r = 0; r < vt->row; r++)
            fill(screen_line(vt, r), VT_COLS, blank(vt));
        fill(screen_line(vt, vt->row), col + 1, blank(vt));
    } else if (mode == 2 || mode == 3) {
        for (int r = 0; r < VT_ROWS; r++)
            fill(screen_line(vt, r), VT_COLS, blank(vt));
    } else {
        return;
    }
    vt->dirty = VT_ALL_ROWS;
}

/* EL: 0 cursor to end of line, 1 start of line to cursor, 2 the whole line. */
static void erase_line(struct vt *vt, int mode)
{
    uint16_t *line = screen_line(vt, vt->row);
    int col = vt_cursor_col(vt);
    if (mode == 0)
        fill(line + col, VT_COLS - col, blank(vt));
    else if (mode == 1)
        fill(line, col + 1, blank(vt));
    else if (mode == 2)
        fill(line, VT_COLS, blank(vt));
    else
        return;
    vt->dirty |= 1u << vt->row;
}

/* Carries out a complete control sequence ending in `final`. */
static void control_sequence(struct vt *vt, uint8_t final)
{
    int n = param(vt, 0, 1);
    int col = vt_cursor_col(vt); /* movements start from the drawn column */
    switch (final) {
    case 'm':
        select_graphics(vt);
        break;
    case 'J':
        erase_display(vt, vt->param_count > 0 ? vt->params[0] : 0);
        break;
    case 'K':
        erase_line(vt, vt->param_count > 0 ? vt->params[0] : 0);
        break;
    case 'H':
    case 'f':
        vt_cursor_set(vt, param(vt, 0, 1) - 1, clamp(param(vt, 1, 1) - 1, 0, VT_COLS - 1));
        break;
    case 'A':
        vt_cursor_set(vt, vt->row - n, col);
        break;
    case 'B':
        vt_cursor_set(vt, vt->row + n, col);
        break;
    case 'C':
        vt_cursor_set(vt, vt->row, clamp(col + n, 0, VT_COLS - 1));
        break;
    case 'D':
        vt_cursor_set(vt, vt->row, col - n);
        break;
    default:
        break; /* unknown: swallowed */
    }
}

/* C0 control characters; those without a meaning here are dropped. */
static void control_char(struct vt *vt, uint8_t ch)
{
    switch (ch) {
    case '\n':
        vt_newline(vt);
        break;
    case '\r':
        vt->col = 0;
        break;
    case '\b':
        vt->col = vt_cursor_col(vt) > 0 ? vt_cursor_col(vt) - 1 : 0;
        break;
    case '\t':
        vt->col = clamp((vt_cursor_col(vt) / 8 + 1) * 8, 0, VT_COLS - 1);
        break;
    case 0x1B:
        vt->state = VT_ESC;
        break;
    default:
        break;
    }
}

static void start_sequence(struct vt *vt)
{
    vt->state = VT_CSI;
    vt->param_count = 0;
    vt->ignore = false;
    memset(vt->params, 0, sizeof(vt->params));
}

/* One byte inside ESC [ ... : a digit, a separator, a marker or the final byte. */
static void sequence_byte(struct vt *vt, uint8_t ch)
{
    if (ch >= '0' && ch <= '9') {
        if (vt->param_count == 0)
            vt->param_count = 1;
        if (vt->param_count <= VT_PARAMS) {
            int *p = &vt->params[vt->param_count - 1];
            *p = *p > (PARAM_MAX - 9) / 10 ? PARAM_MAX : *p * 10 + (ch - '0');
        }
    } else if (ch == ';') {
        if (vt->param_count == 0)
            vt->param_count = 1; /* ";5H": the first parameter was left out */
        if (vt->param_count <= VT_PARAMS)
            vt->param_count++;
    } else if (ch >= 0x20 && ch <= 0x3F) {
        vt->ignore = true; /* private markers (?, >, =, <) and intermediates */
    } else if (ch >= 0x40 && ch <= 0x7E) {
        if (vt->param_count > VT_PARAMS)
            vt->param_count = VT_PARAMS;
        if (!vt->ignore)
            control_sequence(vt, ch);
        vt->state = VT_TEXT;
    } else if (ch == 0x18 || ch == 0x1A || ch >= 0x7F) {
        vt->state = VT_TEXT; /* CAN, SUB or a stray byte cancel the sequence */
    } else {
        control_char(vt, ch); /* VT100s act on C0 controls inside sequences */
    }
}

void vt_write(struct vt *vt, const char *text, size_t length)
{
    vt_view_reset(vt);
    for (size_t i = 0; i < length; i++) {
        uint8_t ch = (uint8_t)text[i];
        switch (vt->state) {
        case VT_TEXT:
            if (ch < 0x20)
                control_char(vt, ch);
            else if (ch != 0x7F)
                vt_put(vt, ch);
            break;
        case VT_ESC:
            if (ch == '[') {
                start_sequence(vt);
            } else if (ch < 0x20 && ch != 0x1B) {
                vt->state = VT_TEXT; /* the escape was abandoned */
                control_char(vt, ch);
            } else if (ch >= 0x20 && ch <= 0x2F) {
                /* an intermediate byte (ESC ( B, ESC ) 0): the final byte follows */
            } else if (ch != 0x1B) {
                vt->state = VT_TEXT; /* the final byte of an escape we do not know */
            }
            break;
        case VT_CSI:
            sequence_byte(vt, ch);
            break;
        }
    }
}
