/*
 * printf-style formatting into a caller's buffer, for the kernel log and
 * panic messages. There is no FILE or heap in the kernel, so everything is
 * formatted into a fixed buffer; the return value follows C's snprintf so a
 * caller can tell when its buffer was too small.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z,
 * flags - 0 space + #, width and precision (both may be *). No floating
 * point. A conversion this code does not know is copied to the output as
 * written, so a typo shows up in the log instead of eating arguments.
 */
#ifndef KERNEL_LIB_FORMAT_H
#define KERNEL_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats into buf, writing at most size bytes including the terminating
 * NUL (always written when size > 0). Returns the length the full output
 * would have had, so a result >= size means it was truncated. buf may be
 * NULL when size is 0.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/*
 * kvsnprintf for callers that want what was stored rather than what
 * would have been: returns the number of characters written to buf,
 * which is at most size - 1 (0 when size is 0).
 */
size_t kvformat(char *buf, size_t size, const char *fmt, va_list ap);

int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
