/*
 * Memory and string functions. The basic ones come from lib/common/string.c,
 * the same code the kernel runs; lib/libc/string_extra.c adds the rest.
 * strerror knows Parley's error codes (<parley/errors.h>), negative or not.
 */
#ifndef PARLEY_LIBC_STRING_H
#define PARLEY_LIBC_STRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *strcat(char *restrict dst, const char *restrict src);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/* The length of s's first run of bytes all in (strspn) or all not in (strcspn) set. */
size_t strspn(const char *s, const char *set);
size_t strcspn(const char *s, const char *set);

/*
 * Copies src into dst (size bytes in total, NUL-terminated when size > 0)
 * and returns strlen(src); a result >= size means it was cut short.
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

/* A malloc'd copy of s, or NULL when memory runs out. */
char *strdup(const char *s);

/* The message for a Parley error code such as -E_NOMEM. */
char *strerror(int err);

#endif
