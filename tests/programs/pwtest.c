/*
 * pwtest: password hashes on Parley with libsodium (lib/sodium), checked
 * by tests/qemu/test_passwords.py.
 *
 * It checks root's hash from the boot image's etc/shadow, which the build
 * made with Debian's argon2 tool (tools/mkaccounts) and compiled in here
 * as PWTEST_ROOT_HASH: the right password must pass, wrong ones and
 * damaged hashes must fail cleanly. Then it makes new hashes inside
 * Parley (salts from the kernel's SYS_RANDOM through libsodium's
 * randombytes) and checks their form, their cost parameters and that two
 * hashes of one password differ. Each check logs "pwtest: ok WHAT" or
 * "pwtest: FAIL WHAT"; the time of one check of root's password is
 * logged as "pwtest: verify took N ms", and the last line is
 * "pwtest: N failed".
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/passwords.h>
#include <parley/sys.h>
#include <sodium/core.h>
#include <sodium/crypto_pwhash.h>

#include "pwtest_shadow.h"

static int failures;

static void check(bool ok, const char *what)
{
    printf("pwtest: %s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

/*
 * crypto_pwhash_str_verify declares its hash as char[crypto_pwhash_STRBYTES]
 * and the compiler holds callers to that size, so every hash checked here
 * is first copied into a buffer of that size, as a program reading
 * etc/shadow into such a buffer would.
 */
static int verify(const char *hash, const char *password)
{
    char buf[crypto_pwhash_STRBYTES] = {0};

    strlcpy(buf, hash, sizeof buf);
    return crypto_pwhash_str_verify(buf, password, strlen(password));
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The build-time hash: right, wrong and damaged. */
static void check_build_hash(void)
{
    char hash[crypto_pwhash_STRBYTES] = {0}, damaged[crypto_pwhash_STRBYTES];

    strlcpy(hash, PWTEST_ROOT_HASH, sizeof hash);

    uint64_t start = time_now_ns();
    int status = verify(hash, "root");
    uint64_t ms = (time_now_ns() - start) / 1000000;
    check(status == 0, "right password accepted");
    printf("pwtest: verify took %llu ms\n", (unsigned long long)ms);

    check(verify(hash, "wrong") == -1, "wrong password rejected");
    check(verify(hash, "roo") == -1, "password prefix rejected");
    check(verify(hash, "root ") == -1, "password with extra character rejected");
    check(verify(hash, "") == -1, "empty password rejected");

    strlcpy(damaged, hash, sizeof damaged);
    damaged[strlen(damaged) / 2] = '\0';
    check(verify(damaged, "root") == -1, "truncated hash rejected");

    strlcpy(damaged, hash, sizeof damaged);
    size_t last = strlen(damaged) - 1;
    damaged[last] = damaged[last] == 'A' ? 'B' : 'A';
    check(verify(damaged, "root") == -1, "altered hash rejected");

    check(verify("", "root") == -1, "empty hash rejected");
    check(verify("$argon2id$v=19$m=4096,t=3,p=1$$", "root") == -1,
          "hash without salt or digest rejected");
    check(verify("$argon2id$v=19$m=banana,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "root") == -1,
          "hash with garbled parameters rejected");
    check(verify("$argon2id$v=16$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "root") == -1,
          "hash of another Argon2 version rejected");
    check(verify("$2y$10$abcdefghijklmnopqrstuv", "root") == -1,
          "hash of another algorithm rejected");
    check(crypto_pwhash_str_needs_rehash(hash, PASSWORD_PASSES,
                                         (size_t)PASSWORD_MEMORY_KIB * 1024) == 0,
          "build-time hash has Parley's cost parameters");
}

/* Hashes made here: form, parameters, salts, and that they verify. */
static void check_new_hashes(void)
{
    char first[PASSWORD_HASH_MAX], second[PASSWORD_HASH_MAX], prefix[64];

    uint64_t start = time_now_ns();
    int status = password_hash(first, "alice");
    uint64_t ms = (time_now_ns() - start) / 1000000;
    check(status == 0, "new hash made");
    printf("pwtest: hash took %llu ms\n", (unsigned long long)ms);
    printf("pwtest: new hash %s\n", first);

    snprintf(prefix, sizeof prefix, "$argon2id$v=19$m=%d,t=%d,p=1$", PASSWORD_MEMORY_KIB,
             PASSWORD_PASSES);
    check(starts_with(first, prefix), "new hash has the Argon2id prefix and Parley's parameters");
    check(password_check(first, "alice"), "new hash accepts its password");
    check(!password_check(first, "bob"), "new hash rejects another password");

    check(password_hash(second, "alice") == 0, "second hash made");
    check(strcmp(first, second) != 0, "two hashes of one password differ (salts)");
    check(password_check(second, "alice"), "second hash accepts its password");
}

int main(void)
{
    check(sodium_init() >= 0, "libsodium initialized");
    check_build_hash();
    check_new_hashes();
    printf("pwtest: %d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
