/*
 * libFuzzer target for the vfs's request handling (servers/vfs/main.c,
 * with mount.c, lib/libc/path.c and the file client lib/libc/fs.c): its
 * real main and ipc_serve loop run over the host stubs of
 * server_stubs.c, which play the kernel and the clients, and this file
 * plays the file servers behind the mounts (stub_peer). Each input is a
 * script, every field read from the next bytes (missing bytes read as 0):
 *
 *   setup     a byte: bit 0 set, handle 4 (the TCP/IP server, /net) is
 *             there; else the vfs has handles 1-3 only
 *   then records, one message each:
 *   op        op & 15: 0-13 a request, 14-15 the kernel says a badge is
 *             closed (a minted one, or a random one if op & 0x80)
 *   tag       tag % 11: NS_OPEN..NS_CLOSE (9), IPC_TAG_CLOSED sent by a
 *             client (refused), or 10: a random 64-bit tag follows
 *   sender    pid 1 + (sender & 3); badge by (sender >> 2) & 3: 0 none
 *             (the root namespace), 1 and 2 one the vfs minted (a byte
 *             picks which), 3 a random 32 bits
 *   w0        8 raw bytes if op & 0x80, else mode (2 bytes) and flags (a
 *             byte) of a path word whose length is the text's
 *   text      if op & 0x40: a byte, its low 6 bits pick a dictionary
 *             entry (paths and NS_DERIVE mount lists); its top two bits,
 *             if 1 or 2, join a second one (a byte picks it) after a
 *             '\n' (a longer mount list) or a NUL (a rename); in w1..w3,
 *             or in a region when it is longer
 *   w1..w3    else if op & 0x08: 24 raw bytes
 *   region    if op & 0x20 (and no text in one): 1 + a byte % 4 pages,
 *             the first byte % 64 + 1 bytes of it from the script
 *   handles   if op & 0x10: a byte, n % 5 handles moved with it
 *
 * Each call the vfs makes to a file server reads its answer from the
 * script too (see fs_answer): success, an error, the server gone, or
 * replies that break the protocol (too many handles, a name too long, a
 * region where none belongs).
 *
 * Every reply to a client is checked by the stubs. Every path the vfs
 * forwards is "." or a relative normal path inside the mount's directory
 * (no "..", ".", empty components or leading '/'); FS_SESSION_OWNER goes
 * only to the mounts of an NS_DERIVE from the root namespace, with the
 * owner it named. Between requests the
 * vfs holds no minted handle, region or saved reply; every handle it
 * received and kept is the directory of one mount of a derived
 * namespace, so none leaks; each table stays within NS_MOUNT_MAX; each
 * session's member count is its live namespaces and it takes at most
 * NS_SESSION_MAX slots, its kept slot when closed included. At the end
 * the kernel says every badge the vfs minted is closed; then only the
 * root namespace may be left, as it started, and nothing held.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_stubs.h"

/* The server itself, with its main renamed so this file has its own. */
#define main vfs_server_main
#include "../../servers/vfs/main.c"
#undef main

static const uint64_t fuzz_tags[] = {NS_OPEN,  NS_STAT,   NS_READDIR, NS_MKDIR, NS_UNLINK,
                                     NS_RMDIR, NS_RENAME, NS_DERIVE,  NS_CLOSE, IPC_TAG_CLOSED};
#define FUZZ_TAGS (sizeof(fuzz_tags) / sizeof(fuzz_tags[0]))

static const char *const fuzz_texts[] = {
    "/",
    "/net",
    "/a",
    "/a/b",
    "a/../b",
    "/home/alice",
    "..",
    "/x/./y//",
    "/net/tcp/h:70",
    "/home/alice/documents/letters/2026",
    "/=/:rw",
    "/=/:ro",
    "/a=/a:rw",
    "/b=/a/b:ro",
    "/net=/net:rw",
    "/home/alice=/home/alice:rw",
    "/x=/:rx",
    "/=/net:ro",
    "/a/b/c/d/e/f/g/h/i/j/k=/home/alice/a/b/c:rw",
    "/a=/:rw\n/a/b=/:ro",
};
#define FUZZ_TEXTS (sizeof(fuzz_texts) / sizeof(fuzz_texts[0]))

