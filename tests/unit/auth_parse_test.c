/*
 * Checks the auth server's account-file parser (servers/auth/accounts.c):
 * valid and invalid user names, passwd lines (every field, uid limits,
 * relative paths, too few and too many fields), lookups by name and uid
 * in a file with comments, blank lines, CRLF endings, broken lines and
 * duplicates, shadow hash lookups (including a hash too big for the
 * buffer), and rewriting shadow: one line replaced with every other byte
 * kept, a missing line appended (with a missing final newline supplied),
 * a name that is a prefix of another, and an output buffer that is too
 * small at every size.
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

#include "../../servers/auth/accounts.h"
#include "check.h"

static const char passwd[] = "# accounts\n"
                             "root:0:/root:/bin/sh\n"
                             "\n"
                             "broken line\n"
                             "bad:x:/home/bad:/bin/sh\n"
                             "alice:1000:/home/alice:/bin/sh\r\n"
                             "bob:1001:/home/bob:/bin/welcome\n"
                             "alice:2000:/elsewhere:/bin/sh\n"
                             "carol:4294967293:/home/carol:/bin/sh";

static const char shadow[] = "root:$argon2id$root\n"
                             "# comment:$nothing\n"
                             "al:$argon2id$al\n"
                             "alice:$argon2id$alice\n"
                             "bob:$argon2id$bob\n";

static void test_names(void)
{
    CHECK(accounts_name_valid("alice", 5));
    CHECK(accounts_name_valid("a_b-c.d9", 8));
    CHECK(!accounts_name_valid("", 0));
    CHECK(!accounts_name_valid("-x", 2));
    CHECK(!accounts_name_valid(".x", 2));
    CHECK(!accounts_name_valid("a:b", 3));
    CHECK(!accounts_name_valid("a b", 3));
    CHECK(!accounts_name_valid("a/b", 3));
    CHECK(!accounts_name_valid("a\nb", 3));
    char longest[AUTH_NAME_MAX + 2];
    memset(longest, 'n', sizeof(longest));
    CHECK(accounts_name_valid(longest, AUTH_NAME_MAX));
    CHECK(!accounts_name_valid(longest, AUTH_NAME_MAX + 1));
}

static int parse(const char *line, struct account *a)
{
    return accounts_parse_passwd_line(line, strlen(line), a);
}

static void test_passwd_lines(void)
{
    struct account a;
    CHECK(parse("alice:1000:/home/alice:/bin/sh", &a) == 0);
    CHECK(strcmp(a.name, "alice") == 0 && a.uid == 1000);
    CHECK(strcmp(a.home, "/home/alice") == 0 && strcmp(a.shell, "/bin/sh") == 0);
    CHECK(parse("root:0:/:/bin/sh", &a) == 0 && a.uid == 0 && strcmp(a.home, "/") == 0);
    CHECK(parse("x:4294967293:/h:/s", &a) == 0 && a.uid == AUTH_UID_MAX);

    static const char *const bad[] = {
        "",
        "alice",
        "alice:1000:/home/alice",
        "alice:1000:/home/alice:/bin/sh:extra",
        ":1000:/home/alice:/bin/sh",
        "alice::/home/alice:/bin/sh",
        "alice:-1:/home/alice:/bin/sh",
        "alice:10x:/home/alice:/bin/sh",
        "alice:4294967294:/home/alice:/bin/sh",
        "alice:99999999999:/home/alice:/bin/sh",
        "alice:1000:home/alice:/bin/sh",
        "alice:1000:/home/alice:",
        "alice:1000::/bin/sh",
        "al ice:1000:/home/alice:/bin/sh",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&a, 0x55, sizeof(a));
        CHECKF(parse(bad[i], &a) == -E_INVAL, "line '%s'", bad[i]);
        CHECKF(a.uid == 0x55555555u, "line '%s' changed the output", bad[i]);
    }

    char line[2 * AUTH_PATH_MAX + 32];
    char path[AUTH_PATH_MAX + 2];
    memset(path, 'p', sizeof(path));
    path[0] = '/';
    path[AUTH_PATH_MAX] = '\0';
    snprintf(line, sizeof(line), "u:1:%s:/bin/sh", path);
    CHECK(parse(line, &a) == 0 && strlen(a.home) == AUTH_PATH_MAX);
    path[AUTH_PATH_MAX] = 'p';
    path[AUTH_PATH_MAX + 1] = '\0';
    snprintf(line, sizeof(line), "u:1:/h:%s", path);
    CHECK(parse(line, &a) == -E_INVAL);
}

static void test_lookups(void)
{
    struct account a;
    size_t n = sizeof(passwd) - 1;
    CHECK(accounts_find_name(passwd, n, "root", 4, &a) == 0 && a.uid == 0);
    CHECK(strcmp(a.home, "/root") == 0);
    CHECK(accounts_find_name(passwd, n, "alice", 5, &a) == 0 && a.uid == 1000);
    CHECK(strcmp(a.shell, "/bin/sh") == 0); /* the '\r' is not part of it */
    CHECK(accounts_find_name(passwd, n, "bob", 3, &a) == 0 && strcmp(a.shell, "/bin/welcome") == 0);
    CHECK(accounts_find_name(passwd, n, "carol", 5, &a) == 0 && a.uid == AUTH_UID_MAX);
    CHECK(accounts_find_name(passwd, n, "bad", 3, &a) == -E_NOENT);
    CHECK(accounts_find_name(passwd, n, "broken line", 11, &a) == -E_NOENT);
    CHECK(accounts_find_name(passwd, n, "ali", 3, &a) == -E_NOENT);
    CHECK(accounts_find_name(passwd, n, "alicex", 6, &a) == -E_NOENT);
    CHECK(accounts_find_name(passwd, n, "", 0, &a) == -E_NOENT);
    CHECK(accounts_find_name(passwd, n, "# accounts", 10, &a) == -E_NOENT);
    /* A name given with a length stops there, whatever follows it. */
    CHECK(accounts_find_name(passwd, n, "bobby", 3, &a) == 0 && a.uid == 1001);

    CHECK(accounts_find_uid(passwd, n, 0, &a) == 0 && strcmp(a.name, "root") == 0);
    CHECK(accounts_find_uid(passwd, n, 1001, &a) == 0 && strcmp(a.name, "bob") == 0);
    CHECK(accounts_find_uid(passwd, n, 2000, &a) == 0 && strcmp(a.home, "/elsewhere") == 0);
    CHECK(accounts_find_uid(passwd, n, 7, &a) == -E_NOENT);
    CHECK(accounts_find_uid("", 0, 0, &a) == -E_NOENT);

    /* Lookups never read past the size they are given. */
    CHECK(accounts_find_name(passwd, 10, "root", 4, &a) == -E_NOENT);
}

