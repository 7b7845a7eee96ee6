/*
 * The ramdisk's in-memory tree (see tree.h): path resolution, directory
 * entries, file chunks and the accounting behind the limits.
 *
 * Every change is checked and its memory found before anything is
 * modified, so an error leaves the tree as it was: a new name is
 * inserted before the old one is erased, a write allocates its chunks
 * before copying a byte.
 */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

/* A path of FS_PATH_MAX bytes has at most this many names ("a/a/a..."). */
#define PATH_PARTS (FS_PATH_MAX / 2 + 1)
#define MIN_SLOTS 8

struct path_part {
    uint16_t start, length;
};

/* A path after lexical resolution: the names left once ".", "" and ".." are gone. */
struct path {
    const char *text;
    size_t count;
    struct path_part parts[PATH_PARTS];
};

/* Where a path's last name is, or would go: its directory and index there. */
struct place {
    struct tree_node *dir;
    const char *name;
    size_t length;
    uint64_t index;
    bool found;
};

/* --- accounting --- */

/* Whether uid has a share of its own to keep within. */
static bool has_share(const struct tree *t, uint32_t uid)
{
    return uid != 0 && t->limits.max_user_bytes != 0;
}

/* uid's account, or NULL; with `make`, a free slot becomes it if it has none. */
static struct tree_user *user_find(struct tree *t, uint32_t uid, bool make)
{
    struct tree_user *free_slot = NULL;
    for (size_t i = 0; i < TREE_USERS_MAX; i++) {
        struct tree_user *u = &t->users[i];
        if (u->bytes != 0 && u->uid == uid)
            return u;
        if (u->bytes == 0 && free_slot == NULL)
            free_slot = u;
    }
    if (!make || free_slot == NULL)
        return NULL;
    free_slot->uid = uid;
    return free_slot;
}

/* Charges bytes to uid: -E_NOSPC past the total, -E_QUOTA past uid's share. */
static long charge(struct tree *t, uint32_t uid, uint64_t bytes)
{
    if (bytes > t->limits.max_bytes - t->bytes_used)
        return -E_NOSPC;
    if (has_share(t, uid) && bytes > 0) {
        struct tree_user *u = user_find(t, uid, true);
        uint64_t share = t->limits.max_user_bytes;
        if (u == NULL || u->bytes >= share || bytes > share - u->bytes)
            return -E_QUOTA;
        u->bytes += bytes;
    }
    t->bytes_used += bytes;
    return 0;
}

static void uncharge(struct tree *t, uint32_t uid, uint64_t bytes)
{
    t->bytes_used -= bytes;
    if (has_share(t, uid) && bytes > 0)
        user_find(t, uid, false)->bytes -= bytes; /* charged before, so it is there */
}

/* Moves bytes from one owner's account to another's, past the share if need be. */
static long account_move(struct tree *t, uint32_t from, uint32_t to, uint64_t bytes)
{
    struct tree_user *u = NULL;
    if (has_share(t, to) && bytes > 0 && (u = user_find(t, to, true)) == NULL)
        return -E_QUOTA;
    uncharge(t, from, bytes);
    t->bytes_used += bytes;
    if (u != NULL)
        u->bytes += bytes;
    return 0;
}

/* Everything charged to a node's owner for it. */
static uint64_t node_bytes(const struct tree_node *node)
{
    uint64_t bytes = TREE_NODE_COST + node->name_length +
                     node->chunk_slots * sizeof(node->chunks[0]) +
                     node->capacity * sizeof(node->entries[0]);
    for (uint64_t i = 0; i < node->chunk_slots; i++)
        bytes += node->chunks[i] != NULL ? TREE_CHUNK : 0;
    return bytes;
}

static void touch(struct tree_node *node, uint64_t now)
{
    node->mtime = now;
    node->ctime = now;
}

/* --- nodes --- */

