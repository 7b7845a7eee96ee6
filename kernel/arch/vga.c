/*
 * A minimal VGA text writer: a cursor, newlines and scrolling.
 *
 * The text buffer lives at physical 0xB8000; each cell is a character
 * byte followed by a colour byte. We reach it through the direct map.
 * The hardware cursor is left alone (the console server will drive it).
 */
#include "arch/vga.h"

#include "mm/vm.h"

#define VGA_PHYS 0xB8000

static int vga_row, vga_col;
static int vga_enabled = 1;

static volatile uint16_t *vga_cells(void)
{
    return (volatile uint16_t *)phys_to_virt(VGA_PHYS);
}

void vga_set_enabled(int enabled)
{
    vga_enabled = enabled;
}

void vga_clear(uint8_t colour)
{
    volatile uint16_t *cells = vga_cells();
    for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
        cells[i] = (uint16_t)(colour << 8 | ' ');
    vga_row = 0;
    vga_col = 0;
}

static void vga_scroll(void)
{
    volatile uint16_t *cells = vga_cells();
    for (int i = 0; i < VGA_COLS * (VGA_ROWS - 1); i++)
        cells[i] = cells[i + VGA_COLS];
    for (int i = 0; i < VGA_COLS; i++)
        cells[VGA_COLS * (VGA_ROWS - 1) + i] = (uint16_t)(VGA_NORMAL << 8 | ' ');
    vga_row = VGA_ROWS - 1;
}

void vga_write(const char *text, size_t length, uint8_t colour)
{
    if (!vga_enabled)
        return;
    volatile uint16_t *cells = vga_cells();
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\n' || vga_col == VGA_COLS) {
            vga_col = 0;
            if (++vga_row == VGA_ROWS)
                vga_scroll();
            if (text[i] == '\n')
                continue;
        }
        cells[vga_row * VGA_COLS + vga_col++] = (uint16_t)(colour << 8 | (uint8_t)text[i]);
    }
}
