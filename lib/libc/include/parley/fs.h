/*
 * The file-system client: what programs call to use files and
 * directories on a file server such as the ramdisk (protocol in
 * <parley/proto/fs.h>).
 *
 * Every file and directory is a handle: a capability minted by the
 * server with the rights it grants (FS_RIGHT_READ, FS_RIGHT_WRITE,
 * FS_RIGHT_ADMIN). fs_open turns a directory handle and a path inside it
 * into a new handle; ".." never leads above the directory. Close handles
 * with fs_close, which tells the server and then closes the handle.
 *
 * Every function returns a negative error code from <parley/errors.h> on
 * failure: the kernel's (-E_BADHANDLE for a handle that does not exist,
 * -E_CLOSED if the server is gone) or the server's.
 */
#ifndef PARLEY_FS_H
#define PARLEY_FS_H

#include <stddef.h>
#include <stdint.h>

#include <parley/ipc_lib.h>
#include <parley/proto/fs.h>

struct fs_stat {
    uint64_t size;   /* bytes; for a directory, its number of entries */
    uint32_t type;   /* FS_TYPE_FILE or FS_TYPE_DIR */
    uint32_t rights; /* FS_RIGHT_* this handle holds */
    uint32_t mode;   /* FS_MODE_MASK bits */
    uint32_t uid;
    uint64_t mtime_ns, ctime_ns; /* contents changed, anything changed (time_now_ns) */
};

struct fs_dirent {
    uint32_t type;
    uint32_t length;
    char name[FS_NAME_MAX + 1]; /* NUL-terminated */
};

/*
 * Opens path inside directory handle dir. flags: the rights wanted
 * (FS_RIGHT_*, at least one, no more than dir has) and FS_O_CREATE,
 * FS_O_EXCL, FS_O_TRUNC, FS_O_DIRECTORY. A file it makes gets the
 * default mode and dir's owner. Returns the new handle.
 */
long fs_open(uint32_t dir, const char *path, uint32_t flags);

/*
 * Reads up to len bytes at offset into buf; returns how many (fewer at
 * the end of the file, 0 past it). Big reads come in memory regions of up
 * to FS_IO_MAX bytes each.
 */
long fs_read(uint32_t file, uint64_t offset, void *buf, size_t len);

/*
 * Writes len bytes from buf at offset (FS_APPEND: at the end of the file,
 * wherever that is when each piece arrives); returns len. Big writes go
 * in memory regions of up to FS_IO_MAX bytes each.
 */
long fs_write(uint32_t file, uint64_t offset, const void *buf, size_t len);

/* Sets a file's size, cutting it or growing it with zeros; returns 0. */
long fs_truncate(uint32_t file, uint64_t size);

long fs_stat(uint32_t handle, struct fs_stat *st);

/*
 * The entry at index of a directory, in name order; -E_NOENT past the
 * last. Entries added or removed between calls shift the indexes.
 */
long fs_readdir(uint32_t dir, uint64_t index, struct fs_dirent *entry);

/*
 * Decodes a readdir reply (FS_READDIR, or the vfs's NS_READDIR, which
 * answers the same way) into *entry, dropping what came with it; `err` is
 * the call's result. Returns 0 or a negative error.
 */
/*
 * Calls a file server (or the vfs) with `length` bytes of data: in the
 * words from req->w[first] if they fit in `room` bytes, else in a region
 * moved with the call (released again if the call fails). Returns the
 * kernel's error or the server's status; *extra holds what came with the
 * reply (zeroed if the call failed). The path-carrying requests of fs.h
 * and ns.h all travel this way.
 */
long fs_call_with_bytes(uint32_t handle, struct ipc_msg *req, unsigned first, size_t room,
                        const void *data, size_t length, struct ipc_msg *reply,
                        struct ipc_extra *extra);

/* Decodes a stat reply (FS_STAT, or the vfs's NS_STAT) into *st; `err` is the call's result. */
long fs_stat_reply(long err, const struct ipc_msg *reply, struct fs_stat *st);

long fs_readdir_reply(long err, const struct ipc_msg *reply, struct ipc_extra *extra,
                      struct fs_dirent *entry);

/* Makes a directory; mode 0 means FS_MODE_DIR_DEFAULT. */
long fs_mkdir(uint32_t dir, const char *path, uint32_t mode);

/* Removes a file; a file still open elsewhere goes when it is closed. */
long fs_unlink(uint32_t dir, const char *path);

/* Removes an empty directory (-E_NOTEMPTY otherwise). */
long fs_rmdir(uint32_t dir, const char *path);

/*
 * Moves `from` (a path in from_dir) to `to` (a path in to_dir), replacing
 * a file there or an empty directory. Both handles need FS_RIGHT_WRITE
 * and must be on the same server.
 */
long fs_rename(uint32_t from_dir, const char *from, uint32_t to_dir, const char *to);

/* Sets owner and mode; needs FS_RIGHT_ADMIN (init and login have it). */
long fs_setowner(uint32_t handle, uint32_t uid, uint32_t mode);

/* Drops the server's open object and closes the handle; returns 0. */
long fs_close(uint32_t handle);

#endif
