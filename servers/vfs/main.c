/*
 * vfs: the namespace server (protocol <parley/proto/ns.h>).
 *
 * Handles, as init wires them (serve:vfs use:fs use:vfs use:net):
 *   1  its endpoint (receive)
 *   2  the file server's root: an unbadged ramdisk handle, every right
 *   3  a plain send handle to its own endpoint, from which it mints the
 *      badged handles that stand for namespaces (minting needs
 *      RIGHT_DUPLICATE, which a receive handle lacks)
 *   4  optional: the TCP/IP server's root (servers/net, a file server
 *      too), mounted at /net in the root namespace with every right
 *
 * A namespace is a badge and a mount table (mount.c). At start there is
 * one, the root namespace (badge NS_ROOT_BADGE: "/" -> handle 2 with all
 * rights), which init hands out as use:vfs#1. NS_DERIVE makes more, each
 * mount a directory handle the vfs opened on the file server with the
 * mount's rights, so the file server itself enforces them too.
 *
 * Requests naming a path are normalised (<parley/path.h>), resolved to a
 * mount and forwarded to the file server on that mount's directory
 * handle; an opened file's handle is moved on to the client, which uses
 * the file server directly after that: the file server minted its badge
 * and hears when it closes, so the vfs keeps nothing per open file.
 * Synthetic directories above mount points are answered from the table.
 *
 * A namespace derived from the root namespace (login's for each user) is
 * a session; one derived from any other namespace belongs to the same
 * session as that namespace, so the table is shared out by who derived
 * what, never by anything a message says. A session and the namespaces
 * that belong to it take at most NS_SESSION_MAX slots (-E_QUOTA beyond),
 * so one user's programs fill only their own share of NAMESPACES_MAX and
 * the next login still finds room. A session closed while namespaces of
 * it live keeps its slot, unreachable, until the last of them goes, so
 * closing it never frees its share early.
 *
 * A namespace is freed by NS_CLOSE or when the kernel says the last
 * handle carrying its badge is gone (IPC_TAG_CLOSED: its holders exited
 * or closed their handles), whichever comes first; its mounts' directory
 * handles are closed with it. Badges are never reused, so a handle to a
 * closed namespace can never reach a newer one and a late IPC_TAG_CLOSED
 * finds nothing. The root namespace is never freed. Like the ramdisk,
 * the vfs keeps a send handle to its own endpoint and so runs until it
 * is killed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/fs.h>
#include <parley/ipc_lib.h>
#include <parley/path.h>
#include <parley/proto/ns.h>
#include <parley/sys.h>

#include "mount.h"

#define HANDLE_ENDPOINT 1
#define HANDLE_ROOT 2
#define HANDLE_MINT 3
#define HANDLE_NET 4
#define CLIENT_RIGHTS (RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER)

#define PAGE 4096u
#define NAMESPACES_MAX 256
#define RENAME_MAX (2 * FS_PATH_MAX + 1)
#define OPEN_FLAGS (FS_RIGHTS_ALL | FS_O_CREATE | FS_O_EXCL | FS_O_TRUNC | FS_O_DIRECTORY)

struct namespace
{
    uint32_t badge;
    struct mount_table table;
    struct namespace *session; /* the session it counts against (NULL: the root namespace) */
    int members;               /* a session: the namespaces counting against it, itself too */
    bool closed;               /* a session closed while members live: its slot is kept */
};

static struct namespace *spaces[NAMESPACES_MAX];
static uint32_t next_badge = NS_ROOT_BADGE;

/* One request, as the operations below see it. */
struct request {
    const struct ipc_msg *msg;
    const struct ipc_extra *extra;
    struct namespace *ns;
    struct ipc_msg *reply;
    struct ipc_extra *reply_extra;
};

static struct namespace *namespace_find(uint32_t badge)
{
    if (badge == 0)
        badge = NS_ROOT_BADGE;
    for (int i = 0; i < NAMESPACES_MAX; i++)
        if (spaces[i] != NULL && spaces[i]->badge == badge && !spaces[i]->closed)
            return spaces[i];
    return NULL;
}

