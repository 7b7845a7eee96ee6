/*
 * Host tests of the ramdisk's tree (servers/ramdisk/tree.c): path
 * resolution and its ".." confinement, the rules of create, unlink,
 * rmdir and rename, big and sparse files, readdir order, the limits, each
 * owner's share of the space, and what happens when malloc fails at each
 * step of an operation.
 *
 * tree.c is included here rather than linked so that its malloc, calloc
 * and realloc can be replaced by versions that fail on demand; the tree
 * must then report -E_NOMEM and leave what a client can see unchanged.
 * After every check of that kind the test recounts the memory the tree
 * should have charged and compares it with what it did charge.
 */
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "check.h"

static long alloc_countdown = -1; /* allocations left before one fails; -1: never */

static bool alloc_fails(void)
{
    if (alloc_countdown < 0)
        return false;
    return alloc_countdown-- == 0;
}

static void *test_malloc(size_t n)
{
    return alloc_fails() ? NULL : malloc(n);
}

static void *test_calloc(size_t count, size_t n)
{
    return alloc_fails() ? NULL : calloc(count, n);
}

static void *test_realloc(void *p, size_t n)
{
    return alloc_fails() ? NULL : realloc(p, n);
}

#define malloc test_malloc
#define calloc test_calloc
#define realloc test_realloc
#include "../../servers/ramdisk/tree.c"
#undef malloc
#undef calloc
#undef realloc

#define MiB (1024u * 1024u)

static const struct tree_limits roomy = {64 * MiB, 10000, 32 * MiB, 0};
static struct tree t;
static uint64_t clock_ns = 1000;

static uint64_t tick(void)
{
    return clock_ns += 1000;
}

static void fresh(const struct tree_limits *limits)
{
    if (t.root != NULL)
        tree_free(&t);
    CHECK(tree_init(&t, limits, tick()) == 0);
}

static long look(struct tree_node *base, const char *path, struct tree_node **out)
{
    struct tree_node *ignored;
    return tree_lookup(base, path, strlen(path), out != NULL ? out : &ignored);
}

static struct tree_node *node_at(const char *path)
{
    struct tree_node *node = NULL;
    CHECKF(look(t.root, path, &node) == 0, "%s", path);
    return node;
}

static long mkdir_at(struct tree_node *base, const char *path)
{
    return tree_mkdir(&t, base, path, strlen(path), 0, TREE_OWNER_OF_DIR, tick());
}

static long create_at(struct tree_node *base, const char *path, uint32_t flags)
{
    struct tree_node *node;
    return tree_open(&t, base, path, strlen(path), flags | FS_O_CREATE, 0, TREE_OWNER_OF_DIR,
                     tick(), &node);
}

static long unlink_at(struct tree_node *base, const char *path)
{
    return tree_remove(&t, base, path, strlen(path), FS_TYPE_FILE, tick());
}

static long rmdir_at(struct tree_node *base, const char *path)
{
    return tree_remove(&t, base, path, strlen(path), FS_TYPE_DIR, tick());
}

static long rename_at(struct tree_node *from_base, const char *from, struct tree_node *to_base,
                      const char *to)
{
    return tree_rename(&t, from_base, from, strlen(from), to_base, to, strlen(to), tick());
}

static long write_text(struct tree_node *file, uint64_t offset, const char *text)
{
    return tree_write(&t, file, offset, text, strlen(text), tick());
}

/* The names of a directory's entries in readdir order, joined by spaces. */
static const char *listing(const struct tree_node *dir)
{
    static char text[1024];
    const struct tree_entry *e;
    size_t used = 0;
    text[0] = '\0';
    for (uint64_t i = 0; tree_readdir(dir, i, &e) == 0; i++)
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%.*s", i ? " " : "",
                                 (int)e->length, e->name);
    return text;
}

