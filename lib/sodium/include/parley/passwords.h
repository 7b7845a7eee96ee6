/*
 * The cost of Parley's password hashes, in one place.
 *
 * Passwords are stored as Argon2id hashes in libsodium's encoded form,
 * "$argon2id$v=19$m=KIB,t=PASSES,p=1$SALT$HASH" (docs/passwords.md).
 * Every hash Parley makes uses these parameters: the default accounts'
 * hashes made at build time by Debian's argon2 tool (the build reads the
 * numbers from this file) and new ones made inside Parley by
 * password_hash(). They are OWASP's recommended minimum for Argon2id
 * (19 MiB, 2 passes, 1 lane), which checks a password in about a third of
 * a second on QEMU without hardware acceleration; docs/passwords.md gives
 * the measurements.
 *
 * Checking uses the parameters written in the hash itself, so changing
 * these numbers later does not lock anyone out.
 */
#ifndef PARLEY_PASSWORDS_H
#define PARLEY_PASSWORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <sodium/crypto_pwhash.h>

/* Argon2's t: passes over the memory (libsodium's opslimit). */
#define PASSWORD_PASSES 2

/* Argon2's m: memory in KiB (libsodium's memlimit is this times 1024). */
#define PASSWORD_MEMORY_KIB 19456

/* Room for an encoded hash and its NUL: libsodium's crypto_pwhash_STRBYTES. */
#define PASSWORD_HASH_MAX crypto_pwhash_STRBYTES

/*
 * Hashes password into out with a fresh random salt; returns 0, or -1 if
 * memory ran out.
 */
static inline int password_hash(char out[PASSWORD_HASH_MAX], const char *password)
{
    return crypto_pwhash_str(out, password, strlen(password), PASSWORD_PASSES,
                             (size_t)PASSWORD_MEMORY_KIB * 1024);
}

/*
 * Whether password matches the encoded hash. A malformed hash matches
 * nothing. The hash is copied first because libsodium declares its
 * argument as a buffer of PASSWORD_HASH_MAX bytes (and gcc holds callers
 * to that), while a hash read from etc/shadow is just a string.
 */
static inline bool password_check(const char *hash, const char *password)
{
    char buf[PASSWORD_HASH_MAX] = {0};
    size_t len = strlen(hash);

    if (len >= sizeof buf)
        return false;
    memcpy(buf, hash, len);
    return crypto_pwhash_str_verify(buf, password, strlen(password)) == 0;
}

#endif
