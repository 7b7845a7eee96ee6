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
 * a change made by hand (root editing /etc/passwd) counts at once; a file
 * larger than AUTH_FILE_MAX is refused whole, never read in part.
 *
 * Several worker threads serve at once (workers.h), each handler getting
 * its worker as context. A failed check costs the caller
 * AUTH_FAIL_DELAY_NS, spent waiting for a delayed answer while the worker
 * serves others; one user has one request in progress at a time
 * (clients.h), so a flood of wrong passwords from one user slows only
 * that user. An unknown name is checked against a decoy hash, so a wrong
 * name and a wrong password take the same time and get the same answer.
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
#include "lock.h"
#include "workers.h"

#define HANDLE_ENDPOINT 1
#define HANDLE_ROOT 2
#define HANDLE_MINT 3
#define CLIENT_RIGHTS (RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER)

#define PAGE 4096u

/* A request's strings, copied out of the message and NUL-terminated. */
struct strings {
    char name[AUTH_NAME_MAX + 1];
    char first[AUTH_PASSWORD_MAX + 1];
    char second[AUTH_PASSWORD_MAX + 1];
};

static char decoy_hash[PASSWORD_HASH_MAX];
static struct lock decoy_lock;  /* decoy_hash, made once by whichever worker needs it first */
static struct lock shadow_lock; /* rewriting /etc/shadow, one change at a time */

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

/*
 * Reads a whole account file into buf (AUTH_FILE_MAX + 1 bytes);
 * returns its length. A file that does not fit is refused with
 * -E_2BIG rather than read in part: a truncated shadow written back
 * would lose accounts, and a truncated passwd would hide them.
 */