/* The bytes the tree should have charged for the subtree at node, counted afresh. */
static uint64_t recount(const struct tree_node *node)
{
    uint64_t bytes = TREE_NODE_COST + node->chunk_slots * sizeof(node->chunks[0]) +
                     node->capacity * sizeof(node->entries[0]);
    for (uint64_t i = 0; i < node->chunk_slots; i++)
        bytes += node->chunks[i] != NULL ? TREE_CHUNK : 0;
    for (uint64_t i = 0; i < node->count; i++)
        bytes += node->entries[i].length + recount(node->entries[i].node);
    return bytes;
}

/* The bytes the subtree at node should have charged to uid: its nodes' own, and their names. */
static uint64_t recount_user(const struct tree_node *node, uint32_t uid)
{
    uint64_t bytes = 0;
    if (node->uid == uid) {
        bytes = TREE_NODE_COST + node->chunk_slots * sizeof(node->chunks[0]) +
                node->capacity * sizeof(node->entries[0]);
        for (uint64_t i = 0; i < node->chunk_slots; i++)
            bytes += node->chunks[i] != NULL ? TREE_CHUNK : 0;
    }
    for (uint64_t i = 0; i < node->count; i++)
        bytes += (node->entries[i].node->uid == uid ? node->entries[i].length : 0) +
                 recount_user(node->entries[i].node, uid);
    return bytes;
}

/* Every owner's account, and the total, agree with a fresh count. */
static void check_accounts(const char *when)
{
    CHECKF(t.bytes_used == recount(t.root), "%s: total", when);
    for (size_t i = 0; i < TREE_USERS_MAX; i++) {
        const struct tree_user *u = &t.users[i];
        if (u->bytes != 0)
            CHECKF(u->bytes == recount_user(t.root, u->uid), "%s: uid %u", when, u->uid);
    }
}

/* A digest of everything a client can see below node: names, types, sizes, bytes. */
static uint64_t digest(const struct tree_node *node)
{
    uint64_t h = 1469598103934665603ull ^ node->type ^ node->size << 8;
    uint8_t buf[TREE_CHUNK];
    for (uint64_t at = 0; node->type == FS_TYPE_FILE && at < node->size; at += sizeof(buf)) {
        long n = tree_read(node, at, buf, sizeof(buf));
        for (long i = 0; i < n; i++)
            h = (h ^ buf[i]) * 1099511628211ull;
    }
    for (uint64_t i = 0; i < node->count; i++) {
        const struct tree_entry *e = &node->entries[i];
        for (uint32_t j = 0; j < e->length; j++)
            h = (h ^ (uint8_t)e->name[j]) * 1099511628211ull;
        h = (h ^ digest(e->node)) * 1099511628211ull;
    }
    return h;
}

static void test_paths(void)
{
    fresh(&roomy);
    CHECK(mkdir_at(t.root, "a") == 0);
    CHECK(mkdir_at(t.root, "a/b") == 0);
    CHECK(create_at(t.root, "a/b/f", FS_RIGHT_WRITE) == 0);
    struct tree_node *b = node_at("a/b"), *f = node_at("a/b/f"), *found;

    static const char *const same_b[] = {"a/b",      "/a/b",           "a/./b",
                                         "a//b/",    "./a/b/.",        "a/b/f/..",
                                         "a/../a/b", "nothere/../a/b", "a/b/c/d/../.."};
    for (size_t i = 0; i < sizeof(same_b) / sizeof(same_b[0]); i++)
        CHECKF(look(t.root, same_b[i], &found) == 0 && found == b, "%s", same_b[i]);
    CHECK(look(t.root, ".", &found) == 0 && found == t.root);
    CHECK(look(t.root, "/", &found) == 0 && found == t.root);

    /* ".." never climbs above the base, even to a name that exists there. */
    CHECK(look(t.root, "..", NULL) == -E_NOENT);
    CHECK(look(t.root, "a/../..", NULL) == -E_NOENT);
    CHECK(look(b, "..", NULL) == -E_NOENT);
    CHECK(look(b, "../b", NULL) == -E_NOENT);
    CHECK(look(b, "f/../../b/f", NULL) == -E_NOENT);
    CHECK(look(b, "/../a", NULL) == -E_NOENT);
    CHECK(look(b, "x/../f", &found) == 0 && found == f);
    CHECK(look(b, "/f", &found) == 0 && found == f);

    CHECK(look(t.root, "", NULL) == -E_INVAL);
    CHECK(tree_lookup(t.root, "a\0b", 3, &found) == -E_INVAL);
    CHECK(look(t.root, "a/b/f/g", NULL) == -E_NOTDIR);
    CHECK(look(t.root, "a/c", NULL) == -E_NOENT);

    char name[FS_NAME_MAX + 2];
    memset(name, 'n', sizeof(name));
    name[FS_NAME_MAX] = '\0';
    CHECK(create_at(t.root, name, 0) == 0);
    CHECK(look(t.root, name, NULL) == 0);
    name[FS_NAME_MAX] = 'n';
    name[FS_NAME_MAX + 1] = '\0';
    CHECK(create_at(t.root, name, 0) == -E_RANGE);

    static char long_path[FS_PATH_MAX + 2];
    for (size_t i = 0; i < FS_PATH_MAX + 2; i += 2)
        memcpy(long_path + i, "./", 2);
    CHECK(tree_lookup(t.root, long_path, FS_PATH_MAX, &found) == 0 && found == t.root);
    CHECK(tree_lookup(t.root, long_path, FS_PATH_MAX + 1, &found) == -E_RANGE);
}