static const long fs_errors[] = {-E_NOENT, -E_PERM, -E_NOTDIR, -E_ISDIR,
                                 -E_EXIST, -E_BUSY, -E_NOSPC,  -E_INVAL};
#define FS_ERRORS (sizeof(fs_errors) / sizeof(fs_errors[0]))

static bool net_present; /* the setup byte: handle 4 is the TCP/IP server */

static uint32_t fuzz_badge(struct stub_script *s, unsigned choice)
{
    switch (choice & 3) {
    case 0:
        return 0;
    case 3:
        return (uint32_t)stub_take(s, 4);
    default:
        return stub_take_minted(s);
    }
}

/* --- the file servers behind the mounts --- */

/* Whether bytes[0..length) is "." (if dot_ok) or a relative normal path: a/b, never a/../b. */
static bool relative_normal(const char *bytes, size_t length, bool dot_ok)
{
    if (length == 0 || memchr(bytes, '\0', length) != NULL)
        return false;
    if (length == 1 && bytes[0] == '.')
        return dot_ok;
    for (size_t at = 0; at <= length;) {
        const char *slash = memchr(bytes + at, '/', length - at);
        size_t end = slash != NULL ? (size_t)(slash - bytes) : length;
        size_t n = end - at;
        if (n == 0 || (n == 1 && bytes[at] == '.') ||
            (n == 2 && bytes[at] == '.' && bytes[at + 1] == '.'))
            return false;
        at = end + 1;
    }
    return true;
}

/* The bytes a request to a file server carries: inline from word `first`, or in its region. */
static const char *sent_bytes(const struct stub_sent *sent, unsigned first, size_t room,
                              size_t length)
{
    if (length <= room)
        return (const char *)&sent->msg->w[first];
    stub_require(sent->region != NULL && sent->region_length >= length,
                 "the vfs sent a long path without its region");
    return (const char *)sent->region;
}

/* The client's request being served, for what the vfs may ask a file server because of it. */
static struct stub_message fuzz_request;

/* What the vfs asks a file server must be a request it may make, on paths inside the mount. */
static void check_fs_request(const struct stub_sent *sent)
{
    const struct ipc_msg *m = sent->msg;
    stub_require(sent->call, "the vfs sent a file server a one-way message");
    stub_require(sent->handles == 0, "the vfs sent a file server handles");
    switch (m->tag) {
    case FS_OPEN:
    case FS_MKDIR:
    case FS_UNLINK:
    case FS_RMDIR: {
        size_t length = FS_PATH_LENGTH(m->w[0]);
        stub_require(length >= 1 && length <= FS_PATH_MAX, "a forwarded path of a bad length");
        const char *path = sent_bytes(sent, 1, FS_INLINE, length);
        stub_require(relative_normal(path, length, m->tag == FS_OPEN),
                     "a forwarded path is not a normal path inside its mount");
        break;
    }
    case FS_RENAME: {
        size_t length = m->w[0];
        stub_require(length >= 3 && length <= 2 * FS_PATH_MAX + 1, "a rename of a bad length");
        const char *both = sent_bytes(sent, 2, FS_RENAME_INLINE, length);
        const char *nul = memchr(both, '\0', length);
        stub_require(nul != NULL, "a rename without its two paths");
        size_t first = (size_t)(nul - both);
        stub_require(relative_normal(both, first, false) &&
                         relative_normal(nul + 1, length - first - 1, false),
                     "a renamed path is not a normal path inside its mount");
        break;
    }
    case FS_SESSION_OWNER: {
        /* Only for an NS_DERIVE from the root namespace that names the owner. */
        uint32_t badge = IPC_SENDER_BADGE(fuzz_request.sender);
        stub_require(fuzz_request.msg.tag == NS_DERIVE && (badge == 0 || badge == NS_ROOT_BADGE) &&
                         NS_DERIVE_OWNER_OF(fuzz_request.msg.w[0]) == m->w[0] + 1,
                     "a file server told an owner nobody entitled to it named");
        stub_require(sent->region == NULL, "a word-only request to a file server with a region");
        break;
    }
    case FS_STAT:
    case FS_READDIR:
    case FS_TOKEN:
    case FS_CLOSE:
        stub_require(sent->region == NULL, "a word-only request to a file server with a region");
        break;
    default:
        stub_require(false, "the vfs sent a file server a request it has no business sending");
    }
}

