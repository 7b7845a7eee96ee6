/*
 * The VGA text screen and its hardware cursor: where the console server
 * draws the one virtual console that is shown.
 */
#ifndef CONSOLE_VGA_H
#define CONSOLE_VGA_H

#include <stdbool.h>
#include <stdint.h>

#include "vt.h"

/*
 * Maps the text buffer (a physical-memory capability for 0xB8000) and
 * enables the CRT controller's ports 0x3D4-0x3D5; returns 0 or an error.
 */
long vga_init(uint32_t buffer, uint32_t crtc_ports);

/*
 * Copies the rows of vt that changed since the last draw to the screen
 * (every row when `all`), and moves the hardware cursor to vt's cursor,
 * hiding it while the view is scrolled back.
 */
void vga_draw(struct vt *vt, bool all);

#endif