static long node_new(struct tree *t, uint32_t type, uint32_t mode, uint32_t uid, uint64_t now,
                     struct tree_node **out)
{
    if (t->nodes_used >= t->limits.max_nodes)
        return -E_NOSPC;
    long err = charge(t, uid, TREE_NODE_COST);
    if (err < 0)
        return err;
    struct tree_node *node = calloc(1, sizeof(*node));
    if (node == NULL) {
        uncharge(t, uid, TREE_NODE_COST);
        return -E_NOMEM;
    }
    node->type = type;
    if (mode == 0)
        mode = type == FS_TYPE_DIR ? FS_MODE_DIR_DEFAULT : FS_MODE_FILE_DEFAULT;
    node->mode = mode & FS_MODE_MASK;
    node->uid = uid;
    touch(node, now);
    t->nodes_used++;
    *out = node;
    return 0;
}

/* Frees a node with everything it owns; a directory must have no entries left. */
static void node_free(struct tree *t, struct tree_node *node)
{
    for (uint64_t i = 0; i < node->chunk_slots; i++) {
        if (node->chunks[i] != NULL) {
            free(node->chunks[i]);
            uncharge(t, node->uid, TREE_CHUNK);
        }
    }
    free(node->chunks);
    uncharge(t, node->uid, node->chunk_slots * sizeof(node->chunks[0]));
    free(node->entries);
    uncharge(t, node->uid, node->capacity * sizeof(node->entries[0]));
    uncharge(t, node->uid, TREE_NODE_COST);
    free(node);
    t->nodes_used--;
}

/* The node has lost its name: it goes now, or with its last hold. */
static void node_unlink(struct tree *t, struct tree_node *node)
{
    node->linked = false;
    node->parent = NULL;
    node->name_length = 0;
    if (node->holds == 0)
        node_free(t, node);
}

/* --- directories --- */

static int name_compare(const char *a, size_t a_length, const char *b, size_t b_length)
{
    int c = memcmp(a, b, a_length < b_length ? a_length : b_length);
    if (c != 0)
        return c;
    return (a_length > b_length) - (a_length < b_length);
}

/* Binary search: the index of name in dir, or the index it would be inserted at. */
static uint64_t dir_find(const struct tree_node *dir, const char *name, size_t length, bool *found)
{
    uint64_t low = 0, high = dir->count;
    while (low < high) {
        uint64_t mid = low + (high - low) / 2;
        const struct tree_entry *e = &dir->entries[mid];
        int c = name_compare(e->name, e->length, name, length);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            low = mid + 1;
        else
            high = mid;
    }
    *found = false;
    return low;
}

/* Makes room for one more entry in dir. */
static long dir_reserve(struct tree *t, struct tree_node *dir)
{
    if (dir->count < dir->capacity)
        return 0;
    uint64_t capacity = dir->capacity < MIN_SLOTS ? MIN_SLOTS : dir->capacity * 2;
    uint64_t bytes = (capacity - dir->capacity) * sizeof(dir->entries[0]);
    long err = charge(t, dir->uid, bytes);
    if (err < 0)
        return err;
    struct tree_entry *entries = realloc(dir->entries, capacity * sizeof(entries[0]));
    if (entries == NULL) {
        uncharge(t, dir->uid, bytes);
        return -E_NOMEM;
    }
    dir->entries = entries;
    dir->capacity = capacity;
    return 0;
}

/* Gives node the name at index of dir (found free by dir_find); the name is node's owner's. */
static long dir_insert(struct tree *t, struct tree_node *dir, uint64_t index, const char *name,
                       size_t length, struct tree_node *node)
{
    long err = charge(t, node->uid, length);
    if (err < 0)
        return err;
    char *copy = malloc(length);
    err = copy == NULL ? -E_NOMEM : dir_reserve(t, dir);
    if (err < 0) {
        free(copy);
        uncharge(t, node->uid, length);
        return err;
    }
    memcpy(copy, name, length);
    memmove(&dir->entries[index + 1], &dir->entries[index],
            (dir->count - index) * sizeof(dir->entries[0]));
    dir->entries[index] = (struct tree_entry){copy, (uint32_t)length, node};
    dir->count++;
    node->name_length = (uint32_t)length;
    return 0;
}

