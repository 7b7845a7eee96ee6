/*
 * Checks kvsnprintf against the host C library's snprintf, which serves as
 * the reference for every conversion both support: each format is run
 * through both and the return values and output must agree. Formats are
 * generated from every combination of the flags, widths, precisions and
 * length modifiers that C defines for a conversion, with edge values for
 * each type. The parts where the kernel differs on purpose (%p, NULL for
 * %s, unknown conversions) and buffer truncation are checked directly.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "check.h"
#include "common/format.h"

#define BUF 512

/* Formats with both implementations at size bytes and compares. */
static void compare_sized(size_t size, const char *fmt, va_list ap)
{
    char want[BUF], got[BUF];
    va_list ap2;

    memset(want, 'W', sizeof(want));
    memset(got, 'W', sizeof(got));
    va_copy(ap2, ap);
    int want_n = vsnprintf(want, size, fmt, ap);
    int got_n = kvsnprintf(got, size, fmt, ap2);
    va_end(ap2);

    CHECKF(got_n == want_n, "fmt \"%s\" size %zu: returned %d, host %d", fmt, size, got_n, want_n);
    CHECKF(memcmp(got, want, sizeof(got)) == 0, "fmt \"%s\" size %zu: got \"%.*s\", host \"%.*s\"",
           fmt, size, (int)(size ? size - 1 : 0), got, (int)(size ? size - 1 : 0), want);
}

/* No format attribute: the generated formats are checked by the host. */
static void compare(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    compare_sized(BUF, fmt, ap);
    va_end(ap);
}

static void compare_truncated(size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    compare_sized(size, fmt, ap);
    va_end(ap);
}

/* Runs the kernel formatter alone, for formats the host has no say on. */
static int kformat(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void expect(const char *want, const char *fmt, ...)
{
    char got[BUF];
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(got, sizeof(got), fmt, ap);
    va_end(ap);
    CHECKF(strcmp(got, want) == 0, "fmt \"%s\": got \"%s\", want \"%s\"", fmt, got, want);
    CHECKF(n == (int)strlen(want), "fmt \"%s\": returned %d, want %zu", fmt, n, strlen(want));
}

/*
 * Builds "%<flags><width><precision><length><conv>" for every subset of
 * flags and a set of widths and precisions, then calls use() on each.
 */
static void for_each_spec(const char *flags, const char *length, char conv,
                          void (*use)(const char *fmt, const char *length, char conv))
{
    static const char *const widths[] = {"", "1", "6", "24"};
    static const char *const precs[] = {"", ".0", ".1", ".4", ".19"};
    size_t nflags = strlen(flags);

    for (unsigned mask = 0; mask < (1u << nflags); mask++) {
        char flagstr[8] = "";
        size_t k = 0;
        for (size_t i = 0; i < nflags; i++) {
            if (mask & (1u << i))
                flagstr[k++] = flags[i];
        }
        flagstr[k] = '\0';
        for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
            for (size_t p = 0; p < sizeof(precs) / sizeof(precs[0]); p++) {
                char fmt[64];
                snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flagstr, widths[w], precs[p], length,
                         conv);
                use(fmt, length, conv);
            }
        }
    }
}

static const long long signed_values[] = {
    0,     1,       -1,      7,        -8,        42,        -42,          127,
    -128,  128,     255,     300,      -300,      32767,     -32768,       65535,
    70000, INT_MAX, INT_MIN, UINT_MAX, LLONG_MAX, LLONG_MIN, 1234567890123};

/* Passes each value as the argument type the length modifier names. */
static void use_signed(const char *fmt, const char *length, char conv)
{
    (void)conv;
    for (size_t i = 0; i < sizeof(signed_values) / sizeof(signed_values[0]); i++) {
        long long v = signed_values[i];
        if (strcmp(length, "ll") == 0)
            compare(fmt, v);
        else if (strcmp(length, "l") == 0)
            compare(fmt, (long)v);
        else if (strcmp(length, "z") == 0)
            compare(fmt, (ssize_t)v);
        else
            compare(fmt, (int)v); /* hh, h and none all take an int */
    }
}

static void use_unsigned(const char *fmt, const char *length, char conv)
{
    (void)conv;
    for (size_t i = 0; i < sizeof(signed_values) / sizeof(signed_values[0]); i++) {
        unsigned long long v = (unsigned long long)signed_values[i];
        if (strcmp(length, "ll") == 0)
            compare(fmt, v);
        else if (strcmp(length, "l") == 0)
            compare(fmt, (unsigned long)v);
        else if (strcmp(length, "z") == 0)
            compare(fmt, (size_t)v);
        else
            compare(fmt, (unsigned)v);
    }
}

static void check_integers(void)
{
    static const char *const lengths[] = {"hh", "h", "", "l", "ll", "z"};

    for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
        /* '#' is undefined for d, i and u, so those get the other flags. */
        for_each_spec("-0 +", lengths[l], 'd', use_signed);
        for_each_spec("-0+", lengths[l], 'i', use_signed);
        for_each_spec("-0 +", lengths[l], 'u', use_unsigned);
        for_each_spec("-0#", lengths[l], 'x', use_unsigned);
        for_each_spec("-0#", lengths[l], 'X', use_unsigned);
        for_each_spec("-0#", lengths[l], 'o', use_unsigned);
    }
}

