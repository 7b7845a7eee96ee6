/*
 * The file-system protocol (fs): files and directories held by a file
 * server, today the ramdisk (servers/ramdisk). docs/protocols.md explains
 * it at more length; this comment is the reference for the words.
 *
 * Every open file or directory is a capability. The server has one
 * endpoint and hands out send handles to it minted with a badge that
 * names an "open object": a node of its tree and the rights granted on
 * it (FS_RIGHT_*). The server trusts only the badge, never a number in a
 * message, so a handle can reach exactly its node and, for a directory,
 * what lies below it: paths are resolved inside the handle's directory,
 * and ".." never climbs above it. An unbadged handle (badge 0) stands for
 * the root directory with every right; only init holds one, and it hands
 * out narrower handles by opening through the server (FS_OPEN of "." with
 * fewer rights). New handles carry RIGHT_SEND | RIGHT_DUPLICATE |
 * RIGHT_TRANSFER, so they can be passed on; copies share one open object.
 *
 * Every request is a call; every reply's tag is its status: 0 or a
 * negative error from parley/errors.h (-E_BADHANDLE: the open object is
 * closed; -E_PERM: the handle lacks a right; -E_NOENT, -E_EXIST,
 * -E_NOTDIR, -E_ISDIR, -E_NOTEMPTY; -E_NOSPC: the server's capacity is
 * used up; -E_RANGE: a name or path too long, an offset too large).
 *
 * A path travels as: w0 bits 0-15 = its length in bytes (1..FS_PATH_MAX),
 * the bytes in w1..w3 when length <= FS_INLINE, else in a memory region
 * moved with the call. Components are separated by '/'; empty ones and
 * "." are skipped, ".." removes the one before it and is refused with
 * -E_NOENT where it would leave the handle's directory. A leading '/'
 * means the handle's directory too. Names are 1..FS_NAME_MAX bytes
 * without NUL.
 *
 *   FS_OPEN      w0 = path length | mode << 16 | flags << 32, path as above.
 *                flags: FS_O_* and the rights wanted (FS_RIGHT_*, at least
 *                one; never more than the directory handle has).
 *                mode: FS_MODE_MASK bits for a node FS_O_CREATE makes
 *                (0: the default). "." reopens the directory itself.
 *                reply: a handle moved (pass an ipc_extra), w0 = type,
 *                w1 = the rights granted
 *   FS_READ      w0 = offset, w1 = length (cut to FS_IO_MAX); needs READ.
 *                reply: w0 = bytes read (fewer at the end, 0 past it);
 *                the bytes in w1..w3 when w0 <= FS_INLINE, else in a region
 *                moved with the reply
 *   FS_WRITE     w0 = offset (FS_APPEND: at the end), w1 = length
 *                (<= FS_IO_MAX); the bytes in w2..w3 when length <=
 *                FS_WRITE_INLINE, else in a region; needs WRITE.
 *                reply: w0 = bytes written, w1 = the file's size now
 *   FS_TRUNCATE  w0 = new size (shrinks, or grows with zeros); needs WRITE
 *   FS_STAT      reply: w0 = size (a directory: its entry count),
 *                w1 = type | rights << 8 | mode << 16 | uid << 32,
 *                w2 = mtime, w3 = ctime (ns since boot, time_now_ns)
 *   FS_READDIR   w0 = index (entries in name order, "." and ".." not
 *                listed); needs READ. reply: w0 = name length | type << 32,
 *                the name in w1..w3 when it fits in FS_INLINE bytes, else
 *                in a region. -E_NOENT past the last entry.
 *   FS_MKDIR     w0 = path length | mode << 16, path; needs WRITE
 *   FS_UNLINK    path: removes a file; needs WRITE. An open file lives on
 *                until its last open object is closed.
 *   FS_RMDIR     path: removes an empty directory; needs WRITE
 *   FS_TOKEN     on a directory handle with WRITE: reply w0 = a token
 *                naming this directory as the target of one FS_RENAME by
 *                the same process (the kernel does not tell a server the
 *                badge of a handle passed to it, so the target cannot
 *                travel as a handle). Valid once, until the next FS_TOKEN
 *                on this object or its close.
 *   FS_RENAME    w0 = length of "old\0new" (both paths, NUL between),
 *                w1 = token (0: both paths in this directory handle),
 *                the bytes in w2..w3 when length <= FS_RENAME_INLINE, else
 *                in a region; needs WRITE. Replaces a file by a file or an
 *                empty directory by a directory; a directory never moves
 *                below itself.
 *   FS_CLOSE     drops the open object (0 for the unbadged root); the
 *                client then closes its handle. Closing the last handle
 *                carrying the object's badge (or exiting with it) drops
 *                it too: the kernel tells the server (IPC_TAG_CLOSED)
 *   FS_SETOWNER  w0 = uid, w1 = mode (FS_MODE_MASK); needs FS_RIGHT_ADMIN.
 *                The server stores owner and mode; enforcing them is the
 *                job of whoever hands out handles (VFS, login). What the
 *                node takes moves to the new owner's share (past it if
 *                need be); -E_QUOTA if the server counts too many owners.
 *   FS_SESSION_OWNER  w0 = uid: files and directories made through this
 *                handle, or through any handle opened through it, belong
 *                to uid, and the bytes they take count against uid's share
 *                of the server's space (uid 0: only the total). Only on
 *                a session (a handle opened through the unbadged root
 *                handle, which only init and the vfs hold), only once and
 *                before anything is opened through it: -E_PERM otherwise.
 *                Without it a new node belongs to its directory's owner.
 *                A write or a new name past the share is -E_QUOTA (past
 *                the whole space: -E_NOSPC). A server without owners
 *                answers -E_NOSYS.
 */