/*
 * Closes a namespace's directory handles. Only derived namespaces come
 * here (the root namespace is never closed), and every mount of theirs is
 * a directory derive_one opened, so all of them are closed. Handles 2 and
 * 4 are mounted only in the root namespace; skipping them by number would
 * leave open for ever a directory that is handle 4 because the vfs was
 * started without the TCP/IP server (handle 4 is optional, and the
 * kernel hands out the lowest free number).
 */
static void namespace_unmount(struct namespace *ns)
{
    for (int i = 0; i < ns->table.count; i++)
        fs_close(ns->table.mounts[i].dir);
    ns->table.count = 0;
}

static void namespace_free(struct namespace *ns)
{
    namespace_unmount(ns);
    free(ns);
}

static void namespace_remove(struct namespace *ns)
{
    for (int i = 0; i < NAMESPACES_MAX; i++)
        if (spaces[i] == ns)
            spaces[i] = NULL;
}

/*
 * Counts a new namespace, derived from `parent`, against its session: the
 * parent's, or itself when the parent is the root namespace (a new
 * session). -E_QUOTA when the session has its share already. A closed
 * session no longer counts itself among its members but still takes its
 * slot, so that slot counts too: else its members could fill
 * NS_SESSION_MAX slots besides it.
 */
static long session_join(struct namespace *ns, struct namespace *parent)
{
    struct namespace *session = parent->session != NULL ? parent->session : ns;
    if (session != ns && session->members + (session->closed ? 1 : 0) >= NS_SESSION_MAX)
        return -E_QUOTA;
    ns->session = session;
    session->members++;
    return 0;
}

/* Takes a namespace off its session's count; a closed session goes with its last member. */
static void session_leave(struct namespace *ns)
{
    struct namespace *session = ns->session;
    if (session == NULL)
        return;
    ns->session = NULL;
    if (--session->members == 0 && session->closed && session != ns) {
        namespace_remove(session);
        free(session);
    }
}

/* Takes a free slot and a new badge for ns; -E_NOSPC if there are none. */
static long namespace_add(struct namespace *ns)
{
    if (next_badge == UINT32_MAX)
        return -E_NOSPC;
    for (int i = 0; i < NAMESPACES_MAX; i++) {
        if (spaces[i] == NULL) {
            ns->badge = next_badge++;
            spaces[i] = ns;
            return 0;
        }
    }
    return -E_NOSPC;
}

/*
 * Copies the request's bytes (w0's low 16 bits of them, in w1..w3 or the
 * region) NUL-terminated into out; -E_RANGE if more than max, -E_INVAL if
 * they are not all there or contain a NUL where none may be.
 */
static long request_bytes(const struct request *r, char *out, size_t max, int nul_allowed)
{
    size_t length = FS_PATH_LENGTH(r->msg->w[0]);
    const char *bytes = (const char *)&r->msg->w[1];
    if (length > max)
        return -E_RANGE;
    if (length > FS_INLINE) {
        if (r->extra->recv_mem == 0 || r->extra->recv_mem_length < length)
            return -E_INVAL;
        bytes = (const char *)r->extra->recv_mem;
    }
    memcpy(out, bytes, length);
    out[length] = '\0';
    if (!nul_allowed && strlen(out) != length)
        return -E_INVAL;
    return (long)length;
}

/* The request's path, normalised, in out (FS_PATH_MAX + 1 bytes). */
static long request_path(const struct request *r, char *out)
{
    static char raw[FS_PATH_MAX + 1];
    long err = request_bytes(r, raw, FS_PATH_MAX, 0);
    if (err < 0)
        return err;
    if (err == 0)
        return -E_NOENT;
    return path_normalize(raw, out, FS_PATH_MAX + 1);
}

/*
 * Calls the file server on handle with a path in the words from w1 or a
 * region, as proto/fs.h lays it out; w0 = length | bits. *extra holds
 * what came back.
 */
static long fs_path_call(uint32_t handle, uint64_t tag, uint64_t bits, const char *path,
                         struct ipc_msg *reply, struct ipc_extra *extra)
{
    size_t length = strlen(path);
    struct ipc_msg req = {.tag = tag, .w = {length | bits}};
    return fs_call_with_bytes(handle, &req, 1, FS_INLINE, path, length, reply, extra);
}

