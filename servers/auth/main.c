/*
 * auth: the server that checks and changes passwords, and the only
 * process that reads /etc/shadow. Protocol in <parley/proto/auth.h>;
 * docs/files-and-users.md shows how login, the shell and passwd use it.
 *
 * Handles, as init wires them (serve:auth use:vfs#1 use:auth):
 *   1  its endpoint (receive)
 *   2  the root namespace, through which it reads /etc/passwd and
 *      /etc/shadow and rewrites shadow
 *   3  a plain send handle to its own endpoint, from which it mints the
 *      badged handles of AUTH_MINT (a receive-only handle cannot mint)
 *
 * A caller is who the badge of its handle says (uid + 1), never what a
 * message says. The account files are read afresh for every request, so
 * a change made by hand (root editing /etc/passwd) counts at once.
 *
 * A failed check costs the caller AUTH_FAIL_DELAY_NS, and an unknown name
 * is checked against a hash made at start for that purpose, so a wrong
 * name and a wrong password take the same time and get the same answer.
 * The delay is a plain sleep: while it runs the server serves nobody,
 * which also slows down guessing from several consoles at once.
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/fs.h>
#include <parley/ipc_lib.h>
#include <parley/passwords.h>
#include <parley/proto/auth.h>
#include <parley/sys.h>
#include <sodium/core.h>

#include "accounts.h"
#include "files.h"

#define HANDLE_ENDPOINT 1
#define HANDLE_ROOT 2
#define HANDLE_MINT 3
#define CLIENT_RIGHTS (RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER)

#define PAGE 4096u
#define ACCOUNTS_FILE_MAX (64u * 1024) /* bytes of /etc/passwd or /etc/shadow we read */

/* A request's strings, copied out of the message and NUL-terminated. */
struct strings {
    char name[AUTH_NAME_MAX + 1];
    char first[AUTH_PASSWORD_MAX + 1];
    char second[AUTH_PASSWORD_MAX + 1];
};

static char passwd_text[ACCOUNTS_FILE_MAX];
static char shadow_text[ACCOUNTS_FILE_MAX];
static char shadow_new[ACCOUNTS_FILE_MAX + PASSWORD_HASH_MAX + AUTH_NAME_MAX + 2];
static char decoy_hash[PASSWORD_HASH_MAX];

/* Copies one string of the request; false if it holds a NUL. */
static bool take(char *out, const char *bytes, size_t length)
{
    if (memchr(bytes, '\0', length) != NULL)
        return false;
    memcpy(out, bytes, length);
    out[length] = '\0';
    return true;
}

/*
 * Reads `count` strings (name, then one or two passwords) from w0's
 * lengths and w1..w3 or the region that came with the request.
 */
static long request_strings(const struct ipc_msg *req, const struct ipc_extra *extra, int count,
                            struct strings *out)
{
    size_t length[3] = {AUTH_LENGTH(req->w[0], 0), AUTH_LENGTH(req->w[0], 1),
                        count == 3 ? AUTH_LENGTH(req->w[0], 2) : 0};
    if (length[0] > AUTH_NAME_MAX || length[1] > AUTH_PASSWORD_MAX || length[2] > AUTH_PASSWORD_MAX)
        return -E_RANGE;
    size_t total = length[0] + length[1] + length[2];
    const char *bytes = (const char *)&req->w[1];
    if (total > AUTH_INLINE) {
        if (extra->recv_mem == 0 || extra->recv_mem_length < total)
            return -E_INVAL;
        bytes = (const char *)extra->recv_mem;
    }
    memset(out, 0, sizeof(*out));
    if (!take(out->name, bytes, length[0]) || !take(out->first, bytes + length[0], length[1]) ||
        !take(out->second, bytes + length[0] + length[1], length[2]))
        return -E_INVAL;
    return 0;
}

/* Reads a whole account file into buf; returns its length. */
static long read_accounts(const char *path, char *buf, size_t size)
{
    long n = files_read(HANDLE_ROOT, path, buf, size - 1);
    if (n < 0)
        printf("auth: cannot read %s: %s\n", path, error_string((int)n));
    return n;
}

/*
 * The decoy for names with no account: root's own hash (any existing
 * account's would do). Checking a password against it costs exactly what
 * a real check costs and always fails, so an unknown name takes as long
 * as a wrong password, and no hash has to be made at start-up (which
 * would cost a second of CPU under TCG, right when every console wants
 * its login prompt).
 */
static bool decoy_ready(void)
{
    if (decoy_hash[0] != '\0')
        return true;
    long n = read_accounts("/etc/shadow", shadow_text, sizeof(shadow_text));
    return n >= 0 && accounts_shadow_hash(shadow_text, (size_t)n, "root", 4, decoy_hash,
                                          sizeof(decoy_hash)) == 0;
}

/* Whether password is name's (the decoy is checked for unknown names, to take as long). */
static bool password_matches(const char *name, const char *password)
{
    char hash[PASSWORD_HASH_MAX];
    long n = read_accounts("/etc/shadow", shadow_text, sizeof(shadow_text));
    bool known = n >= 0 && accounts_shadow_hash(shadow_text, (size_t)n, name, strlen(name), hash,
                                                sizeof(hash)) == 0;
    if (!known && !decoy_ready()) /* no account at all to stand in: make a decoy now */
        return false;
    bool ok = password_check(known ? hash : decoy_hash, password);
    return known && ok;
}

