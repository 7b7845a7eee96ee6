/*
 * ramdisk: a file server that keeps its files and directories in memory,
 * speaking the fs protocol of <parley/proto/fs.h>.
 *
 * Handles, as init wires them (serve:fs use:fs):
 *   1  its endpoint (receive)
 *   2  a plain send handle to the same endpoint, from which it mints the
 *      badged handles it gives clients: minting needs RIGHT_DUPLICATE and
 *      the rights the new handle gets, which a receive-only handle lacks
 *
 * Every open file or directory is a handle minted with a badge naming an
 * open object (objects.c), moved to the client in the reply to FS_OPEN.
 * A request is served for the open object of the badge it came through,
 * never for anything the message says, so a client reaches only what its
 * handles name. An unbadged handle (init's use:fs) stands for the root
 * directory with every right. The tree itself (tree.c) knows nothing of
 * handles or IPC.
 *
 * Because the server keeps handle 2, its endpoint always has a sender,
 * so it never sees -E_CLOSED and runs until it is killed: a service.
 * When the last handle carrying a badge is closed without FS_CLOSE (the
 * client exited, was killed, or just closed its handle) the kernel says
 * so with IPC_TAG_CLOSED (docs/ipc.md, "Peer death") and the open object
 * is closed as FS_CLOSE would. Badges are never reused (objects.h), so
 * such a message for an object already closed finds nothing.
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/fs.h>
#include <parley/sys.h>

#include "objects.h"
#include "tree.h"

#define HANDLE_ENDPOINT 1
#define HANDLE_MINT 2
#define CLIENT_RIGHTS (RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER)

#define PAGE 4096u
#define CAPACITY_MAX (256ull << 20) /* bytes of files, names and nodes */
#define NODES_MAX 65536
#define FILE_MAX (1ull << 40)
#define RENAME_MAX (2 * FS_PATH_MAX + 1)
#define OPEN_FLAGS (FS_RIGHTS_ALL | FS_O_CREATE | FS_O_EXCL | FS_O_TRUNC | FS_O_DIRECTORY)

static struct tree tree;

/* One request, as the operations below see it. */
struct request {
    const struct ipc_msg *msg;
    const struct ipc_extra *extra;
    uint32_t pid, badge;
    struct open_object *object; /* what the badge names */
    struct ipc_msg *reply;
    struct ipc_extra *reply_extra;
    uint64_t now;
};

/*
 * The bytes of a request: in the words from w[first] if length fits in
 * `room` bytes, else in the region moved with it; NULL if they are not
 * all there.
 */
static const char *payload(const struct request *r, unsigned first, size_t room, uint64_t length)
{
    if (length <= room)
        return (const char *)&r->msg->w[first];
    if (r->extra->recv_mem == 0 || r->extra->recv_mem_length < length)
        return NULL;
    return (const char *)r->extra->recv_mem;
}

