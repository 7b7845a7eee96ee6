/*
 * The host stand-in for <parley/portio.h> (lib/libc/include/parley), for
 * the fuzz targets: on the build machine an in or out instruction would
 * kill the process, so a driver's port I/O is a call instead, to a
 * function the target that links the driver defines (it plays the
 * device). tests/fuzz/CMakeLists.txt puts this directory ahead of the
 * C library's headers.
 */
#ifndef PARLEY_PORTIO_H
#define PARLEY_PORTIO_H

#include <stdint.h>

uint8_t inb(uint16_t port);
uint16_t inw(uint16_t port);
uint32_t inl(uint16_t port);
void outb(uint16_t port, uint8_t value);
void outw(uint16_t port, uint16_t value);
void outl(uint16_t port, uint32_t value);

#endif