/* Takes away the entry at index (its name was its node's owner's). */
static void dir_erase(struct tree *t, struct tree_node *dir, uint64_t index)
{
    struct tree_entry *e = &dir->entries[index];
    free(e->name);
    uncharge(t, e->node->uid, e->length);
    memmove(e, e + 1, (dir->count - index - 1) * sizeof(*e));
    dir->count--;
}

/* --- paths --- */

/*
 * Splits a path into names, resolving ".." lexically: it cancels the name
 * before it, and with none before it the path would leave its base, which
 * is refused as if there were nothing there (-E_NOENT).
 */
static long path_split(const char *text, size_t length, struct path *p)
{
    if (length > FS_PATH_MAX)
        return -E_RANGE;
    if (length == 0 || memchr(text, '\0', length) != NULL)
        return -E_INVAL;
    p->text = text;
    p->count = 0;
    for (size_t i = 0; i < length; i++) {
        size_t start = i;
        while (i < length && text[i] != '/')
            i++;
        size_t n = i - start;
        if (n == 0 || (n == 1 && text[start] == '.'))
            continue;
        if (n == 2 && text[start] == '.' && text[start + 1] == '.') {
            if (p->count == 0)
                return -E_NOENT;
            p->count--;
            continue;
        }
        if (n > FS_NAME_MAX)
            return -E_RANGE;
        p->parts[p->count++] = (struct path_part){(uint16_t)start, (uint16_t)n};
    }
    return 0;
}

/* Follows the first `count` names of p down from base. */
static long walk(struct tree_node *base, const struct path *p, size_t count, struct tree_node **out)
{
    struct tree_node *node = base;
    for (size_t i = 0; i < count; i++) {
        if (node->type != FS_TYPE_DIR)
            return -E_NOTDIR;
        bool found;
        uint64_t at = dir_find(node, p->text + p->parts[i].start, p->parts[i].length, &found);
        if (!found)
            return -E_NOENT;
        node = node->entries[at].node;
    }
    *out = node;
    return 0;
}

/* The directory and index of p's last name; p must have at least one. */
static long path_place(struct tree_node *base, const struct path *p, struct place *out)
{
    long err = walk(base, p, p->count - 1, &out->dir);
    if (err < 0)
        return err;
    if (out->dir->type != FS_TYPE_DIR)
        return -E_NOTDIR;
    const struct path_part *last = &p->parts[p->count - 1];
    out->name = p->text + last->start;
    out->length = last->length;
    out->index = dir_find(out->dir, out->name, out->length, &out->found);
    return 0;
}

/* A new node under the free name pl describes, owned by owner (or like its directory). */
static long node_create(struct tree *t, const struct place *pl, uint32_t type, uint32_t mode,
                        uint32_t owner, uint64_t now, struct tree_node **out)
{
    if (!pl->dir->linked)
        return -E_NOENT; /* a removed directory takes no new names */
    struct tree_node *node;
    long err =
        node_new(t, type, mode, owner == TREE_OWNER_OF_DIR ? pl->dir->uid : owner, now, &node);
    if (err < 0)
        return err;
    err = dir_insert(t, pl->dir, pl->index, pl->name, pl->length, node);
    if (err < 0) {
        node_free(t, node);
        return err;
    }
    node->linked = true;
    node->parent = pl->dir;
    touch(pl->dir, now);
    if (out != NULL)
        *out = node;
    return 0;
}

/* --- the interface --- */

long tree_init(struct tree *t, const struct tree_limits *limits, uint64_t now)
{
    *t = (struct tree){.limits = *limits};
    long err = node_new(t, FS_TYPE_DIR, 0, 0, now, &t->root);
    if (err < 0)
        return err;
    t->root->linked = true;
    return 0;
}

/* Depth-first without recursion: a tree may be deeper than any stack. */
void tree_free(struct tree *t)
{
    struct tree_node *node = t->root;
    while (node != NULL) {
        if (node->type == FS_TYPE_DIR && node->count > 0) {
            struct tree_entry *e = &node->entries[--node->count];
            struct tree_node *child = e->node;
            free(e->name);
            uncharge(t, child->uid, e->length);
            child->name_length = 0;
            node = child;
            continue;
        }
        struct tree_node *up = node->parent;
        node_free(t, node);
        node = up;
    }
    t->root = NULL;
}