/* Where a normal path lies in r's namespace; *rest is "." for a mount point. */
static enum mount_place locate(const struct request *r, const char *path,
                               const struct mount **mount, const char **rest)
{
    enum mount_place place = mount_resolve(&r->ns->table, path, mount, rest);
    if (place == MOUNT_INSIDE && **rest == '\0')
        *rest = ".";
    return place;
}

/*
 * Reads the request's path into `path` and locates it: MOUNT_INSIDE or
 * MOUNT_SYNTHETIC, or a negative error (-E_NOENT for a path no mount
 * covers, which therefore cannot even be named).
 */
static long request_locate(const struct request *r, char *path, const struct mount **mount,
                           const char **rest)
{
    long err = request_path(r, path);
    if (err < 0)
        return err;
    enum mount_place place = locate(r, path, mount, rest);
    return place == MOUNT_NONE ? -E_NOENT : (long)place;
}

static long op_open(struct request *r)
{
    static char path[FS_PATH_MAX + 1];
    uint64_t w0 = r->msg->w[0];
    uint32_t flags = FS_PATH_FLAGS(w0), wanted = flags & FS_RIGHTS_ALL;
    if ((flags & ~OPEN_FLAGS) || wanted == 0)
        return -E_INVAL;
    const struct mount *m;
    const char *rest;
    long place = request_locate(r, path, &m, &rest);
    if (place < 0)
        return place;
    if (place == MOUNT_SYNTHETIC)
        return -E_ISDIR;
    if (wanted & ~m->rights)
        return -E_PERM;
    struct ipc_extra extra;
    long err = fs_path_call(m->dir, FS_OPEN, w0 & ~(uint64_t)0xFFFF, rest, r->reply, &extra);
    if (err == 0 && extra.recv_count > 0) {
        r->reply_extra->send_handles[0] = extra.recv_handles[0];
        r->reply_extra->send_count = 1;
        extra.recv_handles[0] = extra.recv_handles[--extra.recv_count];
    } else if (err == 0) {
        err = -E_INVAL; /* the file server broke the protocol */
    }
    ipc_extra_drop(&extra);
    if (err == 0)
        r->reply->w[2] = r->reply->w[3] = 0;
    return err;
}

/* Opens what a path names inside a mount for reading: for stat and readdir. */
static long open_for_reading(const struct mount *m, const char *rest, uint32_t extra_flags)
{
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = fs_path_call(m->dir, FS_OPEN, FS_PATH_WORD(0, 0, FS_RIGHT_READ | extra_flags), rest,
                            &reply, &extra);
    long handle = err < 0 ? err : -E_INVAL;
    if (err == 0 && extra.recv_count > 0) {
        handle = extra.recv_handles[0];
        extra.recv_handles[0] = extra.recv_handles[--extra.recv_count];
    }
    ipc_extra_drop(&extra);
    return handle;
}

static long op_stat(struct request *r)
{
    static char path[FS_PATH_MAX + 1];
    const struct mount *m;
    const char *rest;
    long place = request_locate(r, path, &m, &rest);
    if (place < 0)
        return place;
    if (place == MOUNT_SYNTHETIC) {
        r->reply->w[0] = mount_entry_count(&r->ns->table, path);
        r->reply->w[1] = FS_STAT_WORD(FS_TYPE_DIR, FS_RIGHT_READ, 0555, 0);
        return 0;
    }
    long handle = open_for_reading(m, rest, 0);
    if (handle < 0)
        return handle;
    struct ipc_msg req = {.tag = FS_STAT};
    long err = ipc_request((uint32_t)handle, &req, r->reply, IPC_FOREVER, NULL);
    fs_close((uint32_t)handle);
    if (err < 0)
        return err;
    uint64_t w1 = r->reply->w[1];
    r->reply->w[1] = FS_STAT_WORD(FS_STAT_TYPE(w1), m->rights, FS_STAT_MODE(w1), FS_STAT_UID(w1));
    return 0;
}

