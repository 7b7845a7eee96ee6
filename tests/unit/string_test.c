/*
 * Checks the kernel's string.c on the host. The build renames its
 * functions (memcpy becomes kstr_memcpy and so on, for this file too) so
 * they do not clash with the C library's, and compiles with -fno-builtin
 * so the calls below really reach the kernel code. Expected results come
 * from obvious reference loops here, since the host's versions are hidden
 * behind the same renames.
 */
#include <stdint.h>

#include "check.h"
#include "common/string.h"

#define LEN 96

static void fill(unsigned char *buf, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(seed + i * 31);
}

static bool same(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

static void check_memory(void)
{
    unsigned char buf[LEN], want[LEN], src[LEN];

    for (size_t off = 0; off < 9; off++) {
        for (size_t n = 0; off + n <= LEN; n += 1 + n / 4) {
            fill(buf, LEN, 1);
            fill(want, LEN, 1);
            for (size_t i = off; i < off + n; i++)
                want[i] = 0xc3;
            CHECKF(memset(buf + off, 0x1c3, n) == buf + off, "memset(%zu, %zu)", off, n);
            CHECKF(same(buf, want, LEN), "memset(%zu, %zu)", off, n);

            fill(buf, LEN, 2);
            fill(want, LEN, 2);
            fill(src, LEN, 3);
            for (size_t i = 0; i < n; i++)
                want[off + i] = src[LEN - n + i];
            CHECKF(memcpy(buf + off, src + LEN - n, n) == buf + off, "memcpy(%zu, %zu)", off, n);
            CHECKF(same(buf, want, LEN), "memcpy(%zu, %zu)", off, n);
        }
    }

    /* memmove in both directions over every overlap distance. */
    for (size_t from = 0; from < 20; from++) {
        for (size_t to = 0; to < 20; to++) {
            size_t n = 50;
            fill(buf, LEN, 4);
            fill(want, LEN, 4);
            for (size_t i = 0; i < n; i++)
                src[i] = buf[from + i];
            for (size_t i = 0; i < n; i++)
                want[to + i] = src[i];
            CHECK(memmove(buf + to, buf + from, n) == buf + to);
            CHECKF(same(buf, want, LEN), "memmove(%zu <- %zu)", to, from);
        }
    }

    fill(buf, LEN, 5);
    fill(want, LEN, 5);
    CHECK(memcmp(buf, want, LEN) == 0);
    CHECK(memcmp(buf, want, 0) == 0);
    want[40] = (unsigned char)(buf[40] + 1);
    CHECK(memcmp(buf, want, LEN) < 0 && memcmp(want, buf, LEN) > 0);
    CHECK(memcmp(buf, want, 40) == 0);
    CHECK(memcmp("\x80", "\x01", 1) > 0); /* bytes compare as unsigned */
}

static void check_strings(void)
{
    char buf[16];

    CHECK(strlen("") == 0 && strlen("parley") == 6);
    CHECK(strnlen("parley", 3) == 3 && strnlen("parley", 10) == 6 && strnlen("", 5) == 0);
    CHECK(strnlen("abc", 0) == 0);

    CHECK(strcmp("abc", "abc") == 0);
    CHECK(strcmp("abc", "abd") < 0 && strcmp("abd", "abc") > 0);
    CHECK(strcmp("ab", "abc") < 0 && strcmp("abc", "ab") > 0);
    CHECK(strcmp("", "") == 0 && strcmp("", "a") < 0);
    CHECK(strcmp("\xe9", "a") > 0); /* chars compare as unsigned */
    CHECK(strncmp("abcdef", "abcxyz", 3) == 0 && strncmp("abcdef", "abcxyz", 4) < 0);
    CHECK(strncmp("ab", "ab", 10) == 0 && strncmp("a", "b", 0) == 0);

    CHECK(strlcpy(buf, "hello", sizeof(buf)) == 5 && strcmp(buf, "hello") == 0);
    CHECK(strlcpy(buf, "a string longer than sixteen", sizeof(buf)) == 28);
    CHECK(strlen(buf) == 15 && strncmp(buf, "a string longer", 15) == 0);
    buf[0] = 'Z';
    CHECK(strlcpy(buf, "xyz", 0) == 3 && buf[0] == 'Z');
    CHECK(strlcpy(buf, "xyz", 1) == 3 && buf[0] == '\0');

    const char *s = "kernel\xe9 text";
    CHECK(strchr(s, 'k') == s && strchr(s, 'e') == s + 1 && strchr(s, 't') == s + 8);
    CHECK(strchr(s, 'q') == NULL);
    CHECK(strchr(s, '\0') == s + strlen(s));
    CHECK(strchr(s, 0xe9) == s + 6);
}

int main(void)
{
    check_memory();
    check_strings();
    return check_finish("string_test");
}