static void test_open_flags(void)
{
    fresh(&roomy);
    struct tree_node *node, *again;
    CHECK(tree_setowner(&t, t.root, 42, 0700, tick()) == 0);
    CHECK(tree_open(&t, t.root, "f", 1, FS_O_CREATE, 0, TREE_OWNER_OF_DIR, tick(), &node) == 0);
    CHECK(node->type == FS_TYPE_FILE && node->uid == 42 && node->mode == FS_MODE_FILE_DEFAULT);
    CHECK(tree_open(&t, t.root, "f", 1, FS_O_CREATE, 0, TREE_OWNER_OF_DIR, tick(), &again) == 0 &&
          again == node);
    CHECK(tree_open(&t, t.root, "f", 1, FS_O_CREATE | FS_O_EXCL, 0, TREE_OWNER_OF_DIR, tick(),
                    &again) == -E_EXIST);
    CHECK(tree_open(&t, t.root, ".", 1, FS_O_CREATE | FS_O_EXCL, 0, TREE_OWNER_OF_DIR, tick(),
                    &again) == -E_EXIST);
    CHECK(tree_open(&t, t.root, "g", 1, 0, 0, TREE_OWNER_OF_DIR, tick(), &again) == -E_NOENT);
    CHECK(tree_open(&t, t.root, "g", 1, FS_O_CREATE | FS_O_DIRECTORY, 0, TREE_OWNER_OF_DIR, tick(),
                    &again) == -E_INVAL);
    CHECK(tree_open(&t, t.root, "f", 1, FS_O_DIRECTORY, 0, TREE_OWNER_OF_DIR, tick(), &again) ==
          -E_NOTDIR);
    CHECK(tree_open(&t, t.root, "h", 1, FS_O_CREATE, 0600, TREE_OWNER_OF_DIR, tick(), &again) ==
              0 &&
          again->mode == 0600);
    CHECK(tree_open(&t, t.root, "f/x", 3, FS_O_CREATE, 0, TREE_OWNER_OF_DIR, tick(), &again) ==
          -E_NOTDIR);

    CHECK(write_text(node, 0, "hello") == 5 && node->size == 5);
    uint64_t before = node->mtime;
    CHECK(tree_open(&t, t.root, "f", 1, FS_O_TRUNC, 0, TREE_OWNER_OF_DIR, tick(), &again) == 0 &&
          node->size == 0);
    CHECK(node->mtime > before);
    CHECK(tree_open(&t, t.root, ".", 1, FS_O_TRUNC, 0, TREE_OWNER_OF_DIR, tick(), &again) ==
          -E_ISDIR);

    CHECK(mkdir_at(t.root, "d") == 0);
    struct tree_node *d = node_at("d");
    CHECK(d->uid == 42 && d->mode == FS_MODE_DIR_DEFAULT && d->type == FS_TYPE_DIR);
    CHECK(tree_open(&t, t.root, "d", 1, FS_O_DIRECTORY, 0, TREE_OWNER_OF_DIR, tick(), &again) ==
              0 &&
          again == d);
    CHECK(mkdir_at(t.root, "d") == -E_EXIST);
    CHECK(mkdir_at(t.root, "f") == -E_EXIST);
    CHECK(mkdir_at(t.root, ".") == -E_EXIST);
    CHECK(mkdir_at(t.root, "x/y") == -E_NOENT);
    CHECK(tree_setowner(&t, d, 7, 010000, tick()) == -E_INVAL);
}

