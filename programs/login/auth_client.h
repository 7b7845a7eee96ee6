/*
 * Calls to the auth server (protocol in <parley/proto/auth.h>), shared by
 * login and passwd. `auth` is a send handle to the server whose badge
 * says who is asking. Every function returns 0 (or a handle) on success
 * and a negative error code from <parley/errors.h> on failure: -E_PERM
 * for a wrong name or password, after the server's delay.
 */
#ifndef LOGIN_AUTH_CLIENT_H
#define LOGIN_AUTH_CLIENT_H

#include <stdint.h>

#include <parley/proto/auth.h>

/* What AUTH_LOGIN tells about the user (from /etc/passwd). */
struct auth_user {
    uint32_t uid;
    char home[AUTH_PATH_MAX + 1];
    char shell[AUTH_PATH_MAX + 1];
};

/* Checks name's password; fills *user on success. */
long auth_login(uint32_t auth, const char *name, const char *password, struct auth_user *user);

/* Changes name's password to new_password (old_password is ignored for root). */
long auth_passwd(uint32_t auth, const char *name, const char *old_password,
                 const char *new_password);

/* A new auth handle badged for uid (root only); returns the handle. */
long auth_mint(uint32_t auth, uint32_t uid);

#endif