/* Puts length bytes in the reply: in w[1..3] if they fit, else in a new region. */
static long reply_bytes(struct request *r, uint64_t length, void **out)
{
    if (length <= FS_INLINE) {
        *out = &r->reply->w[1];
        return 0;
    }
    uint64_t size = (length + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    long region = vm_region_new(size);
    if (region < 0)
        return region;
    r->reply_extra->send_mem = (uint64_t)region;
    r->reply_extra->send_mem_length = size;
    *out = (void *)region;
    return 0;
}

static bool allowed(const struct request *r, uint32_t right)
{
    return (r->object->rights & right) == right;
}

static long op_open(struct request *r)
{
    uint64_t w0 = r->msg->w[0];
    uint32_t length = FS_PATH_LENGTH(w0), flags = FS_PATH_FLAGS(w0), mode = FS_PATH_MODE(w0);
    uint32_t wanted = flags & FS_RIGHTS_ALL;
    if ((flags & ~OPEN_FLAGS) || wanted == 0 || (mode & ~FS_MODE_MASK))
        return -E_INVAL;
    if ((wanted & ~r->object->rights) || ((flags & FS_O_CREATE) && !allowed(r, FS_RIGHT_WRITE)) ||
        ((flags & FS_O_TRUNC) && !(wanted & FS_RIGHT_WRITE)))
        return -E_PERM;
    const char *path = payload(r, 1, FS_INLINE, length);
    if (path == NULL)
        return -E_INVAL;
    if (!objects_room(r->object))
        return -E_QUOTA; /* before anything is made */
    struct tree_node *node;
    long err = tree_open(&tree, r->object->node, path, length, flags, mode, r->object->owner,
                         r->now, &node);
    if (err < 0)
        return err;
    /* A file made or emptied above stays so if these fail; both are rare. */
    long badge = objects_open(node, wanted, r->object);
    if (badge < 0)
        return badge;
    long handle = handle_mint(HANDLE_MINT, CLIENT_RIGHTS, (uint32_t)badge);
    if (handle < 0) {
        objects_close((uint32_t)badge);
        return handle;
    }
    r->reply_extra->send_handles[0] = (uint32_t)handle;
    r->reply_extra->send_count = 1;
    r->reply->w[0] = node->type;
    r->reply->w[1] = wanted;
    return 0;
}

static long op_read(struct request *r)
{
    const struct tree_node *file = r->object->node;
    uint64_t offset = r->msg->w[0], length = r->msg->w[1];
    if (!allowed(r, FS_RIGHT_READ))
        return -E_PERM;
    if (file->type != FS_TYPE_FILE)
        return -E_ISDIR;
    if (length > FS_IO_MAX)
        length = FS_IO_MAX;
    if (offset >= file->size)
        length = 0;
    else if (length > file->size - offset)
        length = file->size - offset;
    void *out;
    long err = reply_bytes(r, length, &out);
    if (err < 0)
        return err;
    r->reply->w[0] = (uint64_t)tree_read(file, offset, out, (size_t)length);
    return 0;
}

static long op_write(struct request *r)
{
    struct tree_node *file = r->object->node;
    uint64_t offset = r->msg->w[0], length = r->msg->w[1];
    if (!allowed(r, FS_RIGHT_WRITE))
        return -E_PERM;
    if (file->type != FS_TYPE_FILE)
        return -E_ISDIR;
    if (length > FS_IO_MAX)
        return -E_RANGE;
    const char *data = payload(r, 2, FS_WRITE_INLINE, length);
    if (data == NULL)
        return -E_INVAL;
    if (offset == FS_APPEND)
        offset = file->size;
    long n = tree_write(&tree, file, offset, data, (size_t)length, r->now);
    if (n < 0)
        return n;
    r->reply->w[0] = (uint64_t)n;
    r->reply->w[1] = file->size;
    return 0;
}

static long op_truncate(struct request *r)
{
    if (!allowed(r, FS_RIGHT_WRITE))
        return -E_PERM;
    return tree_truncate(&tree, r->object->node, r->msg->w[0], r->now);
}

static long op_stat(struct request *r)
{
    const struct tree_node *node = r->object->node;
    r->reply->w[0] = node->type == FS_TYPE_DIR ? node->count : node->size;
    r->reply->w[1] = FS_STAT_WORD(node->type, r->object->rights, node->mode, node->uid);
    r->reply->w[2] = node->mtime;
    r->reply->w[3] = node->ctime;
    return 0;
}

static long op_readdir(struct request *r)
{
    const struct tree_entry *entry;
    if (!allowed(r, FS_RIGHT_READ))
        return -E_PERM;
    void *out;
    long err = tree_readdir(r->object->node, r->msg->w[0], &entry);
    if (err < 0)
        return err;
    err = reply_bytes(r, entry->length, &out);
    if (err < 0)
        return err;
    memcpy(out, entry->name, entry->length);
    r->reply->w[0] = entry->length | (uint64_t)entry->node->type << 32;
    return 0;
}

static long op_mkdir(struct request *r)
{
    uint64_t w0 = r->msg->w[0];
    uint32_t length = FS_PATH_LENGTH(w0), mode = FS_PATH_MODE(w0);
    if (!allowed(r, FS_RIGHT_WRITE))
        return -E_PERM;
    const char *path = payload(r, 1, FS_INLINE, length);
    if (path == NULL || FS_PATH_FLAGS(w0) != 0 || (mode & ~FS_MODE_MASK))
        return -E_INVAL;
    return tree_mkdir(&tree, r->object->node, path, length, mode, r->object->owner, r->now);
}

/* FS_UNLINK and FS_RMDIR: a path and nothing else in w0. */
static long remove_node(struct request *r, uint32_t type)
{
    uint64_t w0 = r->msg->w[0];
    uint32_t length = FS_PATH_LENGTH(w0);
    if (!allowed(r, FS_RIGHT_WRITE))
        return -E_PERM;
    const char *path = payload(r, 1, FS_INLINE, length);
    if (path == NULL || w0 != length)
        return -E_INVAL;
    return tree_remove(&tree, r->object->node, path, length, type, r->now);
}

static long op_unlink(struct request *r)
{
    return remove_node(r, FS_TYPE_FILE);
}

static long op_rmdir(struct request *r)
{
    return remove_node(r, FS_TYPE_DIR);
}

/*
 * The token stands in for this directory handle in one FS_RENAME: the
 * badge in its low half finds the object, the random high half and the
 * pid make sure it is the one this process was given.
 */
static long op_token(struct request *r)
{
    uint32_t secret = 0;
    if (!allowed(r, FS_RIGHT_WRITE))
        return -E_PERM;
    if (r->object->node->type != FS_TYPE_DIR)
        return -E_NOTDIR;
    long err = sys_random(&secret, sizeof(secret));
    if (err < 0)
        return err;
    r->object->token = (uint64_t)(secret | 1) << 32 | r->badge;
    r->object->token_pid = r->pid;
    r->reply->w[0] = r->object->token;
    return 0;
}

static long op_rename(struct request *r)
{
    uint64_t length = r->msg->w[0], token = r->msg->w[1];
    if (!allowed(r, FS_RIGHT_WRITE))
        return -E_PERM;
    if (length > RENAME_MAX)
        return -E_RANGE;
    const char *from = payload(r, 2, FS_RENAME_INLINE, length);
    const char *nul = from != NULL ? memchr(from, '\0', (size_t)length) : NULL;
    if (nul == NULL)
        return -E_INVAL;
    struct open_object *target = r->object;
    if (token != 0) {
        target = objects_get((uint32_t)token);
        if (target == NULL || target->token != token || target->token_pid != r->pid)
            return -E_PERM;
        target->token = 0; /* used up */
    }
    size_t from_length = (size_t)(nul - from);
    return tree_rename(&tree, r->object->node, from, from_length, target->node, nul + 1,
                       (size_t)length - from_length - 1, r->now);
}

static long op_close(struct request *r)
{
    return r->badge == 0 ? 0 : objects_close(r->badge);
}

static long op_setowner(struct request *r)
{
    uint64_t uid = r->msg->w[0], mode = r->msg->w[1];
    if (!allowed(r, FS_RIGHT_ADMIN))
        return -E_PERM;
    if (uid > UINT32_MAX || mode > FS_MODE_MASK)
        return -E_INVAL;
    return tree_setowner(&tree, r->object->node, (uint32_t)uid, (uint32_t)mode, r->now);
}

static long op_session_owner(struct request *r)
{
    uint64_t uid = r->msg->w[0];
    if (uid >= TREE_OWNER_OF_DIR)
        return -E_INVAL;
    return objects_set_owner(r->object, (uint32_t)uid);
}

/* The operations by message number (a tag's low 8 bits), like a system call table. */
#define MSG(tag) ((tag)&0xFF)
static long (*const operations[])(struct request *r) = {
    [MSG(FS_OPEN)] = op_open,         [MSG(FS_READ)] = op_read,
    [MSG(FS_WRITE)] = op_write,       [MSG(FS_TRUNCATE)] = op_truncate,
    [MSG(FS_STAT)] = op_stat,         [MSG(FS_READDIR)] = op_readdir,
    [MSG(FS_MKDIR)] = op_mkdir,       [MSG(FS_UNLINK)] = op_unlink,
    [MSG(FS_RMDIR)] = op_rmdir,       [MSG(FS_TOKEN)] = op_token,
    [MSG(FS_RENAME)] = op_rename,     [MSG(FS_CLOSE)] = op_close,
    [MSG(FS_SETOWNER)] = op_setowner, [MSG(FS_SESSION_OWNER)] = op_session_owner,
};

/*
 * Every request comes through here: find the open object of its badge,
 * run the operation, and give up whatever came with the request (the
 * operations have copied what they needed by then).
 */
static long serve(void *context, const struct ipc_msg *msg, const struct ipc_extra *extra,
                  uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    struct request r = {
        .msg = msg,
        .extra = extra,
        .pid = IPC_SENDER_PID(sender),
        .badge = IPC_SENDER_BADGE(sender),
        .reply = reply,
        .reply_extra = reply_extra,
        .now = time_now_ns(),
    };
    r.object = objects_get(r.badge);
    long status = r.object == NULL ? -E_BADHANDLE : operations[MSG(msg->tag)](&r);
    ipc_extra_drop(extra);
    return status;
}

/*
 * The kernel's word that the last handle of a badge is gone: close its
 * open object if FS_CLOSE has not. Only the kernel (pid 0) says this; a
 * client sending the tag itself is ignored.
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
    objects_close(badge); /* -E_BADHANDLE: closed already with FS_CLOSE */
    return 0;
}

