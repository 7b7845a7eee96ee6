/*
 * The file-system client of <parley/fs.h>: each function is one or a few
 * calls to the file server, following <parley/proto/fs.h>.
 *
 * Bytes (paths, names, file data) travel in the message's spare words
 * when they fit, and otherwise in a memory region: the client reserves
 * it, fills it and gives it away with the call; the server releases it.
 * Data read comes back the same way, in a region that is then ours to
 * copy out of and release. Transfers bigger than FS_IO_MAX go in pieces.
 */
#include <string.h>

#include <parley/errors.h>
#include <parley/fs.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>

#define PAGE 4096u /* regions move whole pages */

long fs_call_with_bytes(uint32_t handle, struct ipc_msg *req, unsigned first, size_t room,
                        const void *data, size_t length, struct ipc_msg *reply,
                        struct ipc_extra *extra)
{
    size_t size = 0;
    long region = 0;
    memset(extra, 0, sizeof(*extra));
    if (length <= room) {
        memcpy(&req->w[first], data, length);
    } else {
        size = (length + PAGE - 1) & ~(size_t)(PAGE - 1);
        region = vm_region_new(size);
        if (region < 0)
            return region;
        memcpy((void *)region, data, length);
        extra->send_mem = (uint64_t)region;
        extra->send_mem_length = size;
    }
    long err = ipc_call(handle, req, reply, IPC_FOREVER, extra);
    if (err < 0) {
        /* Not delivered: the region is still ours (or gone with a server that died holding it). */
        if (region != 0)
            sys_vm_release((void *)region, size);
        memset(extra, 0, sizeof(*extra));
        return err;
    }
    return ipc_status(reply);
}

/* A request whose only argument is a path, with `bits` beside its length in w0. */
static long path_request(uint32_t dir, uint64_t tag, const char *path, uint64_t bits,
                         struct ipc_msg *reply, struct ipc_extra *extra)
{
    size_t length = strlen(path);
    if (length > FS_PATH_MAX) {
        memset(extra, 0, sizeof(*extra));
        return -E_RANGE;
    }
    struct ipc_msg req = {.tag = tag, .w = {length | bits}};
    return fs_call_with_bytes(dir, &req, 1, FS_INLINE, path, length, reply, extra);
}

/* A request with words only and nothing but a status in the reply. */
static long simple_request(uint32_t handle, uint64_t tag, uint64_t w0, uint64_t w1,
                           struct ipc_msg *reply)
{
    struct ipc_msg req = {.tag = tag, .w = {w0, w1}};
    return ipc_request(handle, &req, reply, IPC_FOREVER, NULL);
}

long fs_open(uint32_t dir, const char *path, uint32_t flags)
{
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = path_request(dir, FS_OPEN, path, FS_PATH_WORD(0, 0, flags), &reply, &extra);
    long handle = err < 0 ? err : -E_INVAL; /* success without a handle breaks the protocol */
    if (err == 0 && extra.recv_count > 0) {
        handle = extra.recv_handles[0];
        extra.recv_handles[0] = extra.recv_handles[--extra.recv_count]; /* the rest is dropped */
    }
    ipc_extra_drop(&extra);
    return handle;
}

long fs_read(uint32_t file, uint64_t offset, void *buf, size_t len)
{
    char *out = buf;
    size_t done = 0;
    while (done < len) {
        size_t piece = len - done < FS_IO_MAX ? len - done : FS_IO_MAX;
        struct ipc_msg req = {.tag = FS_READ, .w = {offset + done, piece}};
        struct ipc_msg reply;
        struct ipc_extra extra = {0};
        long err = ipc_request(file, &req, &reply, IPC_FOREVER, &extra);
        size_t n = err == 0 ? (size_t)reply.w[0] : 0;
        if (err == 0 && n > piece)
            err = -E_INVAL;
        else if (err == 0 && n <= FS_INLINE)
            memcpy(out + done, &reply.w[1], n);
        else if (err == 0 && extra.recv_mem != 0 && extra.recv_mem_length >= n)
            memcpy(out + done, (const void *)extra.recv_mem, n);
        else if (err == 0)
            err = -E_INVAL; /* the server said more than it sent */
        ipc_extra_drop(&extra);
        if (err < 0)
            return err;
        done += n;
        if (n < piece)
            break; /* the end of the file */
    }
    return (long)done;
}

long fs_write(uint32_t file, uint64_t offset, const void *buf, size_t len)
{
    const char *in = buf;
    for (size_t done = 0; done < len;) {
        size_t piece = len - done < FS_IO_MAX ? len - done : FS_IO_MAX;
        uint64_t at = offset == FS_APPEND ? FS_APPEND : offset + done;
        struct ipc_msg req = {.tag = FS_WRITE, .w = {at, piece}};
        struct ipc_msg reply;
        struct ipc_extra extra;
        long err =
            fs_call_with_bytes(file, &req, 2, FS_WRITE_INLINE, in + done, piece, &reply, &extra);
        ipc_extra_drop(&extra);
        if (err < 0)
            return err;
        if (reply.w[0] != piece)
            return -E_INVAL; /* the server writes all of a piece or fails */
        done += piece;
    }
    return (long)len;
}