/*
 * The file server's answer, from the script's next byte `how`: how & 7
 * is 0-4 success, 5 an error, 6 the server gone (the call fails), 7
 * success with random words. Then 0x08: an FS_OPEN gives a byte % 5
 * handles instead of one; 0x10: a directory entry's name may be longer
 * than FS_NAME_MAX; 0x20: a long name comes without its region; 0x40: a
 * stray region comes with any success; 0x80: a stray handle too.
 */
static long fs_answer(void *arg, const struct stub_sent *sent, struct stub_message *reply)
{
    struct stub_script *s = arg;
    static uint8_t name[FS_NAME_MAX + 256];
    check_fs_request(sent);
    uint8_t how = (uint8_t)stub_take(s, 1);
    switch (how & 7) {
    case 5:
        reply->msg.tag = (uint64_t)fs_errors[stub_take(s, 1) % FS_ERRORS];
        return 0;
    case 6:
        return -E_CLOSED;
    case 7:
        for (int i = 0; i < 4; i++)
            reply->msg.w[i] = stub_take(s, 8);
        break;
    }
    switch (sent->msg->tag) {
    case FS_OPEN:
        reply->handles = how & 0x08 ? (uint32_t)(stub_take(s, 1) % (IPC_MAX_HANDLES + 1)) : 1;
        break;
    case FS_STAT:
        reply->msg.w[0] = stub_take(s, 2);
        reply->msg.w[1] = stub_take(s, 8);
        break;
    case FS_READDIR: {
        size_t length = (size_t)stub_take(s, 1) + (how & 0x10 ? 200 : 0);
        reply->msg.w[0] = length | (uint64_t)(stub_take(s, 1) % 3) << 32;
        for (size_t i = 0; i < length; i++)
            name[i] = (uint8_t)('a' + i % 26);
        if (length <= FS_INLINE) {
            memcpy(&reply->msg.w[1], name, length);
        } else if (!(how & 0x20)) {
            reply->region_length = STUB_PAGE;
            reply->region_data = name;
            reply->region_data_length = length;
        }
        break;
    }
    case FS_TOKEN:
        reply->msg.w[0] = stub_take(s, 8);
        break;
    }
    if ((how & 0x40) && reply->region_length == 0)
        reply->region_length = (1 + stub_take(s, 1) % 2) * STUB_PAGE;
    if ((how & 0x80) && reply->handles < IPC_MAX_HANDLES)
        reply->handles++;
    return 0;
}

/* --- the vfs's tables against each other and the stubs --- */

static bool in_table(const struct namespace *ns)
{
    for (int i = 0; i < NAMESPACES_MAX; i++)
        if (spaces[i] == ns)
            return ns != NULL;
    return false;
}

