/*
 * Checks lib/libc/string_extra.c, the <string.h> functions beyond those
 * shared with the kernel, against the host's on every position of a set
 * of strings: found pointers must be the same pointers, copies the same
 * bytes including strncpy's padding. strdup runs on Parley's malloc
 * (with libc_arena.c underneath) and strerror on Parley's error list.
 */
#include "libc_host.h"

#include <string.h>

#include <parley/errors.h>

#include "check.h"

static const char *const texts[] = {"",
                                    "a",
                                    "hello, world",
                                    "aaaaab",
                                    "abcabcabd",
                                    "x\x80y\xff",
                                    "needle in a haystack of needles"};
static const char *const needles[] = {"",        "a",   "ab",    "abd",           "aab", "world",
                                      "needles", "zzz", "\x80y", "hello, world!", "of"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void check_search(void)
{
    for (size_t t = 0; t < COUNT(texts); t++) {
        const char *s = texts[t];
        size_t len = strlen(s);

        for (int c = 0; c < 256; c++) {
            CHECKF(libc_strrchr(s, c) == strrchr(s, c), "strrchr(\"%s\", %d)", s, c);
            CHECKF(libc_memchr(s, c, len + 1) == memchr(s, c, len + 1), "memchr(\"%s\", %d)", s, c);
            CHECKF(libc_memchr(s, c, len / 2) == memchr(s, c, len / 2), "memchr(\"%s\", %d) half",
                   s, c);
        }
        for (size_t n = 0; n < COUNT(needles); n++) {
            const char *k = needles[n];
            CHECKF(libc_strstr(s, k) == strstr(s, k), "strstr(\"%s\", \"%s\")", s, k);
            CHECKF(libc_strspn(s, k) == strspn(s, k), "strspn(\"%s\", \"%s\")", s, k);
            CHECKF(libc_strcspn(s, k) == strcspn(s, k), "strcspn(\"%s\", \"%s\")", s, k);
        }
    }
}

static void check_copies(void)
{
    char got[40], want[40];

    for (size_t t = 0; t < COUNT(texts); t++) {
        const char *s = texts[t];

        memset(got, '#', sizeof(got));
        memset(want, '#', sizeof(want));
        CHECK(libc_strcpy(got, s) == got);
        strcpy(want, s);
        CHECKF(memcmp(got, want, sizeof(got)) == 0, "strcpy(\"%s\")", s);

        /* strncpy pads with NULs and may leave the copy unterminated. */
        for (size_t n = 0; n < 36; n += 1 + n / 4) {
            memset(got, '#', sizeof(got));
            memset(want, '#', sizeof(want));
            CHECK(libc_strncpy(got, s, n) == got);
            strncpy(want, s, n);
            CHECKF(memcmp(got, want, sizeof(got)) == 0, "strncpy(\"%s\", %zu)", s, n);
        }

        memset(got, '#', sizeof(got));
        memset(want, '#', sizeof(want));
        strcpy(got, "pre-");
        strcpy(want, "pre-");
        CHECK(libc_strcat(got, s) == got);
        strcat(want, s);
        CHECKF(memcmp(got, want, sizeof(got)) == 0, "strcat(\"%s\")", s);

        char *dup = libc_strdup(s);
        CHECKF(dup != NULL && dup != s && strcmp(dup, s) == 0, "strdup(\"%s\")", s);
        libc_free(dup);
    }
    CHECK(malloc_check());
}

static void check_strerror(void)
{
    CHECK(strcmp(libc_strerror(-E_NOMEM), "out of memory") == 0);
    CHECK(strcmp(libc_strerror(E_NOMEM), "out of memory") == 0);
    CHECK(strcmp(libc_strerror(-E_NOENT), error_string(E_NOENT)) == 0);
    CHECK(strcmp(libc_strerror(0), "success") == 0);
    CHECK(strcmp(libc_strerror(-9999), "unknown error") == 0);
}

int main(void)
{
    check_search();
    check_copies();
    check_strerror();
    return check_finish("libc_string_test");
}
