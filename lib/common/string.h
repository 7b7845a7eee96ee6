/*
 * The C library's memory and string routines, for a kernel that has no C
 * library. The compiler emits calls to memset, memcpy, memmove and memcmp
 * on its own (struct copies, zero initialisers) even in freestanding code,
 * so these must exist under their standard names and signatures.
 */
#ifndef KERNEL_LIB_STRING_H
#define KERNEL_LIB_STRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/*
 * Copies src into dst (size bytes in total, NUL-terminated when size > 0)
 * and returns strlen(src), so a result >= size means truncation. This is
 * the BSD function; unlike strncpy it never leaves dst unterminated.
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

#endif