/* The root namespace, as main made it: "/" on handle 2 and, with handle 4, "/net" on it. */
static void check_root(const struct namespace *root)
{
    stub_require(root != NULL && root->session == NULL && !root->closed,
                 "the root namespace is gone or changed");
    const struct mount_table *t = &root->table;
    stub_require(t->count == (net_present ? 2 : 1) && strcmp(t->mounts[0].path, "/") == 0 &&
                     t->mounts[0].dir == HANDLE_ROOT,
                 "the root namespace's mounts changed");
    stub_require(!net_present ||
                     (strcmp(t->mounts[1].path, "/net") == 0 && t->mounts[1].dir == HANDLE_NET),
                 "the root namespace's /net changed");
}

static void check_tables(void)
{
    stub_require(stub_held(STUB_MINTED) == 0, "a minted handle was neither sent nor closed");
    stub_require(stub_held(STUB_REGION) == 0, "a region is still held between requests");
    stub_require(stub_held(STUB_REPLY) == 0, "a reply right is still held");
    check_root(namespace_find(NS_ROOT_BADGE));
    size_t dirs = 0;
    for (int i = 0; i < NAMESPACES_MAX; i++) {
        const struct namespace *ns = spaces[i];
        if (ns == NULL)
            continue;
        stub_require(ns->badge >= NS_ROOT_BADGE && ns->badge < next_badge,
                     "a namespace with a badge never handed out");
        for (int j = 0; j < i; j++)
            stub_require(spaces[j] == NULL || spaces[j]->badge != ns->badge,
                         "two namespaces with one badge");
        const struct mount_table *t = &ns->table;
        stub_require(t->count >= 0 && t->count <= NS_MOUNT_MAX, "a mount table past NS_MOUNT_MAX");
        if (ns->badge == NS_ROOT_BADGE)
            continue;
        const struct namespace *session = ns->session;
        stub_require(in_table(session) && session->session == session,
                     "a derived namespace of no session in the table");
        stub_require(!ns->closed || (ns == session && t->count == 0 && ns->members >= 1),
                     "a closed namespace that is not a session kept for its members");
        for (int m = 0; m < t->count; m++) {
            uint32_t dir = t->mounts[m].dir;
            stub_require(stub_handle_kind(dir) == STUB_RECEIVED,
                         "a derived mount's directory is no handle the vfs received");
            stub_require((t->mounts[m].rights & ~(uint32_t)(FS_RIGHT_READ | FS_RIGHT_WRITE)) == 0,
                         "a derived mount with rights beyond read and write");
            for (int k = 0; k < NAMESPACES_MAX; k++)
                for (int n = 0; spaces[k] != NULL && n < spaces[k]->table.count; n++)
                    stub_require((k == i && n == m) || spaces[k]->table.mounts[n].dir != dir,
                                 "two mounts share a directory handle");
        }
        dirs += (size_t)t->count;
        if (session != ns)
            continue;
        int members = 0, slots = 0;
        for (int k = 0; k < NAMESPACES_MAX; k++) {
            if (spaces[k] == NULL || spaces[k]->session != ns)
                continue;
            slots++;
            members += !spaces[k]->closed;
        }
        stub_require(ns->members == members, "a session's count is not its live namespaces");
        stub_require(slots <= NS_SESSION_MAX, "a session takes more than NS_SESSION_MAX slots");
    }
    stub_require(stub_held(STUB_RECEIVED) == dirs,
                 "a handle the vfs received is neither a mount's directory nor closed");
}

/* --- the clients --- */

/* The text of a record: one dictionary entry, or two joined by '\n' or a NUL. */
static size_t fuzz_text(struct stub_script *s, char *out)
{
    uint8_t pick = (uint8_t)stub_take(s, 1);
    const char *first = fuzz_texts[(pick & 0x3F) % FUZZ_TEXTS];
    size_t length = strlen(first);
    memcpy(out, first, length);
    unsigned join = pick >> 6;
    if (join == 1 || join == 2) {
        const char *second = fuzz_texts[stub_take(s, 1) % FUZZ_TEXTS];
        out[length++] = join == 1 ? '\n' : '\0';
        memcpy(out + length, second, strlen(second));
        length += strlen(second);
    }
    return length;
}