long tree_lookup(struct tree_node *base, const char *path, size_t length, struct tree_node **out)
{
    struct path p;
    long err = path_split(path, length, &p);
    return err < 0 ? err : walk(base, &p, p.count, out);
}

long tree_open(struct tree *t, struct tree_node *base, const char *path, size_t length,
               uint32_t flags, uint32_t mode, uint32_t owner, uint64_t now, struct tree_node **out)
{
    bool create = (flags & FS_O_CREATE) != 0, exclusive = create && (flags & FS_O_EXCL);
    if (create && (flags & FS_O_DIRECTORY))
        return -E_INVAL;
    struct path p;
    long err = path_split(path, length, &p);
    if (err < 0)
        return err;
    struct tree_node *node = base;
    if (p.count > 0) {
        struct place pl;
        err = path_place(base, &p, &pl);
        if (err < 0)
            return err;
        if (!pl.found)
            return create ? node_create(t, &pl, FS_TYPE_FILE, mode, owner, now, out) : -E_NOENT;
        node = pl.dir->entries[pl.index].node;
    }
    if (exclusive)
        return -E_EXIST;
    if ((flags & FS_O_DIRECTORY) && node->type != FS_TYPE_DIR)
        return -E_NOTDIR;
    if (flags & FS_O_TRUNC) {
        if (node->type != FS_TYPE_FILE)
            return -E_ISDIR;
        tree_truncate(t, node, 0, now); /* shrinking cannot fail */
    }
    *out = node;
    return 0;
}

long tree_mkdir(struct tree *t, struct tree_node *base, const char *path, size_t length,
                uint32_t mode, uint32_t owner, uint64_t now)
{
    struct path p;
    struct place pl;
    long err = path_split(path, length, &p);
    if (err < 0)
        return err;
    if (p.count == 0)
        return -E_EXIST; /* the base itself */
    err = path_place(base, &p, &pl);
    if (err < 0)
        return err;
    if (pl.found)
        return -E_EXIST;
    return node_create(t, &pl, FS_TYPE_DIR, mode, owner, now, NULL);
}

long tree_remove(struct tree *t, struct tree_node *base, const char *path, size_t length,
                 uint32_t type, uint64_t now)
{
    struct path p;
    struct place pl;
    long err = path_split(path, length, &p);
    if (err < 0)
        return err;
    if (p.count == 0)
        return -E_INVAL; /* a handle's own directory is not its to remove */
    err = path_place(base, &p, &pl);
    if (err < 0)
        return err;
    if (!pl.found)
        return -E_NOENT;
    struct tree_node *node = pl.dir->entries[pl.index].node;
    if (type == FS_TYPE_FILE && node->type == FS_TYPE_DIR)
        return -E_ISDIR;
    if (type == FS_TYPE_DIR && node->type != FS_TYPE_DIR)
        return -E_NOTDIR;
    if (node->type == FS_TYPE_DIR && node->count > 0)
        return -E_NOTEMPTY;
    dir_erase(t, pl.dir, pl.index);
    touch(pl.dir, now);
    node_unlink(t, node);
    return 0;
}

/* Whether a rename of node over old (NULL: a free name) into dir is allowed. */
static long rename_check(const struct tree_node *node, const struct tree_node *old,
                         const struct tree_node *dir)
{
    if (!dir->linked)
        return -E_NOENT;
    for (const struct tree_node *d = dir; d != NULL && node->type == FS_TYPE_DIR; d = d->parent)
        if (d == node)
            return -E_INVAL; /* a directory cannot move below itself */
    if (old == NULL)
        return 0;
    if (node->type != FS_TYPE_DIR && old->type == FS_TYPE_DIR)
        return -E_ISDIR;
    if (node->type == FS_TYPE_DIR && old->type != FS_TYPE_DIR)
        return -E_NOTDIR;
    if (old->type == FS_TYPE_DIR && old->count > 0)
        return -E_NOTEMPTY;
    return 0;
}