static const struct ipc_handler handlers[] = {
    {FS_OPEN, serve},     {FS_READ, serve},          {FS_WRITE, serve},
    {FS_TRUNCATE, serve}, {FS_STAT, serve},          {FS_READDIR, serve},
    {FS_MKDIR, serve},    {FS_UNLINK, serve},        {FS_RMDIR, serve},
    {FS_TOKEN, serve},    {FS_RENAME, serve},        {FS_CLOSE, serve},
    {FS_SETOWNER, serve}, {FS_SESSION_OWNER, serve}, {IPC_TAG_CLOSED, peer_closed},
};

/*
 * Room for files: half the memory free at start, so the server's own
 * pages never run out; each user but root may fill half of it
 * (USER_SHARE), so one user filling the disk leaves memory and space for
 * everyone else.
 */
#define USER_SHARE 2 /* a user's share: the capacity over this */
static uint64_t capacity(void)
{
    struct sysinfo info;
    if (sys_sysinfo(&info) < 0)
        return 0;
    uint64_t bytes = info.frames_free * PAGE / 2;
    return bytes < CAPACITY_MAX ? bytes : CAPACITY_MAX;
}

int main(void)
{
    long info = handle_info(HANDLE_MINT);
    if (info < 0 || (uint64_t)info >> 32 != OBJECT_ENDPOINT ||
        (info & CLIENT_RIGHTS) != CLIENT_RIGHTS) {
        printf("ramdisk: handle 2 must be a plain send handle to its own endpoint (use:EP)\n");
        return 1;
    }
    uint64_t bytes = capacity();
    struct tree_limits limits = {bytes, NODES_MAX, FILE_MAX, bytes / USER_SHARE};
    long err = tree_init(&tree, &limits, time_now_ns());
    if (err < 0) {
        printf("ramdisk: cannot start: %s\n", error_string((int)err));
        return 1;
    }
    objects_init(&tree);
    printf("ramdisk: ready, %lu KiB for files, %lu KiB for each user\n",
           (unsigned long)(limits.max_bytes >> 10), (unsigned long)(limits.max_user_bytes >> 10));
    err = ipc_serve(HANDLE_ENDPOINT, handlers, sizeof(handlers) / sizeof(handlers[0]), NULL);
    printf("ramdisk: stopped: %s\n", err == 0 ? "no clients left" : error_string((int)err));
    return err == 0 ? 0 : 1;
}
