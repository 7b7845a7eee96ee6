/*
 * Files by name, and programs by path: what every program uses to reach
 * the file system through its namespace (the vfs, protocol
 * <parley/proto/ns.h>, docs/files-and-users.md).
 *
 * A program's namespace is handle NS_HANDLE (3) unless ns_use() picks
 * another. Paths not starting with '/' are resolved against the PWD
 * environment variable ("/" if unset), then normalised (<parley/path.h>),
 * so ".." never leads out of "/". An open file is a handle on the file
 * server that holds it; file_read, file_write and file_close work on it
 * directly (they are <parley/fs.h>'s fs_read, fs_write and fs_close).
 *
 * Every function returns a negative error from <parley/errors.h> on
 * failure: -E_NOENT for anything the namespace does not mount, -E_PERM
 * for more rights than the mount grants, the kernel's errors when the
 * namespace handle is missing (-E_BADHANDLE) or the vfs is gone.
 */
#ifndef PARLEY_FILE_H
#define PARLEY_FILE_H

#include <stddef.h>
#include <stdint.h>

#include <parley/fs.h>
#include <parley/path.h>
#include <parley/proto/ns.h>

#define NS_HANDLE 3 /* where login and the shell put the namespace */

/* Makes the library use namespace handle `ns` from now on; returns the one it used before. */
uint32_t ns_use(uint32_t ns);

/* The absolute, normal form of path (relative to PWD) in out (size bytes); returns its length. */
long path_absolute(const char *path, char *out, size_t size);

/*
 * Opens path with flags as fs_open (rights FS_RIGHT_*, FS_O_CREATE,
 * FS_O_EXCL, FS_O_TRUNC, FS_O_DIRECTORY); a file FS_O_CREATE makes gets
 * the default mode. Returns the new file handle.
 */
long ns_open(const char *path, uint32_t flags);

/* Stats path; a directory above mount points is reported as read-only, mode 0555. */
long ns_stat(const char *path, struct fs_stat *st);

/* The entry at index of directory path, in name order; -E_NOENT past the last. */
long ns_readdir(const char *path, uint64_t index, struct fs_dirent *entry);

long ns_mkdir(const char *path, uint32_t mode); /* mode 0: the default */
long ns_unlink(const char *path);
long ns_rmdir(const char *path);
long ns_rename(const char *from, const char *to);

/*
 * A new namespace made from the current one: count mounts, each
 * "NEWPATH=OLDPATH:ro" or "NEWPATH=OLDPATH:rw" (OLDPATH as seen now;
 * rights only ever narrowed). Returns a handle to it, which can be
 * passed to a child as its handle 3.
 */
long ns_derive(const char *const mounts[], size_t count);

/*
 * ns_derive from the root namespace for user `owner`: what is made
 * through the new mounts is theirs and counts against their share of the
 * file server's space (login's; NS_OWNER_NONE: as ns_derive).
 */
#define NS_OWNER_NONE UINT32_MAX
long ns_derive_owned(const char *const mounts[], size_t count, uint32_t owner);

/* Drops namespace ns at the vfs (every copy of it stops working) and closes the handle. */
long ns_close(uint32_t ns);

long file_read(uint32_t file, uint64_t offset, void *buf, size_t len);
long file_write(uint32_t file, uint64_t offset, const void *buf, size_t len);
long file_close(uint32_t file);

/*
 * Starts the program at path (resolved like ns_open; it needs only read
 * rights) with argv, the environment envp (NULL: this program's environ)
 * and `count` handles, which are MOVED to the child as its handles
 * 1..count (sys_spawn_flags): duplicate any you want to keep. Returns the
 * child's pid; -E_ISDIR for a directory, -E_NOEXEC for a file that is no
 * program.
 */
long spawn_path(const char *path, const char *const argv[], const char *const envp[],
                const uint32_t *handles, uint32_t count);

/*
 * spawn_path with more SYS_SPAWN flags, e.g. SPAWN_AS_UID(uid) so the
 * child runs as that user from its first instruction (the caller must
 * run as uid 0).
 */
long spawn_path_flags(const char *path, const char *const argv[], const char *const envp[],
                      const uint32_t *handles, uint32_t count, uint64_t flags);

#endif