static long read_accounts(const char *path, char *buf)
{
    long n = files_read(HANDLE_ROOT, path, buf, AUTH_FILE_MAX + 1);
    if (n > (long)AUTH_FILE_MAX) {
        printf("auth: %s is larger than %u bytes: refused\n", path, AUTH_FILE_MAX);
        return -E_2BIG;
    }
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
static bool decoy_ready(struct worker *w)
{
    lock_take(&decoy_lock);
    bool ready = decoy_hash[0] != '\0';
    if (!ready) {
        long n = read_accounts("/etc/shadow", w->shadow_text);
        ready = n >= 0 && accounts_shadow_hash(w->shadow_text, (size_t)n, "root", 4, decoy_hash,
                                               sizeof(decoy_hash)) == 0;
    }
    lock_give(&decoy_lock);
    return ready;
}

/* Whether password is name's (the decoy is checked for unknown names, to take as long). */
static bool password_matches(struct worker *w, const char *name, const char *password)
{
    char hash[PASSWORD_HASH_MAX];
    long n = read_accounts("/etc/shadow", w->shadow_text);
    bool known = n >= 0 && accounts_shadow_hash(w->shadow_text, (size_t)n, name, strlen(name), hash,
                                                sizeof(hash)) == 0;
    if (!known && !decoy_ready(w)) /* no account at all to stand in */
        return false;
    bool ok = password_check(known ? hash : decoy_hash, password);
    return known && ok;
}

/* Puts home and shell in the reply: in w2..w3 if they fit, else in a new region. */
static long reply_account(const struct account *a, struct ipc_msg *reply,
                          struct ipc_extra *reply_extra)
{
    size_t home = strlen(a->home), shell = strlen(a->shell);
    char *out = (char *)&reply->w[2];
    if (home + shell > AUTH_REPLY_INLINE) {
        long region = vm_region_new(PAGE);
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

/*
 * Ends a request that held a turn of badge: a failure marked `slowly`
 * is answered after the delay, anything else at once.
 */
static long finish(struct worker *w, uint32_t badge, long status, bool slowly)
{
    if (slowly && status < 0)
        return worker_refuse(w, badge, status, true);
    worker_end_turn(badge);
    return status;
}

/* AUTH_LOGIN's work, inside the caller's turn; *slowly says the failure must wait. */
static long login(struct worker *w, const struct ipc_msg *req, const struct ipc_extra *extra,
                  uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra,
                  bool *slowly)
{
    struct strings s;
    *slowly = true; /* every refusal here waits, even for a malformed name */
    if (request_strings(req, extra, 2, &s) < 0)
        return -E_PERM;
    struct account account;
    long n = read_accounts("/etc/passwd", w->passwd_text);
    bool known = n >= 0 && accounts_find_name(w->passwd_text, (size_t)n, s.name, strlen(s.name),
                                              &account) == 0;
    bool ok = password_matches(w, s.name, s.first);
    memset(&s, 0, sizeof(s));
    if (!known || !ok) {
        printf("auth: failed login from pid %u\n", IPC_SENDER_PID(sender));
        return -E_PERM;
    }
    printf("auth: %s (uid %u) logged in\n", account.name, account.uid);
    *slowly = false;
    return reply_account(&account, reply, reply_extra);
}

/*
 * The start of AUTH_LOGIN and AUTH_PASSWD: a badged caller whose turn it
 * is goes on (true); any other gets *refused, its request dropped.
 */
static bool turn_begin(struct worker *w, uint32_t badge, const struct ipc_extra *extra,
                       long *refused)
{
    if (badge == 0) {
        ipc_extra_drop(extra);
        *refused = -E_PERM;
        return false;
    }
    if (!worker_take_turn(badge)) {
        ipc_extra_drop(extra);
        *refused = worker_refuse(w, badge, -E_AGAIN, false);
        return false;
    }
    return true;
}

static long serve_login(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                        uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    struct worker *w = context;
    uint32_t badge = IPC_SENDER_BADGE(sender);
    long refused;
    if (!turn_begin(w, badge, extra, &refused))
        return refused;
    bool slowly;
    long status = login(w, req, extra, sender, reply, reply_extra, &slowly);
    ipc_extra_drop(extra);
    return finish(w, badge, status, slowly);
}

/* Writes shadow's new text next to it, then renames it over the old one. */
static long write_shadow(const char *text, size_t length)
{
    long err = files_replace(HANDLE_ROOT, "/etc", "shadow", text, length);
    if (err < 0)
        printf("auth: cannot rewrite /etc/shadow: %s\n", error_string((int)err));
    return err;
}

/*
 * Puts hash in /etc/shadow as name's. Only one change at a time: each
 * reads the file, changes one line and writes it whole, so two at once
 * would lose one; the lock also keeps the salt generator to one thread.
 */
static long change_shadow(struct worker *w, const char *name, const char *password)
{
    char hash[PASSWORD_HASH_MAX];
    lock_take(&shadow_lock);
    long err = password_hash(hash, password) == 0 ? 0 : -E_NOMEM;
    long n = err < 0 ? err : read_accounts("/etc/shadow", w->shadow_text);
    long length = n < 0 ? n
                        : accounts_shadow_replace(w->shadow_text, (size_t)n, name, hash,
                                                  w->shadow_new, AUTH_FILE_MAX);
    if (length == -E_RANGE) {
        /* The new file would not fit auth's buffer: it could not be read back. */
        printf("auth: /etc/shadow would grow past %u bytes: refused\n", AUTH_FILE_MAX);
        length = -E_2BIG;
    }
    err = length < 0 ? length : write_shadow(w->shadow_new, (size_t)length);
    lock_give(&shadow_lock);
    return err;
}

/* AUTH_PASSWD's work, inside the caller's turn; *slowly says the failure must wait. */
static long change_password(struct worker *w, const struct ipc_msg *req,
                            const struct ipc_extra *extra, uint32_t badge, bool *slowly)
{
    struct strings s;
    *slowly = false;
    long err = request_strings(req, extra, 3, &s);
    if (err < 0)
        return err;
    bool root = badge == AUTH_BADGE_ROOT;
    struct account account;
    long n = read_accounts("/etc/passwd", w->passwd_text);
    if (n < 0)
        return n;
    bool found =
        accounts_find_name(w->passwd_text, (size_t)n, s.name, strlen(s.name), &account) == 0;
    if (!root && (!found || AUTH_BADGE(account.uid) != badge))
        return -E_PERM; /* not their own account, whether or not it exists */
    if (!found)
        return -E_NOENT;
    n = read_accounts("/etc/shadow", w->shadow_text);
    if (n < 0)
        return n; /* a shadow too large to read says so, rather than "wrong password" */
    if (!root && !password_matches(w, s.name, s.first)) {
        *slowly = true;
        return -E_PERM;
    }
    if (s.second[0] == '\0')
        return -E_INVAL;
    memset(&s.first, 0, sizeof(s.first));
    err = change_shadow(w, account.name, s.second);
    memset(&s, 0, sizeof(s));
    if (err == 0)
        printf("auth: password of %s changed by uid %u\n", account.name, badge - 1);
    return err;
}

static long serve_passwd(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                         uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)reply, (void)reply_extra;
    struct worker *w = context;
    uint32_t badge = IPC_SENDER_BADGE(sender);
    long refused;
    if (!turn_begin(w, badge, extra, &refused))
        return refused;
    bool slowly;
    long status = change_password(w, req, extra, badge, &slowly);
    ipc_extra_drop(extra);
    return finish(w, badge, status, slowly);
}

static long serve_mint(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    struct worker *w = context;
    ipc_extra_drop(extra);
    if (IPC_SENDER_BADGE(sender) != AUTH_BADGE_ROOT)
        return -E_PERM;
    if (req->w[0] > AUTH_UID_MAX)
        return -E_RANGE;
    struct account account;
    long n = read_accounts("/etc/passwd", w->passwd_text);
    if (n < 0)
        return n;
    if (accounts_find_uid(w->passwd_text, (size_t)n, (uint32_t)req->w[0], &account) < 0)
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
    int err = workers_serve(HANDLE_ENDPOINT, handlers, sizeof(handlers) / sizeof(handlers[0]));
    printf("auth: stopped: %s\n", error_string(err));
    return err < 0 ? 1 : 0;
}