static void use_string(const char *fmt, const char *length, char conv)
{
    static const char *const strings[] = {"", "a", "hello", "a longer string than the width"};

    (void)length;
    (void)conv;
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        compare(fmt, strings[i]);
}

static void use_char(const char *fmt, const char *length, char conv)
{
    (void)length;
    (void)conv;
    /* Precision is undefined for %c, so only the no-precision forms run. */
    if (strchr(fmt, '.') == NULL) {
        compare(fmt, 'x');
        compare(fmt, '%');
    }
}

static void check_strings_and_chars(void)
{
    for_each_spec("-", "", 's', use_string);
    for_each_spec("-", "", 'c', use_char);
    compare("%s and %s", "one", "two");
    compare("%c%c%c", 'a', 'b', 'c');
    compare("%%");
    compare("100%% sure, %d%%", 5);
    compare("plain text");
    compare("");
}

static void check_star(void)
{
    compare("[%*d]", 8, 42);
    compare("[%*d]", -8, 42); /* negative width means left-justify */
    compare("[%-*d]", 8, -42);
    compare("[%.*d]", 5, 42);
    compare("[%.*d]", -1, 42); /* negative precision means none */
    compare("[%.*d]", 0, 0);
    compare("[%*.*x]", 10, 6, 0xbeef);
    compare("[%0*d]", 7, -3);
    compare("[%*s|%-*s]", 6, "ab", 6, "cd");
    compare("[%.*s]", 3, "abcdef");
    compare("[%*c]", 4, 'q');
    compare("[%d %*d %d]", 1, 5, 2, 3);
}

static void check_truncation(void)
{
    static const char *const fmt = "value=%d name=%s hex=%#x";
    char buf[64];

    for (size_t size = 0; size < 40; size++)
        compare_truncated(size, fmt, -1234, "parley", 0xcafe);

    CHECK(kformat(NULL, 0, "hello %d", 42) == 8);
    memset(buf, 'Z', sizeof(buf));
    CHECK(kformat(buf, 0, "hello") == 5 && buf[0] == 'Z');
    CHECK(kformat(buf, 1, "hello") == 5 && buf[0] == '\0' && buf[1] == 'Z');
    memset(buf, 'Z', sizeof(buf));
    CHECK(kformat(buf, 4, "%s", "abcdef") == 6);
    CHECK(strcmp(buf, "abc") == 0 && buf[4] == 'Z');
    CHECK(kformat(buf, 4, "%08d", 12) == 8 && strcmp(buf, "000") == 0);
}

static void check_kernel_specific(void)
{
    expect("0x0000000000001234", "%p", (void *)0x1234);
    expect("0x0000000000000000", "%p", (void *)NULL);
    expect("0xffffffff80000000", "%p", (void *)0xffffffff80000000ull);
    expect("[0x00000000deadbeef  ]", "[%-20p]", (void *)0xdeadbeefull);
    expect("[  0x00000000deadbeef]", "[%20p]", (void *)0xdeadbeefull);
    expect("(null)", "%s", (char *)NULL);
    expect("[    (null)]", "[%10s]", (char *)NULL);

    /* Unknown conversions are copied out as written and take no argument. */
    char buf[64];
    CHECK(kformat(buf, sizeof(buf), "%y %d", 5) == 4 && strcmp(buf, "%y 5") == 0);
    CHECK(kformat(buf, sizeof(buf), "a%-08.3qb") == 9 && strcmp(buf, "a%-08.3qb") == 0);
    CHECK(kformat(buf, sizeof(buf), "%lf|%d", 9) == 5 && strcmp(buf, "%lf|9") == 0);
    CHECK(kformat(buf, sizeof(buf), "end%") == 4 && strcmp(buf, "end%") == 0);
    CHECK(kformat(buf, sizeof(buf), "end%-5") == 6 && strcmp(buf, "end%-5") == 0);
    CHECK(kformat(buf, sizeof(buf), "end%ll") == 6 && strcmp(buf, "end%ll") == 0);
}

static size_t stored(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = kvformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* kvformat reports what was stored, not what would have been. */
static void check_stored_length(void)
{
    char buf[8];
    CHECK(stored(buf, sizeof(buf), "%s", "abc") == 3 && strcmp(buf, "abc") == 0);
    CHECK(stored(buf, sizeof(buf), "%s", "abcdefghij") == 7 && strcmp(buf, "abcdefg") == 0);
    CHECK(stored(buf, 1, "%s", "abc") == 0 && buf[0] == '\0');
    CHECK(stored(NULL, 0, "%s", "abc") == 0);
}

int main(void)
{
    check_stored_length();
    check_integers();
    check_strings_and_chars();
    check_star();
    check_truncation();
    check_kernel_specific();
    return check_finish("format_test");
}