long fs_truncate(uint32_t file, uint64_t size)
{
    struct ipc_msg reply;
    return simple_request(file, FS_TRUNCATE, size, 0, &reply);
}

long fs_stat(uint32_t handle, struct fs_stat *st)
{
    struct ipc_msg reply;
    long err = simple_request(handle, FS_STAT, 0, 0, &reply);
    return fs_stat_reply(err, &reply, st);
}

long fs_stat_reply(long err, const struct ipc_msg *reply, struct fs_stat *st)
{
    if (err < 0)
        return err;
    st->size = reply->w[0];
    st->type = FS_STAT_TYPE(reply->w[1]);
    st->rights = FS_STAT_RIGHTS(reply->w[1]);
    st->mode = FS_STAT_MODE(reply->w[1]);
    st->uid = FS_STAT_UID(reply->w[1]);
    st->mtime_ns = reply->w[2];
    st->ctime_ns = reply->w[3];
    return 0;
}

long fs_readdir(uint32_t dir, uint64_t index, struct fs_dirent *entry)
{
    struct ipc_msg req = {.tag = FS_READDIR, .w = {index}};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    long err = ipc_request(dir, &req, &reply, IPC_FOREVER, &extra);
    return fs_readdir_reply(err, &reply, &extra, entry);
}

long fs_readdir_reply(long err, const struct ipc_msg *reply, struct ipc_extra *extra,
                      struct fs_dirent *entry)
{
    size_t length = err == 0 ? (uint32_t)reply->w[0] : 0;
    if (err == 0 && length > FS_NAME_MAX)
        err = -E_INVAL;
    else if (err == 0 && length <= FS_INLINE)
        memcpy(entry->name, &reply->w[1], length);
    else if (err == 0 && extra->recv_mem != 0 && extra->recv_mem_length >= length)
        memcpy(entry->name, (const void *)extra->recv_mem, length);
    else if (err == 0)
        err = -E_INVAL;
    ipc_extra_drop(extra);
    if (err < 0)
        return err;
    entry->name[length] = '\0';
    entry->length = (uint32_t)length;
    entry->type = (uint32_t)(reply->w[0] >> 32);
    return 0;
}

long fs_mkdir(uint32_t dir, const char *path, uint32_t mode)
{
    if (mode & ~FS_MODE_MASK)
        return -E_INVAL;
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = path_request(dir, FS_MKDIR, path, FS_PATH_WORD(0, mode, 0), &reply, &extra);
    ipc_extra_drop(&extra);
    return err;
}

long fs_unlink(uint32_t dir, const char *path)
{
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = path_request(dir, FS_UNLINK, path, 0, &reply, &extra);
    ipc_extra_drop(&extra);
    return err;
}

long fs_rmdir(uint32_t dir, const char *path)
{
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = path_request(dir, FS_RMDIR, path, 0, &reply, &extra);
    ipc_extra_drop(&extra);
    return err;
}

/*
 * A rename between two handles goes in two calls: the target directory
 * first gives a token standing for itself (the server cannot tell which
 * open object a handle passed to it names), then the source directory
 * does the move, naming the target by that token.
 */
long fs_rename(uint32_t from_dir, const char *from, uint32_t to_dir, const char *to)
{
    size_t from_length = strlen(from), to_length = strlen(to);
    if (from_length > FS_PATH_MAX || to_length > FS_PATH_MAX)
        return -E_RANGE;
    struct ipc_msg reply;
    uint64_t token = 0;
    if (to_dir != from_dir) {
        long err = simple_request(to_dir, FS_TOKEN, 0, 0, &reply);
        if (err < 0)
            return err;
        token = reply.w[0];
    }
    char both[2 * FS_PATH_MAX + 1];
    memcpy(both, from, from_length);
    both[from_length] = '\0';
    memcpy(both + from_length + 1, to, to_length);
    size_t length = from_length + 1 + to_length;
    struct ipc_msg req = {.tag = FS_RENAME, .w = {length, token}};
    struct ipc_extra extra;
    long err =
        fs_call_with_bytes(from_dir, &req, 2, FS_RENAME_INLINE, both, length, &reply, &extra);
    ipc_extra_drop(&extra);
    return err;
}

long fs_setowner(uint32_t handle, uint32_t uid, uint32_t mode)
{
    struct ipc_msg reply;
    return simple_request(handle, FS_SETOWNER, uid, mode, &reply);
}

long fs_close(uint32_t handle)
{
    struct ipc_msg reply;
    long err = simple_request(handle, FS_CLOSE, 0, 0, &reply);
    long closed = handle_close(handle);
    return err < 0 ? err : closed;
}