/* Puts a directory entry's name in the reply: inline, or in a new region. */
static long reply_name(struct request *r, const char *name, size_t length, uint32_t type)
{
    r->reply->w[0] = length | (uint64_t)type << 32;
    if (length <= FS_INLINE) {
        memcpy(&r->reply->w[1], name, length);
        return 0;
    }
    long region = vm_region_new(PAGE);
    if (region < 0)
        return region;
    memcpy((void *)region, name, length);
    r->reply_extra->send_mem = (uint64_t)region;
    r->reply_extra->send_mem_length = PAGE;
    return 0;
}

static long op_readdir(struct request *r)
{
    static char path[FS_PATH_MAX + 1];
    uint64_t index = FS_PATH_FLAGS(r->msg->w[0]);
    const struct mount *m;
    const char *rest;
    long place = request_locate(r, path, &m, &rest);
    if (place < 0)
        return place;
    struct fs_dirent entry;
    long err;
    if (place == MOUNT_SYNTHETIC) {
        err = mount_entry(&r->ns->table, path, index, entry.name, sizeof(entry.name));
        if (err < 0)
            return err;
        return reply_name(r, entry.name, (size_t)err, FS_TYPE_DIR);
    }
    long handle = open_for_reading(m, rest, FS_O_DIRECTORY);
    if (handle < 0)
        return handle;
    err = fs_readdir((uint32_t)handle, index, &entry);
    fs_close((uint32_t)handle);
    if (err < 0)
        return err;
    return reply_name(r, entry.name, entry.length, entry.type);
}

/* NS_MKDIR, NS_UNLINK, NS_RMDIR: one path forwarded as it came, with the mode bits of w0. */
static long op_change(struct request *r)
{
    static char path[FS_PATH_MAX + 1];
    const struct mount *m;
    const char *rest;
    long place = request_locate(r, path, &m, &rest);
    if (place < 0)
        return place;
    bool mkdir = r->msg->tag == NS_MKDIR;
    if (place == MOUNT_SYNTHETIC || strcmp(rest, ".") == 0)
        return mkdir ? -E_EXIST : -E_BUSY;
    uint64_t tag = mkdir ? FS_MKDIR : r->msg->tag == NS_UNLINK ? FS_UNLINK : FS_RMDIR;
    uint64_t bits = mkdir ? FS_PATH_WORD(0, FS_PATH_MODE(r->msg->w[0]), 0) : 0;
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = fs_path_call(m->dir, tag, bits, rest, &reply, &extra);
    ipc_extra_drop(&extra);
    return err;
}

static long op_rename(struct request *r)
{
    static char both[RENAME_MAX + 1], from[FS_PATH_MAX + 1], to[FS_PATH_MAX + 1];
    long length = request_bytes(r, both, RENAME_MAX, 1);
    if (length < 0)
        return length;
    size_t first = strlen(both);
    if (first == (size_t)length || first == 0 || first + 1 == (size_t)length ||
        strlen(both + first + 1) != (size_t)length - first - 1)
        return -E_INVAL;
    long err = path_normalize(both, from, sizeof(from));
    if (err >= 0)
        err = path_normalize(both + first + 1, to, sizeof(to));
    if (err < 0)
        return err;
    const struct mount *from_mount, *to_mount;
    const char *from_rest, *to_rest;
    enum mount_place a = locate(r, from, &from_mount, &from_rest);
    enum mount_place b = locate(r, to, &to_mount, &to_rest);
    if (a == MOUNT_NONE || b == MOUNT_NONE)
        return -E_NOENT;
    if (a == MOUNT_SYNTHETIC || b == MOUNT_SYNTHETIC || strcmp(from_rest, ".") == 0 ||
        strcmp(to_rest, ".") == 0)
        return -E_BUSY;
    return fs_rename(from_mount->dir, from_rest, to_mount->dir, to_rest);
}

/*
 * Tells a new mount's file server whose the files made through it are
 * (FS_SESSION_OWNER); a server that keeps no owners (-E_NOSYS) is fine.
 */
static long set_session_owner(uint32_t dir, uint32_t uid)
{
    struct ipc_msg request = {.tag = FS_SESSION_OWNER, .w = {uid}}, reply;
    long err = ipc_request(dir, &request, &reply, IPC_FOREVER, NULL);
    return err == -E_NOSYS ? 0 : err;
}

