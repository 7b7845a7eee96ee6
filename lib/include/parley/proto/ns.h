/*
 * The namespace protocol (ns): how a program names files. The vfs server
 * (servers/vfs) keeps namespaces; a namespace is a badge on the vfs
 * endpoint, so a handle to the vfs IS a namespace, and a program reaches
 * exactly the files its namespace mounts. Programs get theirs as handle 3
 * (docs/files-and-users.md) and use it through <parley/file.h>.
 *
 * Each namespace is a mount table: absolute path prefix -> a directory
 * handle on a file server (fs.h) and the rights the mount grants
 * (FS_RIGHT_READ, or more). A path is resolved by its longest mount
 * prefix; the rest of it is handed to the file server in an fs request on
 * that mount's directory handle, with no more than the mount's rights.
 * An open file is then a file-server handle moved to the client, which
 * talks to the file server directly from there on.
 *
 * Paths are absolute within the namespace and normalised by the vfs
 * before anything else: empty components and "." are dropped, ".." takes
 * away the component before it, and ".." above "/" is -E_NOENT. Nothing
 * ".."-shaped ever reaches a file server. A path below no mount is
 * -E_NOENT, unless it lies above a mount point ("/" and "/home" when
 * only "/home/alice" is mounted): such a directory is synthetic, made by
 * the vfs from the mount table alone. NS_STAT and NS_READDIR answer for
 * it (type directory, rights READ, mode 0555, uid 0; the entries are the
 * next components of the mount points below it, in name order), NS_OPEN
 * refuses it with -E_ISDIR (list it with NS_READDIR instead), NS_MKDIR
 * with -E_EXIST and the other changes with -E_BUSY, as they do mount
 * points themselves. Entries of a mounted directory are the file
 * server's: a mount point below a mount is not added to its listing.
 *
 * Every request is a call; every reply's tag is its status (0 or a
 * negative error from parley/errors.h). The badge names the namespace:
 * -E_BADHANDLE for one that was closed; an unbadged handle (init's and
 * the vfs's own) stands for the root namespace, badge NS_ROOT_BADGE.
 *
 * Bytes travel as in fs.h: w0 bits 0-15 = their length, the bytes in
 * w1..w3 when length <= FS_INLINE, else in a memory region moved with the
 * call.
 *
 *   NS_OPEN     w0 = FS_PATH_WORD(length, mode, flags), path: as FS_OPEN.
 *               The rights wanted must be within the mount's (else
 *               -E_PERM); "/home" of a mount at "/home" reopens its
 *               directory. reply: as FS_OPEN (the file server's handle
 *               moved, w0 = type, w1 = rights granted)
 *   NS_STAT     w0 = length, path. reply: as FS_STAT; rights are the
 *               mount's (what NS_OPEN could grant)
 *   NS_READDIR  w0 = FS_PATH_WORD(length, 0, index), path. reply: as
 *               FS_READDIR; -E_NOENT past the last entry
 *   NS_MKDIR    w0 = FS_PATH_WORD(length, mode, 0), path
 *   NS_UNLINK   w0 = length, path
 *   NS_RMDIR    w0 = length, path
 *   NS_RENAME   w0 = length of "old\0new", the bytes; the two may lie in
 *               different mounts of the same file server (the vfs does
 *               the FS_TOKEN exchange); mount points and synthetic
 *               directories never move (-E_BUSY)
 *   NS_DERIVE   w0 = length of a mount list: mounts separated by '\n',
 *               each "NEWPATH=OLDPATH:ro" or "NEWPATH=OLDPATH:rw" (at most
 *               NS_MOUNT_MAX, each path at most NS_MOUNT_PATH_MAX bytes).
 *               Each OLDPATH is a directory or a file resolved in the
 *               caller's namespace (inside a mount: -E_INVAL for a
 *               synthetic one; below a file mount every path is
 *               -E_NOTDIR)
 *               and mounted at NEWPATH in a new namespace with rights ro
 *               = READ or rw = READ|WRITE, never more than the caller's
 *               mount has (-E_PERM). reply: a vfs handle for the new
 *               namespace, moved (send, duplicate and transfer rights).
 *               w0 bits 32-63 = NS_DERIVE_OWNER(uid), only when deriving
 *               from the root namespace (else -E_PERM): the file servers
 *               of the new mounts are told that what is made through them
 *               is uid's and counts against uid's share (FS_SESSION_OWNER
 *               in fs.h); login does this for each user. Without it (0)
 *               new files belong to their directory's owner.
 *               A namespace derived from the root namespace starts a
 *               session; one derived from any other belongs to that
 *               one's session. A session and its namespaces are at most
 *               NS_SESSION_MAX at once: -E_QUOTA beyond (the vfs's
 *               whole table: -E_NOSPC)
 *   NS_CLOSE    drops the caller's namespace and its mounts (the root
 *               namespace refuses with -E_PERM); every copy of its handle
 *               then gets -E_BADHANDLE. The client then closes its handle.
 *               Closing the last handle carrying a derived namespace's
 *               badge (or exiting with it) drops it too: the kernel
 *               tells the vfs (IPC_TAG_CLOSED).
 */
#ifndef PARLEY_PROTO_NS_H
#define PARLEY_PROTO_NS_H

#include <parley/proto/base.h>
#include <parley/proto/fs.h>

#define NS_OPEN PARLEY_TAG(PROTO_NS, 1)
#define NS_STAT PARLEY_TAG(PROTO_NS, 2)
#define NS_READDIR PARLEY_TAG(PROTO_NS, 3)
#define NS_MKDIR PARLEY_TAG(PROTO_NS, 4)
#define NS_UNLINK PARLEY_TAG(PROTO_NS, 5)
#define NS_RMDIR PARLEY_TAG(PROTO_NS, 6)
#define NS_RENAME PARLEY_TAG(PROTO_NS, 7)
#define NS_DERIVE PARLEY_TAG(PROTO_NS, 8)
#define NS_CLOSE PARLEY_TAG(PROTO_NS, 9)

#define PROTO_NS_TAGS(X)                                                                           \
    X(NS_OPEN, NS_OPEN)                                                                            \
    X(NS_STAT, NS_STAT)                                                                            \
    X(NS_READDIR, NS_READDIR)                                                                      \
    X(NS_MKDIR, NS_MKDIR)                                                                          \
    X(NS_UNLINK, NS_UNLINK)                                                                        \
    X(NS_RMDIR, NS_RMDIR)                                                                          \
    X(NS_RENAME, NS_RENAME)                                                                        \
    X(NS_DERIVE, NS_DERIVE)                                                                        \
    X(NS_CLOSE, NS_CLOSE)

#define NS_DERIVE_OWNER(uid) ((uint64_t)((uid) + 1) << 32)
#define NS_DERIVE_OWNER_OF(w0) ((uint32_t)((w0) >> 32)) /* uid + 1; 0: none */
#define NS_ROOT_BADGE 1         /* the root namespace: "/" -> the file server's root */
#define NS_MOUNT_MAX 16         /* mounts in one namespace */
#define NS_MOUNT_PATH_MAX 255   /* bytes in a mount point's path */
#define NS_SPEC_MAX FS_PATH_MAX /* bytes in NS_DERIVE's mount list */
#define NS_SESSION_MAX 32       /* namespaces of one session (login's per user), itself too */

#endif
