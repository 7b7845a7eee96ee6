/*
 * The early boot screen and the panic screen (VGA text mode, 80x25).
 * Once user space runs, the console server owns the screen; the kernel
 * only draws here again to report a panic.
 */
#ifndef ARCH_VGA_H
#define ARCH_VGA_H

#include <stddef.h>
#include <stdint.h>

#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_NORMAL 0x07 /* light grey on black */
#define VGA_BANNER 0x1F /* white on blue */
#define VGA_PANIC 0x4F  /* white on red */

void vga_clear(uint8_t colour);
void vga_write(const char *text, size_t length, uint8_t colour);
void vga_set_enabled(int enabled);

#endif