/*
 * One mount of NS_DERIVE: "NEW=OLD:ro|rw" resolved in the caller's
 * namespace and added to `table` with a directory handle of its own,
 * whose files belong to owner - 1 (0: nobody named, as the server
 * decides).
 */
static long derive_one(const struct request *r, char *line, struct mount_table *table,
                       uint32_t owner)
{
    static char new_path[FS_PATH_MAX + 1], old_path[FS_PATH_MAX + 1];
    char *equals = strchr(line, '=');
    char *colon = strrchr(line, ':');
    if (equals == NULL || colon == NULL || colon < equals)
        return -E_INVAL;
    *equals = *colon = '\0';
    uint32_t rights;
    if (strcmp(colon + 1, "ro") == 0)
        rights = FS_RIGHT_READ;
    else if (strcmp(colon + 1, "rw") == 0)
        rights = FS_RIGHT_READ | FS_RIGHT_WRITE;
    else
        return -E_INVAL;
    if (line[0] != '/' || equals[1] != '/')
        return -E_INVAL;
    long err = path_normalize(line, new_path, sizeof(new_path));
    if (err >= 0)
        err = path_normalize(equals + 1, old_path, sizeof(old_path));
    if (err < 0)
        return err;
    if (strlen(new_path) > NS_MOUNT_PATH_MAX)
        return -E_RANGE;
    const struct mount *m;
    const char *rest;
    enum mount_place place = locate(r, old_path, &m, &rest);
    if (place != MOUNT_INSIDE)
        return place == MOUNT_SYNTHETIC ? -E_INVAL : -E_NOENT;
    if (rights & ~m->rights)
        return -E_PERM;
    struct ipc_msg reply;
    struct ipc_extra extra;
    err = fs_path_call(m->dir, FS_OPEN, FS_PATH_WORD(0, 0, rights), rest, &reply, &extra);
    long dir = err < 0 ? err : -E_INVAL;
    if (err == 0 && extra.recv_count > 0) {
        dir = extra.recv_handles[0];
        extra.recv_handles[0] = extra.recv_handles[--extra.recv_count];
    }
    ipc_extra_drop(&extra);
    if (dir < 0)
        return dir;
    err = owner != 0 ? set_session_owner((uint32_t)dir, owner - 1) : 0;
    if (err == 0)
        err = mount_add(table, new_path, (uint32_t)dir, rights);
    if (err < 0)
        fs_close((uint32_t)dir);
    return err;
}

static long op_derive(struct request *r)
{
    static char spec[NS_SPEC_MAX + 1];
    long length = request_bytes(r, spec, NS_SPEC_MAX, 0);
    if (length < 0)
        return length;
    if (length == 0)
        return -E_INVAL;
    uint32_t owner = NS_DERIVE_OWNER_OF(r->msg->w[0]);
    if (owner != 0 && r->ns->badge != NS_ROOT_BADGE)
        return -E_PERM; /* only the root namespace's holders say whose files are */
    struct namespace *ns = calloc(1, sizeof(*ns));
    if (ns == NULL)
        return -E_NOMEM;
    long err = session_join(ns, r->ns);
    if (err < 0) {
        free(ns);
        return err;
    }
    for (char *line = spec; line != NULL && err == 0;) {
        char *newline = strchr(line, '\n');
        if (newline != NULL)
            *newline = '\0';
        err = derive_one(r, line, &ns->table, owner);
        line = newline != NULL ? newline + 1 : NULL;
    }
    if (err == 0)
        err = namespace_add(ns);
    long handle = err == 0 ? handle_mint(HANDLE_MINT, CLIENT_RIGHTS, ns->badge) : err;
    if (handle < 0) {
        namespace_remove(ns);
        session_leave(ns);
        namespace_free(ns);
        return handle;
    }
    r->reply_extra->send_handles[0] = (uint32_t)handle;
    r->reply_extra->send_count = 1;
    return 0;
}

/*
 * Takes a namespace out of the table and frees it; the root namespace
 * stays (-E_PERM). A session with members left only closes its mounts
 * and keeps its slot and count until session_leave frees it.
 */