long tree_rename(struct tree *t, struct tree_node *from_base, const char *from, size_t from_length,
                 struct tree_node *to_base, const char *to, size_t to_length, uint64_t now)
{
    struct path from_path, to_path;
    struct place src, dst;
    long err = path_split(from, from_length, &from_path);
    if (err == 0)
        err = path_split(to, to_length, &to_path);
    if (err < 0)
        return err;
    if (from_path.count == 0 || to_path.count == 0)
        return -E_INVAL;
    err = path_place(from_base, &from_path, &src);
    if (err == 0 && !src.found)
        err = -E_NOENT;
    if (err == 0)
        err = path_place(to_base, &to_path, &dst);
    if (err < 0)
        return err;
    struct tree_node *node = src.dir->entries[src.index].node;
    struct tree_node *old = dst.found ? dst.dir->entries[dst.index].node : NULL;
    if (old == node)
        return 0;
    err = rename_check(node, old, dst.dir);
    if (err < 0)
        return err;

    if (old != NULL) {
        /* The target's entry keeps its name and now names node: the name is node's owner's. */
        uint32_t length = dst.dir->entries[dst.index].length;
        err = account_move(t, old->uid, node->uid, length);
        if (err < 0)
            return err;
        dst.dir->entries[dst.index].node = node;
        dir_erase(t, src.dir, src.index);
        node->name_length = length;
        node_unlink(t, old);
    } else {
        err = dir_insert(t, dst.dir, dst.index, dst.name, dst.length, node);
        if (err < 0)
            return err;
        uint64_t at = src.index;
        if (src.dir == dst.dir && dst.index <= at)
            at++; /* the insertion moved the old entry up one */
        dir_erase(t, src.dir, at);
    }
    node->parent = dst.dir;
    node->ctime = now;
    touch(src.dir, now);
    touch(dst.dir, now);
    return 0;
}

long tree_read(const struct tree_node *file, uint64_t offset, void *buf, size_t length)
{
    if (file->type != FS_TYPE_FILE)
        return -E_ISDIR;
    if (offset >= file->size)
        return 0;
    if (length > file->size - offset)
        length = (size_t)(file->size - offset);
    uint8_t *out = buf;
    for (size_t done = 0; done < length;) {
        uint64_t at = offset + done, chunk = at / TREE_CHUNK;
        size_t within = (size_t)(at % TREE_CHUNK), n = TREE_CHUNK - within;
        if (n > length - done)
            n = length - done;
        if (chunk < file->chunk_slots && file->chunks[chunk] != NULL)
            memcpy(out + done, file->chunks[chunk] + within, n);
        else
            memset(out + done, 0, n); /* a hole */
        done += n;
    }
    return (long)length;
}

/* Grows the file's chunk table to at least `slots` entries. */
static long chunks_reserve(struct tree *t, struct tree_node *file, uint64_t slots)
{
    if (slots <= file->chunk_slots)
        return 0;
    uint64_t want = file->chunk_slots * 2 > slots ? file->chunk_slots * 2 : slots;
    if (want < MIN_SLOTS)
        want = MIN_SLOTS;
    uint64_t bytes = (want - file->chunk_slots) * sizeof(file->chunks[0]);
    if (charge(t, file->uid, bytes) < 0) {
        want = slots; /* doubling was too much: exactly what is needed, then */
        bytes = (want - file->chunk_slots) * sizeof(file->chunks[0]);
        long err = charge(t, file->uid, bytes);
        if (err < 0)
            return err;
    }
    uint8_t **chunks = realloc(file->chunks, want * sizeof(chunks[0]));
    if (chunks == NULL) {
        uncharge(t, file->uid, bytes);
        return -E_NOMEM;
    }
    memset(chunks + file->chunk_slots, 0, bytes);
    file->chunks = chunks;
    file->chunk_slots = want;
    return 0;
}

