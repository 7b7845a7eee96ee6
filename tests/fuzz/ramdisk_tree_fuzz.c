/*
 * libFuzzer target for the ramdisk's tree (servers/ramdisk/tree.c): its
 * path resolution and every operation a client can reach through the
 * ramdisk's requests. Each input is a script, one command a line, with
 * words split at single spaces (a path may hold any other byte, NUL too):
 *
 *   o|c|x|T|D PATH    open: plain, create, create exclusive, truncate, directory
 *   m PATH            mkdir            u PATH   unlink     d PATH   rmdir
 *   r FROM TO         rename           l PATH   look up    e PATH I readdir
 *   w PATH OFF TEXT   write TEXT at OFF          t PATH SIZE  truncate
 *   s PATH MODE       set the mode (any bits) and an owner
 *
 * Each command that makes or owns a node takes its owner from a short
 * cycle (the directory's, root, and two users with shares).
 *   h PATH            hold PATH open and keep it as a base
 *   b N               resolve paths from held base N (0: the root)
 *   R                 release the last hold
 *
 * After every command the whole tree is checked: entries sorted, each
 * child's parent its directory, the memory and node counts recounted from
 * scratch equal to what the tree charged and within the limits, each
 * owner's account equal to a recount of what their nodes take, and the
 * bytes past each file's end zero. Each command checks its own result:
 * what was made can be looked up, what was removed cannot, a rename
 * moves the node, a write reads back, and no lookup from a base ever
 * reaches outside it (the ".." confinement). At the end everything is
 * released and freed, and LeakSanitizer sees that nothing is left.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "../../servers/ramdisk/tree.h"

#define HELD_MAX 8
#define WORDS_MAX 4

static const struct tree_limits limits = {200000, 48, 1u << 20, 60000};
static const uint32_t owners[] = {TREE_OWNER_OF_DIR, 0, 7, 9};
static struct tree t;
static struct tree_node *held[HELD_MAX];
static int held_count;
static uint64_t now;

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "ramdisk_tree_fuzz: %s\n", what);
        abort();
    }
}

/* The memory one node is charged for, without its name or its children. */
static uint64_t node_cost(const struct tree_node *n)
{
    uint64_t bytes = TREE_NODE_COST + n->chunk_slots * sizeof(n->chunks[0]) +
                     n->capacity * sizeof(n->entries[0]);
    for (uint64_t i = 0; i < n->chunk_slots; i++)
        if (n->chunks[i] != NULL)
            bytes += TREE_CHUNK;
    return bytes;
}

/* The bytes past the end of a file must read as zero wherever they are stored. */
static void check_file(const struct tree_node *n)
{
    for (uint64_t i = n->size / TREE_CHUNK; i < n->chunk_slots; i++) {
        if (n->chunks[i] == NULL)
            continue;
        uint64_t from = i == n->size / TREE_CHUNK ? n->size % TREE_CHUNK : 0;
        for (uint64_t b = from; b < TREE_CHUNK; b++)
            require(n->chunks[i][b] == 0, "a byte past the end of a file is not zero");
    }
}

/* Checks the subtree at n; adds its memory and node count to *bytes and *nodes. */
static void check_subtree(const struct tree_node *n, uint64_t *bytes, uint64_t *nodes)
{
    require(n->linked, "a node in the tree is not linked");
    require(n->type == FS_TYPE_FILE || n->type == FS_TYPE_DIR, "a node of no type");
    require((n->mode & ~FS_MODE_MASK) == 0, "mode bits outside FS_MODE_MASK");
    *bytes += node_cost(n);
    *nodes += 1;
    if (n->type == FS_TYPE_FILE) {
        require(n->count == 0, "a file with entries");
        check_file(n);
        return;
    }
    require(n->chunk_slots == 0 && n->size == 0, "a directory with data");
    require(n->count <= n->capacity, "more entries than room");
    for (uint64_t i = 0; i < n->count; i++) {
        const struct tree_entry *e = &n->entries[i];
        require(e->length >= 1 && e->length <= FS_NAME_MAX, "a name's length");
        require(memchr(e->name, '/', e->length) == NULL && memchr(e->name, 0, e->length) == NULL,
                "a name holding '/' or NUL");
        require(!(e->length == 1 && e->name[0] == '.') &&
                    !(e->length == 2 && e->name[0] == '.' && e->name[1] == '.'),
                "a name that is . or ..");
        if (i > 0) {
            const struct tree_entry *p = &n->entries[i - 1];
            size_t m = p->length < e->length ? p->length : e->length;
            int c = memcmp(p->name, e->name, m);
            require(c < 0 || (c == 0 && p->length < e->length), "entries out of order");
        }
        require(e->node->parent == n, "a child's parent is not its directory");
        *bytes += e->length;
        check_subtree(e->node, bytes, nodes);
    }
}

