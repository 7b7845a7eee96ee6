/*
 * A namespace's mount table, as pure code: which mount a normal path
 * (<parley/path.h>) falls in, what is left of it below the mount point,
 * and what the synthetic directories above the mount points contain. The
 * vfs (main.c) does the IPC; tests/unit/vfs_mount_test.c runs this on
 * the host.
 */
#ifndef VFS_MOUNT_H
#define VFS_MOUNT_H

#include <stddef.h>
#include <stdint.h>

#include <parley/proto/ns.h>

struct mount {
    char path[NS_MOUNT_PATH_MAX + 1]; /* normal, e.g. "/home/alice" or "/" */
    size_t length;
    uint32_t dir;    /* directory handle on the file server */
    uint32_t rights; /* FS_RIGHT_* the mount grants at most */
};

struct mount_table {
    struct mount mounts[NS_MOUNT_MAX];
    int count;
};

/* Where a path lands. */
enum mount_place {
    MOUNT_NONE,      /* below no mount and above none: it cannot be named */
    MOUNT_INSIDE,    /* in a mount: *mount and *rest say where */
    MOUNT_SYNTHETIC, /* a directory above mount points, made from the table */
};

/*
 * Adds a mount at the normal path `path`. -E_EXIST if there is one there
 * already, -E_NOSPC if the table is full, -E_RANGE if the path is too long.
 */
long mount_add(struct mount_table *table, const char *path, uint32_t dir, uint32_t rights);

/*
 * Resolves the normal path `path`: for MOUNT_INSIDE, *mount is the mount
 * with the longest prefix and *rest the path below it, without a leading
 * '/' ("" for the mount point itself).
 */
enum mount_place mount_resolve(const struct mount_table *table, const char *path,
                               const struct mount **mount, const char **rest);

/*
 * The index-th entry (in name order, without repeats) of the synthetic
 * directory `path`: the next components of the mount points below it.
 * Copies it NUL-terminated into name (size bytes) and returns its length,
 * or -E_NOENT past the last entry, -E_RANGE if it does not fit.
 */
long mount_entry(const struct mount_table *table, const char *path, uint64_t index, char *name,
                 size_t size);

/* How many entries mount_entry lists for `path`. */
uint64_t mount_entry_count(const struct mount_table *table, const char *path);

#endif