static void test_remove(void)
{
    fresh(&roomy);
    uint64_t empty_nodes = t.nodes_used;
    CHECK(mkdir_at(t.root, "d") == 0);
    CHECK(create_at(t.root, "d/f", 0) == 0);
    struct tree_node *d = node_at("d"), *f = node_at("d/f");

    CHECK(unlink_at(t.root, "d") == -E_ISDIR);
    CHECK(rmdir_at(t.root, "d/f") == -E_NOTDIR);
    CHECK(rmdir_at(t.root, "d") == -E_NOTEMPTY);
    CHECK(rmdir_at(t.root, ".") == -E_INVAL);
    CHECK(rmdir_at(d, ".") == -E_INVAL);
    CHECK(rmdir_at(d, "..") == -E_NOENT);
    CHECK(unlink_at(t.root, "d/g") == -E_NOENT);

    /* An open file outlives its name. */
    tree_hold(f);
    CHECK(write_text(f, 0, "still here") == 10);
    CHECK(unlink_at(d, "f") == 0);
    CHECK(look(t.root, "d/f", NULL) == -E_NOENT);
    char buf[16] = {0};
    CHECK(tree_read(f, 0, buf, sizeof(buf)) == 10 && memcmp(buf, "still here", 10) == 0);
    CHECK(t.nodes_used == empty_nodes + 2);
    tree_release(&t, f);
    CHECK(t.nodes_used == empty_nodes + 1);

    /* So does an open directory, but it takes no new names. */
    tree_hold(d);
    CHECK(rmdir_at(t.root, "d") == 0);
    CHECK(create_at(d, "new", 0) == -E_NOENT);
    CHECK(mkdir_at(d, "new") == -E_NOENT);
    CHECK(strcmp(listing(d), "") == 0);
    tree_release(&t, d);
    CHECK(t.nodes_used == empty_nodes);
    CHECK(t.bytes_used == recount(t.root));
}

