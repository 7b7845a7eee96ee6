/*
 * Formatted output. There are no FILE streams: snprintf and vsnprintf
 * format into a buffer with the kernel's own printf engine
 * (lib/common/format.c), and printf, puts and putchar write to standard
 * output, which is line-buffered and for now goes to the kernel log.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z,
 * flags - 0 space + #, width and precision (both may be *). No floating
 * point; an unknown conversion is printed as written.
 */
#ifndef PARLEY_LIBC_STDIO_H
#define PARLEY_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

/*
 * Formats into buf, writing at most size bytes including the NUL (always
 * written when size > 0); returns the length the whole output would have
 * had, so a result >= size means it was cut short.
 */
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __attribute__((__format__(__printf__, 3, 0)));

/* Write to standard output; they return the number of bytes written. */
int printf(const char *restrict fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap) __attribute__((__format__(__printf__, 1, 0)));

/* Writes s and a newline; returns a non-negative number. */
int puts(const char *s);

/* Writes one character; returns it as an unsigned char. */
int putchar(int c);

/*
 * Sends a partly written line now instead of waiting for its '\n' (a
 * Parley extension; exit() does this too).
 */
void stdout_flush(void);

#endif
