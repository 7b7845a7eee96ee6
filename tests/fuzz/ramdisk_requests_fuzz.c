/*
 * libFuzzer target for the ramdisk's request handling (servers/ramdisk/
 * main.c, with objects.c and tree.c): its real main and ipc_serve loop
 * run over the host stubs of server_stubs.c, which play the kernel and
 * the clients. Each input is a script of records, one message each,
 * every field read from the next bytes (missing bytes read as 0):
 *
 *   op        op & 15: 0-13 a request, 14-15 the kernel says a badge is
 *             closed (a minted one, or a random one if op & 0x80)
 *   tag       tag % 15: FS_OPEN..FS_SETOWNER (13), IPC_TAG_CLOSED sent
 *             by a client (refused), or 14: a random 64-bit tag follows
 *   sender    pid 1 + (sender & 3); badge by (sender >> 2) & 3: 0 none
 *             (the root, as init and the vfs hold it), 1 and 2 one the
 *             server minted (a byte picks which), 3 a random 32 bits
 *   w0        if op & 0x80 a path word: length (a byte % 40), mode (2
 *             bytes), flags (2 bytes); else 8 raw bytes
 *   w1..w3    if op & 0x40 a path from a small dictionary, else if op &
 *             0x08 24 raw bytes, else zero
 *   region    if op & 0x20: 2 bytes, 1 + n % 300 pages moved with it,
 *             the first byte % 64 + 1 bytes of it from the script
 *   handles   if op & 0x10: a byte, n % 5 handles moved with it
 *
 * Every reply is checked by the stubs. Between requests the server holds
 * no received or minted handle, no region and no saved reply, and the
 * tree stays within its byte limit. At the end the kernel says every
 * badge the server minted is closed; then none of them may still name
 * an open object.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_stubs.h"

/* The server itself, with its main renamed so this file has its own. */
#define main ramdisk_server_main
#include "../../servers/ramdisk/main.c"
#undef main

static const uint64_t fuzz_tags[] = {FS_OPEN,    FS_READ,  FS_WRITE,    FS_TRUNCATE,   FS_STAT,
                                     FS_READDIR, FS_MKDIR, FS_UNLINK,   FS_RMDIR,      FS_TOKEN,
                                     FS_RENAME,  FS_CLOSE, FS_SETOWNER, IPC_TAG_CLOSED};
#define FUZZ_TAGS (sizeof(fuzz_tags) / sizeof(fuzz_tags[0]))
#define FUZZ_PAGES_MAX 300

static const char *const fuzz_paths[] = {"a", "a/b",    "b",     "a/b/c",  "..",      ".",
                                         "/", "a/../b", "//a//", "a/./b/", "c/d/e/f", "x"};
#define FUZZ_PATHS (sizeof(fuzz_paths) / sizeof(fuzz_paths[0]))

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

static void check_state(void)
{
    stub_require(stub_held(STUB_RECEIVED) == 0, "a handle that came with a request is still held");
    stub_require(stub_held(STUB_MINTED) == 0, "a minted handle was neither sent nor closed");
    stub_require(stub_held(STUB_REGION) == 0, "a region is still held between requests");
    stub_require(stub_held(STUB_REPLY) == 0, "a reply right is still held");
    stub_require(tree.bytes_used <= tree.limits.max_bytes, "the tree passed its byte limit");
}

/* The stubs' script: the input's records, then a close for every minted badge. */
static bool fuzz_next(void *arg, struct stub_message *m)
{
    struct stub_script *s = arg;
    check_state();
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
            uint32_t length = (uint32_t)stub_take(s, 1) % 40;
            uint32_t mode = (uint32_t)stub_take(s, 2);
            uint32_t flags = (uint32_t)stub_take(s, 2);
            m->msg.w[0] = FS_PATH_WORD(length, mode, flags);
        } else {
            m->msg.w[0] = stub_take(s, 8);
        }
        if (op & 0x40) {
            const char *path = fuzz_paths[stub_take(s, 1) % FUZZ_PATHS];
            memcpy(&m->msg.w[1], path, strlen(path));
        } else if (op & 0x08) {
            for (int i = 1; i < 4; i++)
                m->msg.w[i] = stub_take(s, 8);
        }
        if (op & 0x20) {
            m->region_length = (1 + stub_take(s, 2) % FUZZ_PAGES_MAX) * STUB_PAGE;
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
    stub_begin(fuzz_next, &script);
    stub_require(ramdisk_server_main() == 0, "the server stopped with an error");
    size_t count;
    const uint32_t *badges = stub_badges(&count);
    for (size_t i = 0; i < count; i++)
        stub_require(objects_get(badges[i]) == NULL, "an open object outlived all its badges");
    stub_require(stub_held(STUB_MINTED) == 0 && stub_held(STUB_REGION) == 0,
                 "the server holds something at the end");
    /* Each run starts from a fresh server (objects_init empties the table). */
    tree_free(&tree);
    stub_end();
    return 0;
}