/* What the subtree at n takes that is uid's: nodes, tables, chunks and names. */
static uint64_t owned_bytes(const struct tree_node *n, uint32_t uid)
{
    uint64_t bytes = n->uid == uid ? node_cost(n) : 0;
    for (uint64_t i = 0; i < n->count; i++) {
        const struct tree_entry *e = &n->entries[i];
        bytes += (e->node->uid == uid ? e->length : 0) + owned_bytes(e->node, uid);
    }
    return bytes;
}

/* Every owner's account equals what is theirs, linked or held. */
static void check_accounts(void)
{
    for (size_t i = 0; i < TREE_USERS_MAX; i++) {
        const struct tree_user *u = &t.users[i];
        if (u->bytes == 0)
            continue;
        require(u->uid != 0, "root has an account");
        uint64_t bytes = owned_bytes(t.root, u->uid);
        for (int h = 0; h < held_count; h++) {
            int first = 1;
            for (int j = 0; j < h; j++)
                first &= held[j] != held[h];
            if (first && !held[h]->linked && held[h]->uid == u->uid)
                bytes += node_cost(held[h]);
        }
        require(u->bytes == bytes, "an owner's account differs from a recount");
    }
    for (uint32_t k = 2; k < sizeof(owners) / sizeof(owners[0]); k++)
        require(tree_user_bytes(&t, owners[k]) != 0 || owned_bytes(t.root, owners[k]) == 0,
                "a user's bytes not counted");
}

static void check_tree(void)
{
    uint64_t bytes = 0, nodes = 0;
    require(t.root->parent == NULL, "the root has a parent");
    check_subtree(t.root, &bytes, &nodes);
    /* Held nodes that were removed are still charged; count each once. */
    for (int i = 0; i < held_count; i++) {
        int first = 1;
        for (int j = 0; j < i; j++)
            first &= held[j] != held[i];
        if (first && !held[i]->linked) {
            require(held[i]->parent == NULL && held[i]->count == 0, "a removed node kept links");
            if (held[i]->type == FS_TYPE_FILE)
                check_file(held[i]);
            bytes += node_cost(held[i]);
            nodes += 1;
        }
    }
    require(bytes == t.bytes_used, "the memory charged differs from a recount");
    require(nodes == t.nodes_used, "the node count differs from a recount");
    require(t.bytes_used <= limits.max_bytes && t.nodes_used <= limits.max_nodes,
            "over the limits");
    check_accounts();
}

/* A lookup from base must end at base or below it. */
static long look(struct tree_node *base, const char *path, size_t length, struct tree_node **out)
{
    long r = tree_lookup(base, path, length, out);
    require(r == 0 || r == -E_NOENT || r == -E_NOTDIR || r == -E_INVAL || r == -E_RANGE,
            "tree_lookup: undocumented error");
    if (r == 0) {
        const struct tree_node *n = *out;
        while (n != NULL && n != base)
            n = n->parent;
        require(n == base, "a lookup left its base");
    }
    return r;
}

/* A decimal number, saturating at UINT64_MAX; 0 for anything else. */
static uint64_t number(const char *w, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && w[i] >= '0' && w[i] <= '9'; i++)
        v = v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : v * 10 + (uint64_t)(w[i] - '0');
    return v;
}

static void release_last(void)
{
    tree_release(&t, held[--held_count]);
}

