/*
 * Checks lib/libc/stdio.c's snprintf and vsnprintf, which wrap the
 * kernel's printf engine, against the host's: each format below, with
 * its arguments, must give the same text and the same return value, in
 * a roomy buffer and in every smaller one (truncation and the NUL), and
 * with size 0. format_test covers the engine itself in more depth; this
 * checks the C library's entry points reach it with arguments intact.
 */
#include "libc_host.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* Formats with both and compares at every buffer size up to the full text. */
__attribute__((format(printf, 2, 3))) static void compare(int line, const char *fmt, ...)
{
    char want[256], got[256];
    va_list ap, aq;

    va_start(ap, fmt);
    va_copy(aq, ap);
    int want_n = vsnprintf(want, sizeof(want), fmt, ap);
    int got_n = libc_vsnprintf(got, sizeof(got), fmt, aq);
    va_end(aq);
    va_end(ap);
    CHECKF(got_n == want_n && strcmp(got, want) == 0,
           "line %d: \"%s\" gave \"%s\" (%d), host \"%s\" (%d)", line, fmt, got, got_n, want,
           want_n);

    /* Every truncation: same bytes, NUL at size-1, bytes after it untouched. */
    for (size_t size = 0; size <= (size_t)want_n + 1 && size < sizeof(got); size++) {
        memset(got, '#', sizeof(got));
        va_start(ap, fmt);
        got_n = libc_vsnprintf(size == 0 ? NULL : got, size, fmt, ap);
        va_end(ap);
        bool ok = got_n == want_n;
        if (size > 0) {
            ok = ok && memcmp(got, want, size - 1) == 0 && got[size - 1] == '\0';
            ok = ok && got[size] == '#';
        }
        CHECKF(ok, "line %d: \"%s\" with size %zu", line, fmt, size);
    }
}

#define COMPARE(...) compare(__LINE__, __VA_ARGS__)

int main(void)
{
    COMPARE("plain text");
    COMPARE("%d %i %u", -42, 17, 3000000000u);
    COMPARE("[%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%8.3d]", 42, 42, 42, 42, 42, 7, -7);
    COMPARE("%x %X %#x %#X %o %#o %#o", 0xbeefu, 0xbeefu, 255u, 255u, 8u, 8u, 0u);
    COMPARE("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
    COMPARE("%ld %lu %lld %llu", -1L, ~0UL, (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
    COMPARE("%zu %zx %zd", (size_t)123456789, (size_t)0xabcdef, (size_t)42);
    COMPARE("%c%c%c [%3c] [%-3c]", 'a', 'b', 'c', 'x', 'y');
    COMPARE("%s|%10s|%-10s|%.2s|%*s|%-*s|", "str", "right", "left", "truncate", 6, "star", 6,
            "star");
    COMPARE("%.*d|%*.*x", 5, 42, 8, 4, 0xabu);
    COMPARE("100%% sure, %d%%", 50);
    COMPARE("%.0d|%.0x|%5.0d|", 0, 0u, 0);
    COMPARE("%s", "a rather longer string that goes past most of the truncation sizes above");
    COMPARE("%d %d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10); /* stack arguments */

    /* snprintf itself (the variadic entry point), and %p in the kernel's fixed-width form. */
    char buf[64];
    CHECK(libc_snprintf(buf, sizeof(buf), "%s=%d", "x", 5) == 3 && strcmp(buf, "x=5") == 0);
    CHECK(libc_snprintf(buf, 4, "%d", 123456) == 6 && strcmp(buf, "123") == 0);
    CHECK(libc_snprintf(NULL, 0, "%s", "count me") == 8);
    libc_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0x1234);
    CHECK(strcmp(buf, "0x0000000000001234") == 0);
    return check_finish("libc_stdio_test");
}
