/*
 * Drawing on the VGA text screen (see vga.h).
 *
 * The text buffer is 80x25 cells of (character, attribute) at physical
 * 0xB8000, mapped into the server with its physical-memory capability.
 * Only the shown console is ever copied here, and only the rows it
 * marked as changed, because under emulation every store to this memory
 * is a trip through the device model.
 *
 * The hardware cursor is programmed through the CRT controller: write a
 * register number to the index port 0x3D4, then its value to the data
 * port 0x3D5. Registers 0x0E/0x0F hold the cursor's cell number (high and
 * low byte); 0x0A/0x0B its first and last scan line, where bit 5 of 0x0A
 * switches it off.
 *
 * The cursor's cell is also written just past the screen, at cells 2000
 * and 2001 (bytes 4000-4003 of the buffer, which the display never
 * shows): CURSOR_MIRROR_MAGIC, then the cell or 0xFFFF when hidden.
 * The CRT controller's registers can only be read from inside the
 * guest, so this is how tools/web draws the cursor from a copy of guest
 * memory (docs/web-console.md).
 */
#include "vga.h"

#include <parley/sys.h>
#include <parley/portio.h>

#define CRTC_INDEX 0x3D4
#define CRTC_DATA 0x3D5
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_END 0x0B
#define CRTC_CURSOR_HIGH 0x0E
#define CRTC_CURSOR_LOW 0x0F
#define CURSOR_OFF 0x20
#define CURSOR_FIRST_LINE 14 /* an underline in the 16-line character cell */
#define CURSOR_LAST_LINE 15
#define CURSOR_MIRROR 2000         /* the first cell after the 80x25 screen */
#define CURSOR_MIRROR_MAGIC 0x5043 /* "CP": the next cell holds the cursor */

static volatile uint16_t *cells;
static int cursor_cell = -1; /* where the cursor was put last; -1: hidden */

static void crtc_write(uint8_t reg, uint8_t value)
{
    outb(CRTC_INDEX, reg);
    outb(CRTC_DATA, value);
}

long vga_init(uint32_t buffer, uint32_t crtc_ports)
{
    long addr = sys_phys_map(buffer);
    if (addr < 0)
        return addr;
    long err = sys_ioport_enable(crtc_ports);
    if (err < 0)
        return err;
    cells = (volatile uint16_t *)addr;
    crtc_write(CRTC_CURSOR_START, CURSOR_FIRST_LINE);
    crtc_write(CRTC_CURSOR_END, CURSOR_LAST_LINE);
    cursor_cell = -2; /* unknown: the first draw sets it */
    return 0;
}

static void cursor_show(int cell)
{
    if (cell == cursor_cell)
        return;
    if (cell < 0) {
        crtc_write(CRTC_CURSOR_START, CURSOR_OFF);
    } else {
        if (cursor_cell < 0)
            crtc_write(CRTC_CURSOR_START, CURSOR_FIRST_LINE);
        crtc_write(CRTC_CURSOR_HIGH, (uint8_t)(cell >> 8));
        crtc_write(CRTC_CURSOR_LOW, (uint8_t)cell);
    }
    cursor_cell = cell;
    cells[CURSOR_MIRROR] = CURSOR_MIRROR_MAGIC;
    cells[CURSOR_MIRROR + 1] = cell < 0 ? 0xFFFF : (uint16_t)cell;
}

void vga_draw(struct vt *vt, bool all)
{
    uint32_t dirty = vt_take_dirty(vt);
    if (all)
        dirty = VT_ALL_ROWS;
    for (int row = 0; row < VT_ROWS; row++) {
        if ((dirty & (1u << row)) == 0)
            continue;
        const uint16_t *line = vt_view_row(vt, row);
        for (int col = 0; col < VT_COLS; col++)
            cells[row * VT_COLS + col] = line[col];
    }
    cursor_show(vt->view == 0 ? vt->row * VT_COLS + vt_cursor_col(vt) : -1);
}
