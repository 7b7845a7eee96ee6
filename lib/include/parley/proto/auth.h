/*
 * The auth protocol: password checks, password changes and the handles
 * that say who a process is acting for. The auth server (servers/auth) is
 * the only process that reads /etc/shadow; docs/files-and-users.md
 * describes how login, the shell and passwd use it.
 *
 * Callers are told apart by the badge of their auth handle, never by
 * anything in a message: badge = uid + 1 (AUTH_BADGE), so badge 1 is root
 * (login holds one, from init's use:auth#1) and badge 1001 is uid 1000.
 * Badge 0 (an unbadged handle: init's, and the server's own) is refused
 * with -E_PERM. Every request is a call; every reply's tag is its status
 * (0 or a negative error from parley/errors.h).
 *
 * auth serves several requests at once, but one user (one badge) has
 * one AUTH_LOGIN or AUTH_PASSWD in progress at a time, counting the delay
 * after a failure: another that comes meanwhile gets -E_AGAIN, after the
 * same delay (at once if that user already has many waiting). Root's
 * badge, which login uses on every console, has room for several.
 * auth never reads /etc/passwd or /etc/shadow in part: while either is
 * larger than AUTH_FILE_MAX, AUTH_LOGIN fails (-E_PERM, after the delay),
 * AUTH_PASSWD and AUTH_MINT answer -E_2BIG, and auth logs which file.
 *
 * Strings travel together: their lengths packed in w0 (AUTH_LENGTHS), the
 * bytes one after another, without NULs, in w1..w3 when they fit in
 * AUTH_INLINE bytes, else in a memory region moved with the call.
 *
 *   AUTH_LOGIN   w0 = AUTH_LENGTHS(name, password), the two strings.
 *                reply: w0 = uid, w1 = AUTH_LENGTHS(home, shell), home and
 *                shell from /etc/passwd in w2..w3 when they fit in
 *                AUTH_REPLY_INLINE bytes, else in a region moved with the
 *                reply (pass an ipc_extra). A wrong name and a wrong
 *                password both get -E_PERM, after the same delay of about
 *                AUTH_FAIL_DELAY_NS, so a caller cannot tell them apart.
 *   AUTH_PASSWD  w0 = AUTH_LENGTHS(name, old, new), the three strings.
 *                A user may change only their own password and must give
 *                the old one; root (badge 1) may change anyone's and the
 *                old password is ignored. Errors: -E_PERM (not allowed, or
 *                the old password is wrong: after the delay), -E_NOENT
 *                (root only: no such user), -E_INVAL (an empty new
 *                password), -E_RANGE (a string too long), -E_2BIG (an
 *                account file is, or the new shadow would be, larger
 *                than AUTH_FILE_MAX), and whatever writing /etc/shadow
 *                gave (which then stays as it was).
 *   AUTH_MINT    w0 = uid; root only (badge 1). reply: a new auth handle
 *                with badge uid + 1 moved with the reply (send, duplicate
 *                and transfer rights), w0 = its badge. login gives it to
 *                the user's shell as handle 4. -E_NOENT: no such uid in
 *                /etc/passwd.
 */
#ifndef PARLEY_PROTO_AUTH_H
#define PARLEY_PROTO_AUTH_H

#include <parley/proto/base.h>

#define AUTH_LOGIN PARLEY_TAG(PROTO_AUTH, 1)
#define AUTH_PASSWD PARLEY_TAG(PROTO_AUTH, 2)
#define AUTH_MINT PARLEY_TAG(PROTO_AUTH, 3)

#define PROTO_AUTH_TAGS(X)                                                                         \
    X(AUTH_LOGIN, AUTH_LOGIN)                                                                      \
    X(AUTH_PASSWD, AUTH_PASSWD)                                                                    \
    X(AUTH_MINT, AUTH_MINT)

#define AUTH_BADGE(uid) ((uint32_t)(uid) + 1u)
#define AUTH_BADGE_ROOT AUTH_BADGE(0)
#define AUTH_UID_MAX 0xFFFFFFFDu /* so that uid + 1 is a badge and never wraps */

#define AUTH_NAME_MAX 31      /* bytes in a user name */
#define AUTH_PASSWORD_MAX 128 /* bytes in a password */
#define AUTH_PATH_MAX 255     /* bytes in a home directory or a shell path */
#define AUTH_INLINE 24        /* request bytes that fit in w1..w3 */
#define AUTH_REPLY_INLINE 16  /* AUTH_LOGIN reply bytes that fit in w2..w3 */
#define AUTH_FAIL_DELAY_NS 1000000000ull
#define AUTH_FILE_MAX (64u * 1024) /* bytes of /etc/passwd or /etc/shadow auth reads */

/* Up to three string lengths in one word, 16 bits each. */
#define AUTH_LENGTHS(a, b, c) ((uint64_t)(a) | (uint64_t)(b) << 16 | (uint64_t)(c) << 32)
#define AUTH_LENGTH(w0, i) ((uint32_t)((w0) >> (16 * (i)) & 0xFFFF))

#endif