static void test_rename(void)
{
    fresh(&roomy);
    CHECK(mkdir_at(t.root, "a") == 0 && mkdir_at(t.root, "b") == 0);
    CHECK(mkdir_at(t.root, "a/sub") == 0 && create_at(t.root, "a/sub/deep", 0) == 0);
    CHECK(create_at(t.root, "a/x", 0) == 0 && create_at(t.root, "b/y", 0) == 0);
    struct tree_node *a = node_at("a"), *b = node_at("b"), *x = node_at("a/x");
    struct tree_node *sub = node_at("a/sub");

    uint64_t before = b->mtime;
    CHECK(rename_at(a, "x", b, "x2") == 0);
    CHECK(node_at("b/x2") == x && look(t.root, "a/x", NULL) == -E_NOENT);
    CHECK(x->parent == b && b->mtime > before && x->ctime == b->mtime);
    CHECK(strcmp(listing(a), "sub") == 0 && strcmp(listing(b), "x2 y") == 0);

    /* Within one directory, in both directions of the sorted order. */
    CHECK(rename_at(b, "x2", b, "a0") == 0 && strcmp(listing(b), "a0 y") == 0);
    CHECK(rename_at(b, "a0", b, "z") == 0 && strcmp(listing(b), "y z") == 0);
    CHECK(rename_at(b, "z", b, "./z") == 0 && node_at("b/z") == x);

    /* Replacing: a file by a file, an empty directory by a directory. */
    uint64_t nodes = t.nodes_used;
    CHECK(rename_at(b, "z", b, "y") == 0 && node_at("b/y") == x && t.nodes_used == nodes - 1);
    CHECK(mkdir_at(t.root, "empty") == 0 && mkdir_at(t.root, "full") == 0);
    CHECK(create_at(t.root, "full/f", 0) == 0);
    CHECK(rename_at(t.root, "b/y", t.root, "empty") == -E_ISDIR);
    CHECK(rename_at(t.root, "empty", t.root, "b/y") == -E_NOTDIR);
    CHECK(rename_at(t.root, "b", t.root, "full") == -E_NOTEMPTY);
    CHECK(rename_at(t.root, "b", t.root, "empty") == 0 && node_at("empty") == b);
    CHECK(strcmp(listing(t.root), "a empty full") == 0);

    /* A directory never moves below itself; paths stay inside their bases. */
    CHECK(rename_at(t.root, "a", t.root, "a/sub/a") == -E_INVAL);
    CHECK(rename_at(t.root, "a", sub, "a") == -E_INVAL);
    CHECK(rename_at(t.root, "a", t.root, "a/a") == -E_INVAL);
    CHECK(rename_at(sub, "../x", t.root, "x") == -E_NOENT);
    CHECK(rename_at(sub, "deep", sub, "../deep") == -E_NOENT);
    CHECK(rename_at(t.root, "missing", t.root, "m") == -E_NOENT);
    CHECK(rename_at(t.root, ".", t.root, "m") == -E_INVAL);
    CHECK(rename_at(t.root, "a", t.root, "a/..") == -E_INVAL);
    CHECK(rename_at(t.root, "a", t.root, "nowhere/a") == -E_NOENT);
    CHECK(rename_at(t.root, "a/sub/deep", t.root, "a/sub/deep/x") == -E_NOTDIR);
    CHECK(rename_at(t.root, "a", t.root, "a") == 0 && node_at("a") == a);

    /* Into a removed directory: refused. */
    tree_hold(sub);
    CHECK(unlink_at(sub, "deep") == 0 && rmdir_at(a, "sub") == 0);
    CHECK(rename_at(t.root, "full/f", sub, "f") == -E_NOENT);
    tree_release(&t, sub);
    CHECK(t.bytes_used == recount(t.root));
}

static void test_big_files(void)
{
    fresh(&roomy);
    struct tree_node *f;
    CHECK(tree_open(&t, t.root, "big", 3, FS_O_CREATE, 0, TREE_OWNER_OF_DIR, tick(), &f) == 0);
    size_t size = 3 * MiB + 123;
    uint8_t *data = malloc(size), *back = malloc(size);
    for (size_t i = 0; i < size; i++)
        data[i] = (uint8_t)(i * 7 + (i >> 12) * 13);

    /* Odd-sized pieces that straddle chunk boundaries. */
    for (size_t at = 0; at < size;) {
        size_t n = at % 3 == 0 ? 5001 : 777;
        if (n > size - at)
            n = size - at;
        CHECK(tree_write(&t, f, at, data + at, n, tick()) == (long)n);
        at += n;
    }
    CHECK(f->size == size);
    memset(back, 0xEE, size);
    for (size_t at = 0; at < size; at += 65537)
        CHECK(tree_read(f, at, back + at, 65537) == (long)(size - at < 65537 ? size - at : 65537));
    CHECK(memcmp(data, back, size) == 0);
    CHECK(tree_read(f, size, back, 10) == 0 && tree_read(f, size + 100, back, 10) == 0);
    CHECK(tree_read(f, size - 3, back, 10) == 3);

    /* Shrinking zeroes what was cut off, so growing again reads zeros. */
    CHECK(tree_truncate(&t, f, 10000, tick()) == 0 && f->size == 10000);
    CHECK(tree_truncate(&t, f, 20000, tick()) == 0);
    CHECK(tree_read(f, 0, back, 20000) == 20000 && memcmp(back, data, 10000) == 0);
    size_t nonzero = 0;
    for (size_t i = 10000; i < 20000; i++)
        nonzero += back[i] != 0;
    CHECK(nonzero == 0);

    /* A hole far out costs no chunks. */
    uint64_t bytes = t.bytes_used;
    CHECK(write_text(f, 20 * MiB, "end") == 3 && f->size == 20 * MiB + 3);
    CHECK(t.bytes_used - bytes < 2 * TREE_CHUNK + (20 * MiB / TREE_CHUNK + 1) * sizeof(void *));
    CHECK(tree_read(f, 19 * MiB, back, 10) == 10 && back[0] == 0 && back[9] == 0);
    CHECK(tree_read(f, 20 * MiB, back, 10) == 3 && memcmp(back, "end", 3) == 0);
    CHECK(t.bytes_used == recount(t.root));
    CHECK(tree_truncate(&t, f, 0, tick()) == 0 && f->chunk_slots == 0);
    CHECK(t.bytes_used == recount(t.root));
    CHECK(tree_write(&t, t.root, 0, "x", 1, tick()) == -E_ISDIR);
    CHECK(tree_read(t.root, 0, back, 1) == -E_ISDIR);
    CHECK(tree_truncate(&t, t.root, 0, tick()) == -E_ISDIR);
    free(data);
    free(back);
}