long tree_write(struct tree *t, struct tree_node *file, uint64_t offset, const void *buf,
                size_t length, uint64_t now)
{
    if (file->type != FS_TYPE_FILE)
        return -E_ISDIR;
    if (length == 0)
        return 0;
    if (offset > t->limits.max_file_size || length > t->limits.max_file_size - offset)
        return -E_RANGE;
    uint64_t first = offset / TREE_CHUNK, last = (offset + length - 1) / TREE_CHUNK;
    long err = chunks_reserve(t, file, last + 1);
    if (err < 0)
        return err;
    uint64_t missing = 0;
    for (uint64_t i = first; i <= last; i++)
        missing += file->chunks[i] == NULL;
    err = charge(t, file->uid, missing * TREE_CHUNK);
    if (err < 0)
        return err;
    for (uint64_t i = first; i <= last; i++) {
        if (file->chunks[i] != NULL)
            continue;
        /* Zeroed: the bytes past the end of a file stay zero. */
        file->chunks[i] = calloc(1, TREE_CHUNK);
        if (file->chunks[i] == NULL) {
            /* The chunks made so far stay, charged and zero, which nobody can see. */
            uncharge(t, file->uid, missing * TREE_CHUNK);
            return -E_NOMEM;
        }
        missing--;
    }
    const uint8_t *in = buf;
    for (size_t done = 0; done < length;) {
        uint64_t at = offset + done;
        size_t within = (size_t)(at % TREE_CHUNK), n = TREE_CHUNK - within;
        if (n > length - done)
            n = length - done;
        memcpy(file->chunks[at / TREE_CHUNK] + within, in + done, n);
        done += n;
    }
    if (offset + length > file->size)
        file->size = offset + length;
    touch(file, now);
    return (long)length;
}

long tree_truncate(struct tree *t, struct tree_node *file, uint64_t size, uint64_t now)
{
    if (file->type != FS_TYPE_FILE)
        return -E_ISDIR;
    if (size > t->limits.max_file_size)
        return -E_RANGE;
    if (size == file->size)
        return 0;
    if (size < file->size) {
        uint64_t keep = (size + TREE_CHUNK - 1) / TREE_CHUNK; /* chunks with bytes below size */
        for (uint64_t i = keep; i < file->chunk_slots; i++) {
            if (file->chunks[i] != NULL) {
                free(file->chunks[i]);
                file->chunks[i] = NULL;
                uncharge(t, file->uid, TREE_CHUNK);
            }
        }
        size_t tail = (size_t)(size % TREE_CHUNK);
        if (tail != 0 && keep - 1 < file->chunk_slots && file->chunks[keep - 1] != NULL)
            memset(file->chunks[keep - 1] + tail, 0, TREE_CHUNK - tail);
        if (keep == 0) {
            free(file->chunks);
            uncharge(t, file->uid, file->chunk_slots * sizeof(file->chunks[0]));
            file->chunks = NULL;
            file->chunk_slots = 0;
        }
    }
    file->size = size;
    touch(file, now);
    return 0;
}

long tree_readdir(const struct tree_node *dir, uint64_t index, const struct tree_entry **out)
{
    if (dir->type != FS_TYPE_DIR)
        return -E_NOTDIR;
    if (index >= dir->count)
        return -E_NOENT;
    *out = &dir->entries[index];
    return 0;
}

long tree_setowner(struct tree *t, struct tree_node *node, uint32_t uid, uint32_t mode,
                   uint64_t now)
{
    if (mode & ~FS_MODE_MASK)
        return -E_INVAL;
    if (uid != node->uid) {
        long err = account_move(t, node->uid, uid, node_bytes(node));
        if (err < 0)
            return err;
    }
    node->uid = uid;
    node->mode = mode;
    node->ctime = now;
    return 0;
}

uint64_t tree_user_bytes(const struct tree *t, uint32_t uid)
{
    for (size_t i = 0; i < TREE_USERS_MAX; i++)
        if (t->users[i].bytes != 0 && t->users[i].uid == uid)
            return t->users[i].bytes;
    return 0;
}

void tree_hold(struct tree_node *node)
{
    node->holds++;
}

void tree_release(struct tree *t, struct tree_node *node)
{
    if (--node->holds == 0 && !node->linked)
        node_free(t, node);
}