#ifndef PARLEY_PROTO_FS_H
#define PARLEY_PROTO_FS_H

#include <parley/proto/base.h>

#define FS_OPEN PARLEY_TAG(PROTO_FS, 1)
#define FS_READ PARLEY_TAG(PROTO_FS, 2)
#define FS_WRITE PARLEY_TAG(PROTO_FS, 3)
#define FS_TRUNCATE PARLEY_TAG(PROTO_FS, 4)
#define FS_STAT PARLEY_TAG(PROTO_FS, 5)
#define FS_READDIR PARLEY_TAG(PROTO_FS, 6)
#define FS_MKDIR PARLEY_TAG(PROTO_FS, 7)
#define FS_UNLINK PARLEY_TAG(PROTO_FS, 8)
#define FS_RMDIR PARLEY_TAG(PROTO_FS, 9)
#define FS_TOKEN PARLEY_TAG(PROTO_FS, 10)
#define FS_RENAME PARLEY_TAG(PROTO_FS, 11)
#define FS_CLOSE PARLEY_TAG(PROTO_FS, 12)
#define FS_SETOWNER PARLEY_TAG(PROTO_FS, 13)
#define FS_SESSION_OWNER PARLEY_TAG(PROTO_FS, 14)

#define PROTO_FS_TAGS(X)                                                                           \
    X(FS_OPEN, FS_OPEN)                                                                            \
    X(FS_READ, FS_READ)                                                                            \
    X(FS_WRITE, FS_WRITE)                                                                          \
    X(FS_TRUNCATE, FS_TRUNCATE)                                                                    \
    X(FS_STAT, FS_STAT)                                                                            \
    X(FS_READDIR, FS_READDIR)                                                                      \
    X(FS_MKDIR, FS_MKDIR)                                                                          \
    X(FS_UNLINK, FS_UNLINK)                                                                        \
    X(FS_RMDIR, FS_RMDIR)                                                                          \
    X(FS_TOKEN, FS_TOKEN)                                                                          \
    X(FS_RENAME, FS_RENAME)                                                                        \
    X(FS_CLOSE, FS_CLOSE)                                                                          \
    X(FS_SETOWNER, FS_SETOWNER)                                                                    \
    X(FS_SESSION_OWNER, FS_SESSION_OWNER)

/* Rights of an open object (FS_OPEN's flags, FS_STAT's w1). */
#define FS_RIGHT_READ 0x1u  /* read a file; list a directory */
#define FS_RIGHT_WRITE 0x2u /* write or truncate a file; change a directory's entries */
#define FS_RIGHT_ADMIN 0x4u /* change owner and mode (FS_SETOWNER) */
#define FS_RIGHTS_ALL 0x7u

/* FS_OPEN flags, beside the rights. */
#define FS_O_CREATE 0x10u    /* make a file if the name is free */
#define FS_O_EXCL 0x20u      /* with FS_O_CREATE: -E_EXIST if it is not */
#define FS_O_TRUNC 0x40u     /* empty the file (needs FS_RIGHT_WRITE) */
#define FS_O_DIRECTORY 0x80u /* -E_NOTDIR unless it is a directory */

/* Node types. */
#define FS_TYPE_FILE 1u
#define FS_TYPE_DIR 2u

#define FS_MODE_MASK 07777u
#define FS_MODE_FILE_DEFAULT 0644u
#define FS_MODE_DIR_DEFAULT 0755u

#define FS_INLINE 24         /* bytes in w1..w3 */
#define FS_WRITE_INLINE 16   /* bytes in w2..w3 */
#define FS_RENAME_INLINE 16  /* bytes in w2..w3 */
#define FS_NAME_MAX 255      /* bytes in one name */
#define FS_PATH_MAX 4096     /* bytes in one path */
#define FS_IO_MAX (1u << 20) /* bytes moved by one FS_READ or FS_WRITE */
#define FS_APPEND UINT64_MAX /* FS_WRITE's offset: at the end of the file */

/* FS_OPEN's and FS_MKDIR's w0. */
#define FS_PATH_WORD(length, mode, flags)                                                          \
    ((uint64_t)(length) | (uint64_t)(mode) << 16 | (uint64_t)(flags) << 32)
#define FS_PATH_LENGTH(w0) ((uint32_t)((w0)&0xFFFF))
#define FS_PATH_MODE(w0) ((uint32_t)((w0) >> 16 & 0xFFFF))
#define FS_PATH_FLAGS(w0) ((uint32_t)((w0) >> 32))

/* FS_STAT's w1. */
#define FS_STAT_WORD(type, rights, mode, uid)                                                      \
    ((uint64_t)(type) | (uint64_t)(rights) << 8 | (uint64_t)(mode) << 16 | (uint64_t)(uid) << 32)
#define FS_STAT_TYPE(w1) ((uint32_t)((w1)&0xFF))
#define FS_STAT_RIGHTS(w1) ((uint32_t)((w1) >> 8 & 0xFF))
#define FS_STAT_MODE(w1) ((uint32_t)((w1) >> 16 & 0xFFFF))
#define FS_STAT_UID(w1) ((uint32_t)((w1) >> 32))

#endif