static void test_readdir_order(void)
{
    fresh(&roomy);
    static const char *const names[] = {"m", "b", "zz", "a", "ab", "Z", "a.txt", "_", "0", "aa"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        CHECK(create_at(t.root, names[i], 0) == 0);
    CHECK(strcmp(listing(t.root), "0 Z _ a a.txt aa ab b m zz") == 0);
    CHECK(unlink_at(t.root, "a.txt") == 0 && mkdir_at(t.root, "c") == 0);
    CHECK(strcmp(listing(t.root), "0 Z _ a aa ab b c m zz") == 0);
    const struct tree_entry *e;
    CHECK(tree_readdir(t.root, 7, &e) == 0 && e->node->type == FS_TYPE_DIR);
    CHECK(tree_readdir(t.root, 10, &e) == -E_NOENT);
    CHECK(tree_readdir(node_at("a"), 0, &e) == -E_NOTDIR);

    /* Many entries: the array grows and stays sorted. */
    char name[16];
    for (int i = 999; i >= 0; i--) {
        snprintf(name, sizeof(name), "n%04d", i);
        CHECK(create_at(t.root, name, 0) == 0);
    }
    int out_of_order = 0;
    for (uint64_t i = 1; tree_readdir(t.root, i, &e) == 0; i++) {
        const struct tree_entry *prev = &t.root->entries[i - 1];
        out_of_order += name_compare(prev->name, prev->length, e->name, e->length) >= 0;
    }
    CHECK(out_of_order == 0 && t.root->count == 1010);
}

static void test_limits(void)
{
    struct tree_limits small = {256 * 1024, 8, 100000, 0};
    fresh(&small);
    uint64_t empty = t.bytes_used;
    char name[16];
    for (int i = 0; i < 7; i++) {
        snprintf(name, sizeof(name), "f%d", i);
        CHECK(create_at(t.root, name, 0) == 0);
    }
    CHECK(create_at(t.root, "one-too-many", 0) == -E_NOSPC);
    CHECK(mkdir_at(t.root, "d") == -E_NOSPC);

    struct tree_node *f = node_at("f0");
    static uint8_t data[200000];
    CHECK(tree_write(&t, f, 0, data, 100000, tick()) == 100000);
    CHECK(tree_write(&t, f, 100000, "x", 1, tick()) == -E_RANGE);
    CHECK(tree_write(&t, f, UINT64_MAX - 1, "xy", 2, tick()) == -E_RANGE);
    CHECK(tree_truncate(&t, f, 100001, tick()) == -E_RANGE);

    /* The byte budget: a write that does not fit changes nothing. */
    CHECK(tree_write(&t, node_at("f1"), 0, data, 100000, tick()) == 100000);
    uint64_t before = digest(t.root);
    CHECK(tree_write(&t, node_at("f2"), 0, data, 100000, tick()) == -E_NOSPC);
    CHECK(node_at("f2")->size == 0 && digest(t.root) == before);
    CHECK(t.bytes_used <= small.max_bytes && t.bytes_used == recount(t.root));

    /* Everything freed brings the count back to an empty tree. */
    for (int i = 0; i < 7; i++) {
        snprintf(name, sizeof(name), "f%d", i);
        CHECK(unlink_at(t.root, name) == 0);
    }
    CHECK(t.bytes_used == empty + t.root->capacity * sizeof(struct tree_entry));
    CHECK(t.nodes_used == 1);
}

/*
 * Runs `op` with the n-th allocation failing, for n = 0, 1, 2, ... until it
 * succeeds; each failure must be -E_NOMEM and leave the visible tree as it
 * was, with the accounting still exact.
 */
static void each_allocation_fails(const char *what, long (*op)(void))
{
    for (long n = 0;; n++) {
        uint64_t before = digest(t.root);
        alloc_countdown = n;
        long result = op();
        alloc_countdown = -1;
        CHECKF(t.bytes_used == recount(t.root), "%s, allocation %ld", what, n);
        if (result >= 0) {
            CHECKF(n > 0, "%s allocated nothing, so no failure was tried", what);
            return;
        }
        CHECKF(result == -E_NOMEM, "%s, allocation %ld: %ld", what, n, result);
        CHECKF(digest(t.root) == before, "%s, allocation %ld changed the tree", what, n);
        if (n > 100 || result != -E_NOMEM)
            return;
    }
}

static long op_create(void)
{
    return create_at(t.root, "d/new-file", 0);
}

static long op_mkdir(void)
{
    return mkdir_at(t.root, "d/new-dir");
}

static long op_write(void)
{
    static uint8_t data[5 * TREE_CHUNK];
    memset(data, 0x5A, sizeof(data));
    return tree_write(&t, node_at("d/new-file"), 3 * TREE_CHUNK - 5, data, sizeof(data), tick());
}

static long op_rename(void)
{
    return rename_at(t.root, "d/new-file", t.root, "moved-with-a-longer-name");
}

static void test_out_of_memory(void)
{
    fresh(&roomy);
    CHECK(mkdir_at(t.root, "d") == 0);
    char name[16];
    for (int i = 0; i < MIN_SLOTS; i++) { /* so the next name needs a bigger array */
        snprintf(name, sizeof(name), "d/%d", i);
        CHECK(create_at(t.root, name, 0) == 0);
    }
    each_allocation_fails("create", op_create);
    each_allocation_fails("mkdir", op_mkdir);
    each_allocation_fails("write", op_write);
    each_allocation_fails("rename", op_rename);
    CHECK(look(t.root, "moved-with-a-longer-name", NULL) == 0);

    struct tree other;
    alloc_countdown = 0;
    CHECK(tree_init(&other, &roomy, 0) == -E_NOMEM);
    alloc_countdown = -1;
    struct tree_limits no_nodes = {MiB, 0, MiB, 0};
    CHECK(tree_init(&other, &no_nodes, 0) == -E_NOSPC);
}

/* A new file made by owner in dir. */
static struct tree_node *create_owned(struct tree_node *dir, const char *name, uint32_t owner)
{
    struct tree_node *node = NULL;
    CHECKF(tree_open(&t, dir, name, strlen(name), FS_O_CREATE | FS_O_EXCL, 0, owner, tick(),
                     &node) == 0,
           "%s", name);
    return node;
}

/* Writes 4 KiB pieces until the tree refuses; returns the refusal. */
static long fill(struct tree_node *file)
{
    static uint8_t piece[TREE_CHUNK];
    memset(piece, 0x5A, sizeof(piece));
    for (;;) {
        long n = tree_write(&t, file, file->size, piece, sizeof(piece), tick());
        if (n < 0)
            return n;
    }
}

static void test_user_shares(void)
{
    const uint32_t alice = 1000, bob = 1001;
    static const struct tree_limits shared = {1 * MiB, 1000, 1 * MiB, 256 * 1024};
    fresh(&shared);
    CHECK(mkdir_at(t.root, "tmp") == 0);
    struct tree_node *tmp = node_at("tmp");
    CHECK(tmp->uid == 0);

    /* alice fills her share of a root-owned directory, and only hers. */
    struct tree_node *a = create_owned(tmp, "a", alice);
    CHECK(a->uid == alice);
    CHECK(fill(a) == -E_QUOTA);
    CHECK(tree_user_bytes(&t, alice) <= shared.max_user_bytes);
    CHECK(tree_user_bytes(&t, alice) > shared.max_user_bytes - TREE_CHUNK - 1024);
    struct tree_node *a2;
    long made = tree_open(&t, tmp, "a2", 2, FS_O_CREATE, 0, alice, tick(), &a2);
    CHECK(made == -E_QUOTA || (made == 0 && fill(a2) == -E_QUOTA));
    check_accounts("alice full");
    uint64_t alice_size = node_at("tmp/a")->size;

    /* bob still writes; root is held only by the total. */
    struct tree_node *b = create_owned(tmp, "b", bob);
    CHECK(tree_write(&t, b, 0, "bob", 3, tick()) == 3);
    struct tree_node *r = create_owned(tmp, "r", 0);
    CHECK(fill(r) == -E_NOSPC);
    CHECK(tree_user_bytes(&t, 0) == 0);
    check_accounts("disk full");
    CHECK(unlink_at(tmp, "r") == 0);

    /* A name is its node's owner's: a rename over bob's file moves the name to alice. */
    CHECK(rename_at(tmp, "a", tmp, "b") == 0);
    CHECK(node_at("tmp/b")->uid == alice && node_at("tmp/b")->size == alice_size);
    check_accounts("rename over");
    b = create_owned(tmp, "b2", bob);

    /* A change of owner moves the bytes, past the share if need be. */
    CHECK(tree_setowner(&t, node_at("tmp/b"), bob, 0644, tick()) == 0);
    CHECK(tree_user_bytes(&t, alice) == recount_user(t.root, alice));
    CHECK(tree_user_bytes(&t, bob) > shared.max_user_bytes - TREE_CHUNK - 1024);
    CHECK(tree_write(&t, b, 0, "more than one chunk's worth", 27, tick()) == -E_QUOTA);
    check_accounts("chown");

    /* Removing gives it all back. */
    CHECK(unlink_at(tmp, "b") == 0 && unlink_at(tmp, "b2") == 0);
    CHECK(made < 0 || unlink_at(tmp, "a2") == 0);
    CHECK(tree_user_bytes(&t, alice) == 0 && tree_user_bytes(&t, bob) == 0);
    check_accounts("removed");

    /* The owners counted at once are bounded; a freed account is reused. */
    char name[16];
    for (uint32_t uid = 1; uid <= TREE_USERS_MAX; uid++) {
        snprintf(name, sizeof(name), "u%u", uid);
        create_owned(tmp, name, uid);
    }
    struct tree_node *extra;
    CHECK(tree_open(&t, tmp, "one-too-many", 12, FS_O_CREATE, 0, 5000, tick(), &extra) == -E_QUOTA);
    CHECK(tree_setowner(&t, node_at("tmp/u1"), 5000, 0644, tick()) == -E_QUOTA);
    CHECK(node_at("tmp/u1")->uid == 1);
    CHECK(unlink_at(tmp, "u7") == 0);
    CHECK(tree_open(&t, tmp, "one-too-many", 12, FS_O_CREATE, 0, 5000, tick(), &extra) == 0);
    check_accounts("many owners");

    /* A tree without shares charges only the total, whoever the owner. */
    static const struct tree_limits unshared = {1 * MiB, 1000, 1 * MiB, 0};
    fresh(&unshared);
    a = create_owned(t.root, "a", alice);
    CHECK(fill(a) == -E_NOSPC);
    CHECK(tree_user_bytes(&t, alice) == 0);
}

int main(void)
{
    test_paths();
    test_open_flags();
    test_remove();
    test_rename();
    test_big_files();
    test_readdir_order();
    test_limits();
    test_user_shares();
    test_out_of_memory();
    tree_free(&t);
    return check_finish("ramdisk_tree_test");
}