static bool fuzz_next_message(void *arg, struct stub_message *m);

/* The stubs' script, with each message kept as the request being served. */
static bool fuzz_next(void *arg, struct stub_message *m)
{
    bool more = fuzz_next_message(arg, m);
    fuzz_request = *m;
    return more;
}

/* The input's records, then a close for every minted badge. */
static bool fuzz_next_message(void *arg, struct stub_message *m)
{
    struct stub_script *s = arg;
    static char text[128];
    check_tables();
    *m = (struct stub_message){0};
    if (s->at < s->size) {
        uint8_t op = (uint8_t)stub_take(s, 1);
        if ((op & 15) >= 14) {
            m->msg.tag = IPC_TAG_CLOSED;
            m->sender = (uint64_t)fuzz_badge(s, op & 0x80 ? 3 : 2) << 32;
            return true;
        }
        uint8_t tag = (uint8_t)stub_take(s, 1) % (FUZZ_TAGS + 1);
        m->msg.tag = tag < FUZZ_TAGS ? fuzz_tags[tag] : stub_take(s, 8);
        uint8_t sender = (uint8_t)stub_take(s, 1);
        m->sender = (1u + (sender & 3)) | (uint64_t)fuzz_badge(s, sender >> 2) << 32;
        if (op & 0x80) {
            m->msg.w[0] = stub_take(s, 8);
        } else {
            uint32_t mode = (uint32_t)stub_take(s, 2);
            uint32_t flags = (uint32_t)stub_take(s, 1);
            m->msg.w[0] = FS_PATH_WORD(0, mode, flags);
        }
        if (op & 0x40) {
            size_t length = fuzz_text(s, text);
            if (!(op & 0x80))
                m->msg.w[0] |= length;
            if (length <= FS_INLINE) {
                memcpy(&m->msg.w[1], text, length);
            } else {
                m->region_length = STUB_PAGE;
                m->region_data = (const uint8_t *)text;
                m->region_data_length = length;
            }
        } else if (op & 0x08) {
            for (int i = 1; i < 4; i++)
                m->msg.w[i] = stub_take(s, 8);
        }
        if ((op & 0x20) && m->region_length == 0) {
            m->region_length = (1 + stub_take(s, 1) % 4) * STUB_PAGE;
            size_t want = (size_t)stub_take(s, 1) % 64 + 1;
            size_t have = s->size - s->at;
            m->region_data = s->data + s->at;
            m->region_data_length = want < have ? want : have;
            s->at += m->region_data_length;
        }
        if (op & 0x10)
            m->handles = (uint32_t)(stub_take(s, 1) % (IPC_MAX_HANDLES + 1));
        m->call = m->msg.tag < IPC_TAG_KERNEL;
        return true;
    }
    return stub_next_close(s, m);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    stub_quiet();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct stub_script script = {.data = data, .size = size};
    net_present = stub_take(&script, 1) & 1;

    /* Each run starts from a fresh server, so an input means the same every time. */
    memset(spaces, 0, sizeof(spaces));
    next_badge = NS_ROOT_BADGE;

    stub_begin(fuzz_next, &script);
    stub_own(net_present ? HANDLE_NET : HANDLE_MINT, HANDLE_MINT);
    stub_peer(fs_answer, &script);
    stub_require(vfs_server_main() == 0, "the server stopped with an error");
    struct namespace *root = namespace_find(NS_ROOT_BADGE);
    check_root(root);
    for (int i = 0; i < NAMESPACES_MAX; i++)
        stub_require(spaces[i] == NULL || spaces[i] == root, "a namespace outlived all its badges");
    for (int kind = STUB_RECEIVED; kind < STUB_KINDS; kind++)
        stub_require(stub_held((enum stub_kind)kind) == 0, "the server holds something at the end");
    namespace_remove(root);
    free(root);
    stub_end();
    return 0;
}
