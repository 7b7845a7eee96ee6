/*
 * The <string.h> functions that lib/common/string.c, shared with the
 * kernel, does not have: the kernel never needed them. Like that file
 * these are plain loops; user programs that copy a lot use memcpy.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (size_t i = 0; i < n; i++) {
        if (p[i] == (unsigned char)c)
            return (void *)(p + i);
    }
    return NULL;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
    size_t i = 0;

    do
        dst[i] = src[i];
    while (src[i++] != '\0');
    return dst;
}

/* Pads with NULs to n bytes, and leaves dst unterminated if src is too long. */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
    size_t i = 0;

    for (; i < n && src[i] != '\0'; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = '\0';
    return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

/* As with strchr, looking for '\0' finds the terminator. */
char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    char ch = (char)c;

    for (;; s++) {
        if (*s == ch)
            last = s;
        if (*s == '\0')
            return (char *)last;
    }
}

size_t strspn(const char *s, const char *set)
{
    size_t n = 0;

    while (s[n] != '\0' && strchr(set, s[n]) != NULL)
        n++;
    return n;
}

size_t strcspn(const char *s, const char *set)
{
    size_t n = 0;

    while (s[n] != '\0' && strchr(set, s[n]) == NULL)
        n++;
    return n;
}

/*
 * The naive search: O(len(haystack) * len(needle)) in the worst case,
 * which is fine for the short strings programs here search.
 */
char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0)
        return (char *)haystack;
    for (; *haystack != '\0'; haystack++) {
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    }
    return NULL;
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);

    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

char *strerror(int err)
{
    /* The strings are literals; C's signature just predates const. */
    return (char *)error_string(err);
}
