/*
 * The account files as text: parsing /etc/passwd (`name:uid:home:shell`)
 * and /etc/shadow (`name:hash`) lines, and rewriting shadow with one
 * hash changed. Pure code with no system calls, so the host unit test
 * tests/unit/auth_parse_test.c checks it directly; the auth server
 * (main.c) reads and writes the files around it.
 *
 * Blank lines and lines starting with '#' are skipped, as is any line
 * that does not parse (a broken line must not stop everyone else from
 * logging in). A '\r' before the newline is ignored. The first line for a
 * name wins.
 */
#ifndef AUTH_ACCOUNTS_H
#define AUTH_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <parley/proto/auth.h>

/* One /etc/passwd line. */
struct account {
    char name[AUTH_NAME_MAX + 1];
    uint32_t uid;
    char home[AUTH_PATH_MAX + 1];
    char shell[AUTH_PATH_MAX + 1];
};

/*
 * Whether name (length bytes) can be a user name: 1..AUTH_NAME_MAX bytes
 * of letters, digits, '_', '-' and '.', not starting with '-' or '.'.
 */
bool accounts_name_valid(const char *name, size_t length);

/* Parses one passwd line (without its newline) into *out; 0 or -E_INVAL. */
int accounts_parse_passwd_line(const char *line, size_t length, struct account *out);

/* Finds the account named name (length bytes) in passwd text; 0 or -E_NOENT. */
int accounts_find_name(const char *text, size_t size, const char *name, size_t length,
                       struct account *out);

/* Finds the first account with this uid in passwd text; 0 or -E_NOENT. */
int accounts_find_uid(const char *text, size_t size, uint32_t uid, struct account *out);

/*
 * Copies the hash of name (length bytes) from shadow text into hash
 * (hash_size bytes with the NUL); 0, -E_NOENT, or -E_RANGE if it does
 * not fit.
 */
int accounts_shadow_hash(const char *text, size_t size, const char *name, size_t length, char *hash,
                         size_t hash_size);

/*
 * Writes shadow text with name's hash replaced by hash (or a line for
 * name added at the end, if it had none) into out; every other line is
 * kept exactly. Returns the new length, or -E_RANGE if out is too small,
 * -E_INVAL for an invalid name or a hash holding ':' or a newline.
 */
long accounts_shadow_replace(const char *text, size_t size, const char *name, const char *hash,
                             char *out, size_t out_size);

#endif