static void test_shadow_lookup(void)
{
    char hash[64];
    size_t n = sizeof(shadow) - 1;
    CHECK(accounts_shadow_hash(shadow, n, "root", 4, hash, sizeof(hash)) == 0);
    CHECK(strcmp(hash, "$argon2id$root") == 0);
    CHECK(accounts_shadow_hash(shadow, n, "alice", 5, hash, sizeof(hash)) == 0);
    CHECK(strcmp(hash, "$argon2id$alice") == 0);
    CHECK(accounts_shadow_hash(shadow, n, "al", 2, hash, sizeof(hash)) == 0);
    CHECK(strcmp(hash, "$argon2id$al") == 0);
    CHECK(accounts_shadow_hash(shadow, n, "carol", 5, hash, sizeof(hash)) == -E_NOENT);
    CHECK(accounts_shadow_hash(shadow, n, "# comment", 9, hash, sizeof(hash)) == -E_NOENT);
    CHECK(accounts_shadow_hash(shadow, n, "", 0, hash, sizeof(hash)) == -E_NOENT);
    CHECK(accounts_shadow_hash(shadow, n, "bob", 3, hash, 14) == 0);
    CHECK(accounts_shadow_hash(shadow, n, "bob", 3, hash, 13) == -E_RANGE);
    CHECK(accounts_shadow_hash("x:\n", 3, "x", 1, hash, sizeof(hash)) == 0 && hash[0] == '\0');
}