/* Runs one command: word[0] is its letter, word[1..] its arguments. */
static void run(char op, struct tree_node *base, const char *const *word, const size_t *len,
                int words)
{
    struct tree_node *node = NULL, *again = NULL;
    static uint8_t buf[4096];
    long r;
    now++;
    if (op == 'R') {
        if (held_count > 0)
            release_last();
        return;
    }
    if (words < 2)
        return;
    const char *p = word[1];
    size_t n = len[1];
    switch (op) {
    case 'o':
    case 'c':
    case 'x':
    case 'T':
    case 'D': {
        uint32_t flags = op == 'c'   ? FS_O_CREATE
                         : op == 'x' ? FS_O_CREATE | FS_O_EXCL
                         : op == 'T' ? FS_O_TRUNC
                         : op == 'D' ? FS_O_DIRECTORY
                                     : 0;
        uint32_t owner = owners[now % 4];
        r = tree_open(&t, base, p, n, flags, 0, owner, now, &node);
        if (r == 0) {
            require(look(base, p, n, &again) == 0 && again == node, "opened, yet not found");
            require(op != 'D' || node->type == FS_TYPE_DIR, "FS_O_DIRECTORY gave a file");
            require(op != 'T' || node->size == 0, "FS_O_TRUNC left bytes");
            require(node->uid == owner || owner == TREE_OWNER_OF_DIR || again != node ||
                        !(flags & FS_O_EXCL),
                    "a new node's owner");
        }
        break;
    }
    case 'm':
        if (tree_mkdir(&t, base, p, n, 0, owners[now % 4], now) == 0)
            require(look(base, p, n, &node) == 0 && node->type == FS_TYPE_DIR && node->count == 0,
                    "made a directory, yet not found");
        break;
    case 'u':
    case 'd':
        if (tree_remove(&t, base, p, n, op == 'u' ? FS_TYPE_FILE : FS_TYPE_DIR, now) == 0)
            require(look(base, p, n, &node) == -E_NOENT, "removed, yet still there");
        break;
    case 'r':
        if (words < 3)
            break;
        if (look(base, p, n, &node) != 0)
            node = NULL;
        if (tree_rename(&t, base, p, n, base, word[2], len[2], now) == 0)
            require(node != NULL && look(base, word[2], len[2], &again) == 0 && again == node,
                    "renamed, yet the new name is not the node");
        break;
    case 'l':
        look(base, p, n, &node);
        break;
    case 'e':
        if (look(base, p, n, &node) == 0 && words >= 3) {
            const struct tree_entry *e;
            uint64_t i = number(word[2], len[2]);
            r = tree_readdir(node, i, &e);
            require(r == 0 ? i < node->count && e == &node->entries[i]
                           : r == -E_NOENT || r == -E_NOTDIR,
                    "tree_readdir");
        }
        break;
    case 'w':
        if (words >= 4 && look(base, p, n, &node) == 0) {
            uint64_t offset = number(word[2], len[2]), size = node->size;
            r = tree_write(&t, node, offset, word[3], len[3], now);
            if (r < 0) {
                require(node->size == size, "a failed write changed the size");
                break;
            }
            require((size_t)r == len[3], "a short write");
            if (len[3] > 0 && len[3] <= sizeof(buf)) {
                require(node->size >= offset + len[3], "a write did not grow the file");
                require(tree_read(node, offset, buf, len[3]) == r &&
                            memcmp(buf, word[3], len[3]) == 0,
                        "a write does not read back");
            }
        }
        break;
    case 't':
        if (words >= 3 && look(base, p, n, &node) == 0) {
            uint64_t size = number(word[2], len[2]);
            r = tree_truncate(&t, node, size, now);
            if (r == 0) {
                require(node->size == size, "truncate gave another size");
                require(size == 0 || (tree_read(node, size - 1, buf, 2) == 1),
                        "the last byte after truncate");
            }
        }
        break;
    case 's':
        if (words >= 3 && look(base, p, n, &node) == 0) {
            uint32_t mode = (uint32_t)number(word[2], len[2]);
            uint32_t uid = owners[1 + now % 3];
            r = tree_setowner(&t, node, uid, mode, now);
            require(r == 0 ? node->mode == mode && node->uid == uid : r == -E_INVAL,
                    "tree_setowner");
        }
        break;
    case 'h':
        if (held_count < HELD_MAX && look(base, p, n, &node) == 0) {
            tree_hold(node);
            held[held_count++] = node;
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    require(tree_init(&t, &limits, now) == 0, "tree_init");
    held_count = 0;
    struct tree_node *base = t.root;
    for (size_t at = 0; at < size;) {
        const uint8_t *eol = memchr(data + at, '\n', size - at);
        size_t n = eol != NULL ? (size_t)(eol - (data + at)) : size - at;
        /* The line in a buffer of its own, so ASan sees any read past a word. */
        char *line = malloc(n ? n : 1);
        if (line == NULL)
            break;
        memcpy(line, data + at, n);
        at += n + 1;

        const char *word[WORDS_MAX];
        size_t len[WORDS_MAX];
        int words = 0;
        for (size_t i = 0; i <= n && words < WORDS_MAX;) {
            size_t j = i;
            /* The last word a command can take runs to the end of the line. */
            while (j < n && (line[j] != ' ' || words == WORDS_MAX - 1))
                j++;
            word[words] = line + i;
            len[words++] = j - i;
            i = j + 1;
        }
        if (n > 0) {
            if (line[0] == 'b' && words >= 2) {
                uint64_t k = number(word[1], len[1]);
                base = k == 0 || k > (uint64_t)held_count ? t.root : held[k - 1];
            } else {
                run(line[0], base, word, len, words);
                /* A release may have dropped the base's last hold. */
                int still = base == t.root;
                for (int i = 0; i < held_count; i++)
                    still |= held[i] == base;
                if (!still)
                    base = t.root;
            }
            check_tree();
        }
        free(line);
    }
    while (held_count > 0)
        release_last();
    tree_free(&t);
    return 0;
}