static long refuse_slowly(void)
{
    sys_sleep(AUTH_FAIL_DELAY_NS);
    return -E_PERM;
}

/* Puts home and shell in the reply: in w2..w3 if they fit, else in a new region. */
static long reply_account(const struct account *a, struct ipc_msg *reply,
                          struct ipc_extra *reply_extra)
{
    size_t home = strlen(a->home), shell = strlen(a->shell);
    char *out = (char *)&reply->w[2];
    if (home + shell > AUTH_REPLY_INLINE) {
        long region = sys_vm_reserve(PAGE, VM_READ | VM_WRITE);
        if (region < 0)
            return region;
        out = (char *)region;
        reply_extra->send_mem = (uint64_t)region;
        reply_extra->send_mem_length = PAGE;
    }
    memcpy(out, a->home, home);
    memcpy(out + home, a->shell, shell);
    reply->w[0] = a->uid;
    reply->w[1] = AUTH_LENGTHS(home, shell, 0);
    return 0;
}

static long serve_login(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                        uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    struct strings s;
    long err = request_strings(req, extra, 2, &s);
    ipc_extra_drop(extra);
    if (IPC_SENDER_BADGE(sender) == 0)
        return -E_PERM;
    if (err < 0)
        return refuse_slowly(); /* even a malformed name must not answer faster */
    struct account account;
    long n = read_accounts("/etc/passwd", passwd_text, sizeof(passwd_text));
    bool known =
        n >= 0 && accounts_find_name(passwd_text, (size_t)n, s.name, strlen(s.name), &account) == 0;
    bool ok = password_matches(s.name, s.first);
    memset(&s, 0, sizeof(s));
    if (!known || !ok) {
        printf("auth: failed login from pid %u\n", IPC_SENDER_PID(sender));
        return refuse_slowly();
    }
    printf("auth: %s (uid %u) logged in\n", account.name, account.uid);
    return reply_account(&account, reply, reply_extra);
}

/* Writes shadow's new text next to it, then renames it over the old one. */
static long write_shadow(const char *text, size_t length)
{
    long err = files_replace(HANDLE_ROOT, "/etc", "shadow", text, length);
    if (err < 0)
        printf("auth: cannot rewrite /etc/shadow: %s\n", error_string((int)err));
    return err;
}

static long serve_passwd(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                         uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context, (void)reply, (void)reply_extra;
    struct strings s;
    long err = request_strings(req, extra, 3, &s);
    ipc_extra_drop(extra);
    uint32_t badge = IPC_SENDER_BADGE(sender);
    if (badge == 0)
        return -E_PERM;
    if (err < 0)
        return err;
    bool root = badge == AUTH_BADGE_ROOT;
    struct account account;
    long n = read_accounts("/etc/passwd", passwd_text, sizeof(passwd_text));
    if (n < 0)
        return n;
    bool found = accounts_find_name(passwd_text, (size_t)n, s.name, strlen(s.name), &account) == 0;
    if (!root && (!found || AUTH_BADGE(account.uid) != badge))
        return -E_PERM; /* not their own account, whether or not it exists */
    if (!found)
        return -E_NOENT;
    if (!root && !password_matches(s.name, s.first))
        return refuse_slowly();
    if (s.second[0] == '\0')
        return -E_INVAL;

    char hash[PASSWORD_HASH_MAX];
    if (password_hash(hash, s.second) != 0)
        return -E_NOMEM;
    memset(&s.first, 0, sizeof(s.first) + sizeof(s.second));
    n = read_accounts("/etc/shadow", shadow_text, sizeof(shadow_text));
    if (n < 0)
        return n;
    long length = accounts_shadow_replace(shadow_text, (size_t)n, account.name, hash, shadow_new,
                                          sizeof(shadow_new));
    if (length < 0)
        return length;
    err = write_shadow(shadow_new, (size_t)length);
    if (err == 0)
        printf("auth: password of %s changed by uid %u\n", account.name, badge - 1);
    return err;
}

static long serve_mint(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    ipc_extra_drop(extra);
    if (IPC_SENDER_BADGE(sender) != AUTH_BADGE_ROOT)
        return -E_PERM;
    if (req->w[0] > AUTH_UID_MAX)
        return -E_RANGE;
    struct account account;
    long n = read_accounts("/etc/passwd", passwd_text, sizeof(passwd_text));
    if (n < 0)
        return n;
    if (accounts_find_uid(passwd_text, (size_t)n, (uint32_t)req->w[0], &account) < 0)
        return -E_NOENT;
    long h = handle_mint(HANDLE_MINT, CLIENT_RIGHTS, AUTH_BADGE(account.uid));
    if (h < 0)
        return h;
    reply_extra->send_handles[0] = (uint32_t)h;
    reply_extra->send_count = 1;
    reply->w[0] = AUTH_BADGE(account.uid);
    return 0;
}

static const struct ipc_handler handlers[] = {
    {AUTH_LOGIN, serve_login},
    {AUTH_PASSWD, serve_passwd},
    {AUTH_MINT, serve_mint},
};

int main(void)
{
    if (sodium_init() < 0) {
        printf("auth: libsodium did not start\n");
        return 1;
    }
    printf("auth: ready\n");
    int err = ipc_serve(HANDLE_ENDPOINT, handlers, sizeof(handlers) / sizeof(handlers[0]), NULL);
    printf("auth: stopped: %s\n", error_string(err));
    return err < 0 ? 1 : 0;
}
