/* COM1: the kernel log and, in tests, the harness's eyes. */
#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H

#include <stddef.h>

void serial_init(void);
void serial_write(const char *text, size_t length);

#endif