static long namespace_close(struct namespace *ns)
{
    if (ns->badge == NS_ROOT_BADGE)
        return -E_PERM;
    if (ns->session == ns && ns->members > 1) {
        namespace_unmount(ns);
        ns->closed = true;
        ns->members--; /* its own place; its members still count here */
        return 0;
    }
    namespace_remove(ns);
    session_leave(ns);
    namespace_free(ns);
    return 0;
}

static long op_close(struct request *r)
{
    return namespace_close(r->ns);
}

/* The operations by message number (a tag's low 8 bits). */
#define MSG(tag) ((tag)&0xFF)
static long (*const operations[])(struct request *r) = {
    [MSG(NS_OPEN)] = op_open,     [MSG(NS_STAT)] = op_stat,     [MSG(NS_READDIR)] = op_readdir,
    [MSG(NS_MKDIR)] = op_change,  [MSG(NS_UNLINK)] = op_change, [MSG(NS_RMDIR)] = op_change,
    [MSG(NS_RENAME)] = op_rename, [MSG(NS_DERIVE)] = op_derive, [MSG(NS_CLOSE)] = op_close,
};

/* Every request: find the namespace of its badge, run the operation, drop what came with it. */
static long serve(void *context, const struct ipc_msg *msg, const struct ipc_extra *extra,
                  uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    struct request r = {
        .msg = msg,
        .extra = extra,
        .ns = namespace_find(IPC_SENDER_BADGE(sender)),
        .reply = reply,
        .reply_extra = reply_extra,
    };
    long status = r.ns == NULL ? -E_BADHANDLE : operations[MSG(msg->tag)](&r);
    ipc_extra_drop(extra);
    return status;
}

/*
 * The kernel's word that the last handle of a namespace's badge is gone:
 * free it if NS_CLOSE has not. Only the kernel (pid 0) says this.
 */
static long peer_closed(void *context, const struct ipc_msg *msg, const struct ipc_extra *extra,
                        uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)msg;
    (void)reply;
    (void)reply_extra;
    ipc_extra_drop(extra);
    uint32_t badge = ipc_closed_badge(sender);
    if (badge == 0)
        return -E_PERM;
    struct namespace *ns = namespace_find(badge);
    return ns != NULL ? namespace_close(ns) : 0;
}

static const struct ipc_handler handlers[] = {
    {NS_OPEN, serve},    {NS_STAT, serve},
    {NS_READDIR, serve}, {NS_MKDIR, serve},
    {NS_UNLINK, serve},  {NS_RMDIR, serve},
    {NS_RENAME, serve},  {NS_DERIVE, serve},
    {NS_CLOSE, serve},   {IPC_TAG_CLOSED, peer_closed},
};

/* Checks that handle h is an endpoint handle with at least `rights`. */
static bool handle_is(uint32_t h, uint32_t rights)
{
    long info = handle_info(h);
    return info >= 0 && (uint64_t)info >> 32 == OBJECT_ENDPOINT && (info & rights) == rights;
}

int main(void)
{
    if (!handle_is(HANDLE_ROOT, RIGHT_SEND) || !handle_is(HANDLE_MINT, CLIENT_RIGHTS)) {
        printf("vfs: handles 2 and 3 must be the file server (use:fs) and its own endpoint "
               "(use:vfs)\n");
        return 1;
    }
    struct namespace *root = calloc(1, sizeof(*root));
    if (root == NULL || mount_add(&root->table, "/", HANDLE_ROOT, FS_RIGHTS_ALL) < 0 ||
        namespace_add(root) < 0 || root->badge != NS_ROOT_BADGE) {
        printf("vfs: cannot make the root namespace\n");
        return 1;
    }
    if (handle_is(HANDLE_NET, RIGHT_SEND) &&
        mount_add(&root->table, "/net", HANDLE_NET, FS_RIGHTS_ALL) < 0) {
        printf("vfs: cannot mount /net\n");
        return 1;
    }
    printf("vfs: ready, root namespace is badge %d\n", NS_ROOT_BADGE);
    long err = ipc_serve(HANDLE_ENDPOINT, handlers, sizeof(handlers) / sizeof(handlers[0]), NULL);
    printf("vfs: stopped: %s\n", err == 0 ? "no clients left" : error_string((int)err));
    return err == 0 ? 0 : 1;
}