static void test_shadow_replace(void)
{
    char out[512];
    size_t n = sizeof(shadow) - 1;
    long len = accounts_shadow_replace(shadow, n, "alice", "$new", out, sizeof(out));
    const char *want = "root:$argon2id$root\n"
                       "# comment:$nothing\n"
                       "al:$argon2id$al\n"
                       "alice:$new\n"
                       "bob:$argon2id$bob\n";
    CHECK(len == (long)strlen(want) && memcmp(out, want, (size_t)len) == 0);

    /* Only the exact name; a prefix's line is left alone. */
    len = accounts_shadow_replace(shadow, n, "al", "$x", out, sizeof(out));
    CHECK(len > 0 && strstr(out, "\nal:$x\nalice:$argon2id$alice\n") != NULL);

    /* A name with no line gets one at the end, with a newline supplied. */
    const char *partial = "root:$r";
    len = accounts_shadow_replace(partial, strlen(partial), "bob", "$b", out, sizeof(out));
    CHECK(len == 15 && memcmp(out, "root:$r\nbob:$b\n", 15) == 0);
    len = accounts_shadow_replace("", 0, "bob", "$b", out, sizeof(out));
    CHECK(len == 7 && memcmp(out, "bob:$b\n", 7) == 0);

    /* CRLF lines keep their ending; the last line without '\n' stays so. */
    const char *crlf = "a:$1\r\nb:$2";
    len = accounts_shadow_replace(crlf, strlen(crlf), "a", "$9", out, sizeof(out));
    CHECK(len == 10 && memcmp(out, "a:$9\r\nb:$2", 10) == 0);
    len = accounts_shadow_replace(crlf, strlen(crlf), "b", "$9", out, sizeof(out));
    CHECK(len == 10 && memcmp(out, "a:$1\r\nb:$9", 10) == 0);

    /* Only the first of duplicate lines changes, matching the lookup. */
    const char *dup = "a:$1\na:$2\n";
    len = accounts_shadow_replace(dup, strlen(dup), "a", "$3", out, sizeof(out));
    CHECK(len == 10 && memcmp(out, "a:$3\na:$2\n", 10) == 0);

    CHECK(accounts_shadow_replace(shadow, n, "a:b", "$x", out, sizeof(out)) == -E_INVAL);
    CHECK(accounts_shadow_replace(shadow, n, "alice", "$x:y", out, sizeof(out)) == -E_INVAL);
    CHECK(accounts_shadow_replace(shadow, n, "alice", "$x\ny", out, sizeof(out)) == -E_INVAL);

    /* Every output size short of the result fails cleanly, without overrunning. */
    long full = accounts_shadow_replace(shadow, n, "alice", "$new", out, sizeof(out));
    for (long size = 0; size < full; size++) {
        char small[512];
        memset(small, '#', sizeof(small));
        CHECKF(accounts_shadow_replace(shadow, n, "alice", "$new", small, (size_t)size) == -E_RANGE,
               "size %ld", size);
        CHECKF(small[size] == '#', "wrote past %ld", size);
    }
    CHECK(accounts_shadow_replace(shadow, n, "alice", "$new", out, (size_t)full) == full);
    long added = accounts_shadow_replace(shadow, n, "dave", "$d", out, sizeof(out));
    for (long size = 0; size < added; size++)
        CHECKF(accounts_shadow_replace(shadow, n, "dave", "$d", out, (size_t)size) == -E_RANGE,
               "append, size %ld", size);
}

int main(void)
{
    test_names();
    test_passwd_lines();
    test_lookups();
    test_shadow_lookup();
    test_shadow_replace();
    return check_finish("auth_parse_test");
}
