/*
 * Checks lib/libc/stdlib.c's strtol family and atoi against the host C
 * library's, which implements the same C standard text: for every input
 * below, in every base, the value and where parsing stopped must agree.
 * Inputs cover signs, whitespace, base prefixes (and a prefix with no
 * digits after it), every digit letter, the exact limits, one past them,
 * and far past them. The host's errno is the only thing not compared,
 * since Parley has none.
 */
#include "libc_host.h"

#include <limits.h>
#include <stdlib.h>

#include "check.h"

static const char *const inputs[] = {
    "0",
    "1",
    "-1",
    "+1",
    "42",
    "  42",
    "\t\n\v\f\r 42x",
    "-0",
    "+-1",
    "--1",
    "- 1",
    "",
    "   ",
    "+",
    "-",
    "x",
    "0x",
    "0X",
    "0x1f",
    "0X1F",
    "-0x1f",
    "0xg",
    "0x 1",
    "  0x10",
    "010",
    "0777",
    "08",
    "019",
    "0b101",
    "101",
    "zz",
    "ZZ",
    "Zz9",
    "az",
    "1a2b3c",
    "12345678901234567890",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551615",
    "-18446744073709551616",
    "99999999999999999999999999999",
    "-99999999999999999999999999999",
    "0x7fffffffffffffff",
    "0x8000000000000000",
    "0xffffffffffffffff",
    "0x10000000000000000",
    "-0x8000000000000000",
    "1111111111111111111111111111111111111111111111111111111111111111",
    "11111111111111111111111111111111111111111111111111111111111111111",
    "777777777777777777777",
    "1777777777777777777777",
    "2000000000000000000000",
    "3w5e11264sgsf",
    "3w5e11264sgsg",
    "1y2p0ij32e8e7",
    "1y2p0ij32e8e8",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967296",
    "12abc",
    "1.5",
    "7 8",
};

static const int bases[] = {0, 2, 3, 8, 10, 16, 20, 35, 36};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void check_against_host(void)
{
    for (size_t i = 0; i < COUNT(inputs); i++) {
        const char *s = inputs[i];
        for (size_t j = 0; j < COUNT(bases); j++) {
            int base = bases[j];
            char *want_end, *got_end;

            long want_l = strtol(s, &want_end, base);
            long got_l = libc_strtol(s, &got_end, base);
            CHECKF(got_l == want_l && got_end == want_end,
                   "strtol(\"%s\", %d) = %ld end +%td, host %ld end +%td", s, base, got_l,
                   got_end - s, want_l, want_end - s);

            unsigned long want_ul = strtoul(s, &want_end, base);
            unsigned long got_ul = libc_strtoul(s, &got_end, base);
            CHECKF(got_ul == want_ul && got_end == want_end,
                   "strtoul(\"%s\", %d) = %lu end +%td, host %lu end +%td", s, base, got_ul,
                   got_end - s, want_ul, want_end - s);

            long long want_ll = strtoll(s, &want_end, base);
            long long got_ll = libc_strtoll(s, &got_end, base);
            CHECKF(got_ll == want_ll && got_end == want_end,
                   "strtoll(\"%s\", %d) = %lld, host %lld", s, base, got_ll, want_ll);

            unsigned long long want_ull = strtoull(s, &want_end, base);
            unsigned long long got_ull = libc_strtoull(s, &got_end, base);
            CHECKF(got_ull == want_ull && got_end == want_end,
                   "strtoull(\"%s\", %d) = %llu, host %llu", s, base, got_ull, want_ull);
        }
    }
}

/* Spot checks that do not lean on the host, so a shared mistake shows too. */
static void check_known_values(void)
{
    char *end;
    const char *s;

    CHECK(libc_strtol("-0x1F", NULL, 0) == -31);
    CHECK(libc_strtol("0755", NULL, 0) == 493);
    CHECK(libc_strtol("z", NULL, 36) == 35 && libc_strtol("Z", NULL, 36) == 35);
    CHECK(libc_strtol("9223372036854775807", NULL, 10) == LONG_MAX);
    CHECK(libc_strtol("9223372036854775808", NULL, 10) == LONG_MAX);
    CHECK(libc_strtol("-9223372036854775808", NULL, 10) == LONG_MIN);
    CHECK(libc_strtol("-9223372036854775809", NULL, 10) == LONG_MIN);
    CHECK(libc_strtoul("-1", NULL, 10) == ULONG_MAX);
    CHECK(libc_strtoul("-2", NULL, 10) == ULONG_MAX - 1);
    CHECK(libc_strtoull("18446744073709551616", NULL, 10) == ULLONG_MAX);
    CHECK(libc_strtoull("-18446744073709551616", NULL, 10) == ULLONG_MAX);

    s = "  -17 rest";
    CHECK(libc_strtol(s, &end, 10) == -17 && end == s + 5);
    s = "0x";
    CHECK(libc_strtol(s, &end, 16) == 0 && end == s + 1); /* the "0" alone */
    s = "  +";
    CHECK(libc_strtol(s, &end, 10) == 0 && end == s); /* no digits: end is s */
    s = "123";
    CHECK(libc_strtol(s, &end, 1) == 0 && end == s); /* bad bases parse nothing */
    CHECK(libc_strtol(s, &end, 37) == 0 && end == s);
    CHECK(libc_strtol(s, &end, -2) == 0 && end == s);
    s = "99999999999999999999999 tail";
    CHECK(libc_strtoll(s, &end, 10) == LLONG_MAX && end == s + 23); /* all digits consumed */
}

static void check_atoi_abs(void)
{
    static const char *const ok[] = {"0", "-5", "  +123abc", "2147483647", "-2147483648", "x"};

    for (size_t i = 0; i < COUNT(ok); i++)
        CHECKF(libc_atoi(ok[i]) == atoi(ok[i]), "atoi(\"%s\") = %d", ok[i], libc_atoi(ok[i]));
    /* Out of range clamps (C leaves it undefined; glibc wraps). */
    CHECK(libc_atoi("2147483648") == INT_MAX && libc_atoi("-99999999999") == INT_MIN);

    CHECK(libc_abs(-7) == 7 && libc_abs(7) == 7 && libc_abs(0) == 0);
    CHECK(libc_abs(INT_MIN + 1) == INT_MAX);
    CHECK(libc_labs(-7000000000L) == 7000000000L && libc_labs(LONG_MIN + 1) == LONG_MAX);
}

int main(void)
{
    check_against_host();
    check_known_values();
    check_atoi_abs();
    return check_finish("libc_strtol_test");
}
