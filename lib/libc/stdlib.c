/*
 * The arithmetic corner of <stdlib.h>: the strto* family, atoi, abs and
 * labs. All four strto* functions share one parser that reads the sign
 * and the magnitude as a 64-bit unsigned value and notes overflow; each
 * function then only decides how to clamp, since long and long long are
 * both 64 bits on x86-64.
 */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct parsed {
    uint64_t magnitude; /* UINT64_MAX when overflowed */
    bool negative;
    bool overflow;
};

/* The value of digit character c in bases up to 36, or 36 for "not a digit". */
static unsigned digit_value(char c)
{
    if (isdigit(c))
        return (unsigned)(c - '0');
    if (islower(c))
        return (unsigned)(c - 'a' + 10);
    if (isupper(c))
        return (unsigned)(c - 'A' + 10);
    return 36;
}

/*
 * Reads [whitespace][+|-][0x|0X]digits. *end is set past the last digit
 * used, or to s itself when there was no number (including a bad base).
 * A "0x" not followed by a hex digit is just the number 0, with *end on
 * the 'x'.
 */
static struct parsed parse_integer(const char *s, char **end, int base)
{
    struct parsed r = {0};
    const char *p = s;
    bool any = false;

    if (end != NULL)
        *end = (char *)s;
    if (base < 0 || base == 1 || base > 36)
        return r;

    while (isspace(*p))
        p++;
    if (*p == '+' || *p == '-')
        r.negative = *p++ == '-';

    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }

    for (;; p++) {
        unsigned d = digit_value(*p);
        if (d >= (unsigned)base)
            break;
        any = true;
        if (r.magnitude > (UINT64_MAX - d) / (unsigned)base)
            r.overflow = true;
        else
            r.magnitude = r.magnitude * (unsigned)base + d;
    }

    if (!any) {
        r.negative = false;
        return r;
    }
    if (r.overflow)
        r.magnitude = UINT64_MAX;
    if (end != NULL)
        *end = (char *)p;
    return r;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    struct parsed r = parse_integer(s, end, base);

    /* LLONG_MIN's magnitude is one more than LLONG_MAX's. */
    if (r.negative) {
        if (r.magnitude > (uint64_t)LLONG_MAX + 1)
            return LLONG_MIN;
        return (long long)(0 - r.magnitude);
    }
    return r.magnitude > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)r.magnitude;
}

/* A '-' negates in unsigned arithmetic, as C specifies; overflow is the maximum. */
unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    struct parsed r = parse_integer(s, end, base);

    if (r.overflow)
        return ULLONG_MAX;
    return r.negative ? 0 - r.magnitude : r.magnitude;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return strtoll(s, end, base);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return strtoull(s, end, base);
}

/* Out-of-range input clamps to INT_MIN or INT_MAX rather than wrapping. */
int atoi(const char *s)
{
    long v = strtol(s, NULL, 10);

    if (v > INT_MAX)
        return INT_MAX;
    if (v < INT_MIN)
        return INT_MIN;
    return (int)v;
}

int abs(int n)
{
    return n < 0 ? -n : n;
}

long labs(long n)
{
    return n < 0 ? -n : n;
}
