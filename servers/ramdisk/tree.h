/*
 * The ramdisk's tree: files and directories in memory, with no system
 * calls, so the host unit test (tests/unit/ramdisk_tree_test.c) can run
 * it as it is. main.c adds what needs the kernel: handles, badges,
 * regions and the clock, whose readings it passes in as `now`.
 *
 * Paths are always resolved inside a base directory (the one an open
 * handle names) and lexically: ".." removes the component before it, and
 * a ".." with nothing before it is refused with -E_NOENT, so no path ever
 * reaches above its base. See <parley/proto/fs.h> for the path rules.
 *
 * A file's bytes live in TREE_CHUNK-sized chunks allocated as they are
 * written; a chunk never written (a hole) reads as zeros, and every byte
 * of a chunk past the file's size is zero. A directory keeps its entries
 * in an array sorted by name. A node removed from its directory while it
 * is open (tree_hold) lives on until tree_release drops the last hold.
 *
 * Everything that costs memory is charged against the limits given to
 * tree_init: -E_NOSPC when a limit is reached, -E_NOMEM when malloc
 * fails first. A failed operation changes nothing a client can see.
 */
#ifndef RAMDISK_TREE_H
#define RAMDISK_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <parley/proto/fs.h>

#define TREE_CHUNK 4096
#define TREE_NODE_COST 128           /* bytes charged per node, besides its name and data */
#define TREE_USERS_MAX 64            /* owners other than uid 0 with bytes charged at once */
#define TREE_OWNER_OF_DIR UINT32_MAX /* a new node owned like its directory */

/*
 * Every byte a node takes (its cost, its name, its data chunks, its chunk
 * table or entry array) is charged to its owner. All owners together get
 * max_bytes; each owner but uid 0 at most max_user_bytes of them (0: no
 * share, only the total), so one user filling the disk leaves the rest to
 * the others. A charge past the total is -E_NOSPC, past the share
 * -E_QUOTA.
 */
struct tree_limits {
    uint64_t max_bytes;      /* data chunks, names, nodes and their arrays */
    uint64_t max_nodes;      /* files and directories, the root included */
    uint64_t max_file_size;  /* bytes in one file */
    uint64_t max_user_bytes; /* one owner's share (not uid 0's); 0: none */
};

/* The bytes charged to one owner. */
struct tree_user {
    uint32_t uid;
    uint64_t bytes; /* 0: a free slot */
};

struct tree_node;

struct tree_entry {
    char *name; /* not NUL-terminated */
    uint32_t length;
    struct tree_node *node;
};

struct tree_node {
    uint32_t type; /* FS_TYPE_FILE or FS_TYPE_DIR */
    uint32_t mode; /* FS_MODE_MASK bits */
    uint32_t uid;
    uint32_t holds;           /* tree_hold calls not yet released */
    uint32_t name_length;     /* bytes of its name, charged to its owner; 0 if it has none */
    bool linked;              /* has a name in a directory (the root always counts) */
    uint64_t mtime, ctime;    /* ns: contents changed, anything changed */
    struct tree_node *parent; /* the directory naming it; NULL for the root and unlinked nodes */
    /* A file. */
    uint64_t size;
    uint8_t **chunks; /* chunks[i] holds bytes [i * TREE_CHUNK, (i + 1) * TREE_CHUNK) or NULL */
    uint64_t chunk_slots;
    /* A directory. */
    struct tree_entry *entries; /* sorted by name */
    uint64_t count, capacity;
};

struct tree {
    struct tree_node *root;
    struct tree_limits limits;
    uint64_t bytes_used;
    uint64_t nodes_used;
    struct tree_user users[TREE_USERS_MAX];
};

/* An empty tree: the root directory, owned by uid 0 with FS_MODE_DIR_DEFAULT. */
long tree_init(struct tree *t, const struct tree_limits *limits, uint64_t now);

/* Frees every node still linked; nodes held open must be released first. */
void tree_free(struct tree *t);

/* The node path names from base (path rules in proto/fs.h), in *out. */
long tree_lookup(struct tree_node *base, const char *path, size_t length, struct tree_node **out);

/*
 * FS_OPEN's walk: the node path names, made as an empty file first if it
 * is missing and flags has FS_O_CREATE (mode 0: FS_MODE_FILE_DEFAULT; the
 * owner is `owner`, or the directory's for TREE_OWNER_OF_DIR). FS_O_EXCL, FS_O_TRUNC and
 * FS_O_DIRECTORY act as in proto/fs.h; rights are the caller's business.
 */
long tree_open(struct tree *t, struct tree_node *base, const char *path, size_t length,
               uint32_t flags, uint32_t mode, uint32_t owner, uint64_t now, struct tree_node **out);

/*
 * Makes a directory (mode 0: FS_MODE_DIR_DEFAULT; owner as for tree_open);
 * -E_EXIST if the name is taken.
 */
long tree_mkdir(struct tree *t, struct tree_node *base, const char *path, size_t length,
                uint32_t mode, uint32_t owner, uint64_t now);

/* Removes a file (type FS_TYPE_FILE) or an empty directory (FS_TYPE_DIR). */
long tree_remove(struct tree *t, struct tree_node *base, const char *path, size_t length,
                 uint32_t type, uint64_t now);

/* Moves the node `from` names (in from_base) to the name `to` names (in to_base). */
long tree_rename(struct tree *t, struct tree_node *from_base, const char *from, size_t from_length,
                 struct tree_node *to_base, const char *to, size_t to_length, uint64_t now);

/* Copies up to length bytes from offset into buf; returns how many (0 past the end). */
long tree_read(const struct tree_node *file, uint64_t offset, void *buf, size_t length);

/* Writes length bytes at offset, growing the file; returns length. */
long tree_write(struct tree *t, struct tree_node *file, uint64_t offset, const void *buf,
                size_t length, uint64_t now);

/* Sets the file's size: the bytes past it go, new ones read as zeros. */
long tree_truncate(struct tree *t, struct tree_node *file, uint64_t size, uint64_t now);

/* The entry at index (in name order) of a directory; -E_NOENT past the last. */
long tree_readdir(const struct tree_node *dir, uint64_t index, const struct tree_entry **out);

/*
 * Sets owner and mode (FS_MODE_MASK bits); -E_INVAL for other bits. What
 * the node takes moves to the new owner's account, past their share if
 * need be (whoever may change owners decides); -E_QUOTA if no slot is free
 * to count one more owner.
 */
long tree_setowner(struct tree *t, struct tree_node *node, uint32_t uid, uint32_t mode,
                   uint64_t now);

/* The bytes charged to uid (all of uid 0's are only in bytes_used). */
uint64_t tree_user_bytes(const struct tree *t, uint32_t uid);

/* Keeps node alive while an open object names it, even once it is removed. */
void tree_hold(struct tree_node *node);

/* Drops one hold; frees the node if it was the last and the node is removed. */
void tree_release(struct tree *t, struct tree_node *node);

#endif
