/*
 * Checks the pure parts of the utilities (programs/coreutils/text.c):
 * wc's counts, also with words and lines split across chunks; grep's
 * fixed-string match with and without case folding; head's line limit
 * over several chunks; ls -l's mode string and line; /etc/passwd name
 * lookups, including uids that are prefixes of others and broken lines;
 * and the sizes ps prints.
 */
#include <string.h>

#include "../../programs/coreutils/text.h"
#include "check.h"

static bool same(const char *got, const char *want)
{
    return strcmp(got, want) == 0;
}

static void check_wc(void)
{
    struct wc_counts c = {0};
    wc_feed(&c, "hello world\n", 12);
    CHECK(c.lines == 1 && c.words == 2 && c.bytes == 12);

    struct wc_counts split = {0};
    wc_feed(&split, "one tw", 6);
    wc_feed(&split, "o\nthree", 7); /* "two" spans the chunks; no final newline */
    CHECKF(split.lines == 1 && split.words == 3 && split.bytes == 13, "%llu %llu %llu",
           (unsigned long long)split.lines, (unsigned long long)split.words,
           (unsigned long long)split.bytes);

    struct wc_counts blank = {0};
    wc_feed(&blank, " \t\n\n  ", 6);
    CHECK(blank.lines == 2 && blank.words == 0 && blank.bytes == 6);
    wc_feed(&blank, "", 0);
    CHECK(blank.bytes == 6);
}

static void check_grep(void)
{
    const char *line = "The Quick brown fox";
    size_t n = strlen(line);
    CHECK(grep_match(line, n, "Quick", false));
    CHECK(!grep_match(line, n, "quick", false));
    CHECK(grep_match(line, n, "quick", true));
    CHECK(grep_match(line, n, "QUICK BROWN", true));
    CHECK(grep_match(line, n, "fox", false));    /* at the very end */
    CHECK(!grep_match(line, n, "fox!", false));  /* one past the end */
    CHECK(!grep_match(line, 3, "Quick", false)); /* only the first len bytes count */
    CHECK(grep_match(line, n, "", false));       /* empty pattern: every line */
    CHECK(grep_match("aaab", 4, "aab", false));  /* restart after a partial match */
    CHECK(!grep_match("", 0, "a", false));
}

static void check_head(void)
{
    uint64_t left = 2;
    CHECK(head_take("a\nb", 3, &left) == 3 && left == 1); /* "b" has no newline yet */
    CHECK(head_take("c\nd\ne\n", 6, &left) == 2 && left == 0);
    CHECK(head_take("more\n", 5, &left) == 0);
    left = 0;
    CHECK(head_take("x\n", 2, &left) == 0);
}

static void check_ls(void)
{
    char mode[11];
    ls_mode_string(2, 0755, mode);
    CHECK(same(mode, "drwxr-xr-x"));
    ls_mode_string(1, 0640, mode);
    CHECK(same(mode, "-rw-r-----"));
    ls_mode_string(1, 0, mode);
    CHECK(same(mode, "----------"));

    char line[128];
    ls_long_line(line, sizeof(line), 1, 0644, "alice", 1234, "notes.txt");
    CHECKF(same(line, "-rw-r--r--  alice        1234  notes.txt"), "%s", line);
    ls_long_line(line, sizeof(line), 2, 0755, "root", 3, "bin");
    CHECKF(same(line, "drwxr-xr-x  root            3  bin/"), "%s", line);
    CHECK(ls_long_line(line, 8, 1, 0644, "root", 1, "x") > 8); /* cut, not overrun */
    CHECK(strlen(line) == 7);
}

static void check_passwd(void)
{
    const char *text = "root:0:/root:/bin/sh\n"
                       "broken line\n"
                       "alice:1000:/home/alice:/bin/sh\n"
                       "bob:10001:/home/bob:/bin/sh\n"
                       "x:12a:/:/bin/sh\n"
                       "carol:7";
    size_t n = strlen(text);
    char name[16];
    CHECK(passwd_name(text, n, 0, name, sizeof(name)) && same(name, "root"));
    CHECK(passwd_name(text, n, 1000, name, sizeof(name)) && same(name, "alice"));
    CHECK(passwd_name(text, n, 10001, name, sizeof(name)) && same(name, "bob"));
    CHECK(passwd_name(text, n, 7, name, sizeof(name)) && same(name, "carol")); /* last line */
    CHECK(!passwd_name(text, n, 100, name, sizeof(name))); /* a prefix of 1000 and 10001 */
    CHECK(!passwd_name(text, n, 12, name, sizeof(name)));  /* "12a" is no uid */
    CHECK(!passwd_name("", 0, 0, name, sizeof(name)));
    CHECK(passwd_name(text, n, 1000, name, 3) && same(name, "al")); /* cut to fit */
}

static void check_sizes(void)
{
    char text[32];
    size_human(512, text, sizeof(text));
    CHECK(same(text, "512 B"));
    size_human(10239, text, sizeof(text));
    CHECK(same(text, "10239 B"));
    size_human(40960, text, sizeof(text));
    CHECK(same(text, "40 KiB"));
    size_human(64ull << 20, text, sizeof(text));
    CHECK(same(text, "64 MiB"));
}

int main(void)
{
    check_wc();
    check_grep();
    check_head();
    check_ls();
    check_passwd();
    check_sizes();
    return check_finish("coreutils_text_test");
}
