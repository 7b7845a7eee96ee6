/*
 * libFuzzer target for the pipe server's request handling
 * (servers/pipe/main.c, with session.c and ring.c): its real main and
 * ipc_serve loop run over the host stubs of server_stubs.c, which play
 * the kernel and the clients. Each input is a script of records, one
 * message each, every field read from the next bytes (missing bytes read
 * as 0):
 *
 *   op                  op & 15: 0-11 a request, 12-13 a waiter dies,
 *                       14-15 the kernel says a badge is closed
 *   request:  tag       tag % 9: one of the 7 PIPE_* tags, IPC_TAG_CLOSED
 *                       (sent by a client, so refused), or 8: a random
 *                       64-bit tag follows
 *             sender    pid 1 + (sender & 3); badge by (sender >> 2) & 3:
 *                       0 none, 1 PIPE_BADGE_MAKER, 2 one the server
 *                       minted (a byte picks which), 3 a random 32 bits
 *             w0        2 bytes, or 4 if op & 0x80 (a length: 0..1 MiB+)
 *             w1..w3    24 bytes if op & 0x40, else zero
 *             region    if op & 0x20: 2 bytes, 1 + n % 1100 pages moved
 *                       with it (over 1024 the loop refuses it)
 *             handles   if op & 0x10: a byte, n % 5 handles moved with it
 *   waiter dies: a byte picks a saved reply right; its caller is gone
 *   closed:      a badge as for a request's sender choice 2, or a random
 *                one if op & 0x80; sent from pid 0
 *
 * Every reply is checked by the stubs (a status from errors.h, nothing
 * with an error, no handle or region the server does not hold). Between
 * requests the server holds no received or minted handle, and its tables
 * agree with each other and with the stubs: each pipe's open-end counts
 * are its open ends, each session's counts its pipes and ends, each saved
 * reply right is one waiter, each held region one waiting writer's. At
 * the end the kernel says every badge the server minted is closed; then
 * no pipe, end, session, saved reply or region may be left.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_stubs.h"

/* The server itself, with its main renamed so this file has its own. */
#define main pipe_server_main
#include "../../servers/pipe/main.c"
#undef main
#include "../../servers/pipe/session.c"

static const uint64_t fuzz_tags[] = {PIPE_CREATE, PIPE_READ, PIPE_WRITE,   PIPE_CLOSE,
                                     PIPE_DUP,    PIPE_STAT, PIPE_SESSION, IPC_TAG_CLOSED};
#define FUZZ_TAGS (sizeof(fuzz_tags) / sizeof(fuzz_tags[0]))
#define FUZZ_PAGES_MAX 1100

static uint32_t fuzz_badge(struct stub_script *s, unsigned choice)
{
    switch (choice & 3) {
    case 0:
        return 0;
    case 1:
        return PIPE_BADGE_MAKER;
    case 2:
        return stub_take_minted(s);
    default:
        return (uint32_t)stub_take(s, 4);
    }
}

/* --- the server's tables against each other and the stubs --- */

static void check_tables(void)
{
    size_t waiters = 0, regions = 0;
    uint32_t session_pipes[SESSIONS_MAX + 1] = {0}, session_ends[SESSIONS_MAX + 1] = {0};
    for (uint32_t i = 0; i < PIPES_MAX; i++) {
        struct pipe *p = &pipes[i];
        if (!p->used)
            continue;
        uint32_t readers = 0, writers = 0;
        for (uint32_t slot = 0; slot < ENDS_MAX; slot++) {
            if (!ends[slot].open || ends[slot].pipe != i)
                continue;
            readers += ends[slot].kind == PIPE_END_READ;
            writers += ends[slot].kind == PIPE_END_WRITE;
        }
        stub_require(readers == p->readers_open && writers == p->writers_open,
                     "a pipe's open-end counts are not its open ends");
        stub_require(readers + writers > 0, "a pipe with no end is still in the table");
        stub_require(p->ring.count <= p->ring.size && p->ring.head < p->ring.size,
                     "a pipe's ring is out of bounds");
        stub_require(p->reader_count <= WAITERS_MAX && p->writer_count <= WAITERS_MAX,
                     "too many waiters on a pipe");
        for (size_t w = 0; w < p->reader_count; w++)
            stub_require(ends[p->readers[w].end].open && ends[p->readers[w].end].pipe == i,
                         "a reader waits through an end that is not open on its pipe");
        for (size_t w = 0; w < p->writer_count; w++) {
            stub_require(ends[p->writers[w].end].open && ends[p->writers[w].end].pipe == i,
                         "a writer waits through an end that is not open on its pipe");
            stub_require(p->writers[w].done < p->writers[w].length,
                         "a writer waits with all its bytes taken");
            regions += p->writers[w].region != 0;
        }
        waiters += p->reader_count + p->writer_count;
        stub_require(p->session <= SESSIONS_MAX, "a pipe of no session");
        session_pipes[p->session]++;
        session_ends[p->session] += readers + writers;
    }
    for (uint32_t slot = 0; slot < ENDS_MAX; slot++)
        stub_require(!ends[slot].open || pipes[ends[slot].pipe].used,
                     "an open end of a pipe that is gone");
    for (uint32_t n = 1; n <= SESSIONS_MAX; n++) {
        const struct pipe_session *s = session_get(n);
        stub_require(s->pipes == session_pipes[n] && s->ends == session_ends[n],
                     "a session's counts are not its pipes and ends");
        stub_require(s->pipes <= PIPE_SESSION_PIPES && s->ends <= PIPE_SESSION_ENDS,
                     "a session is over its share");
        stub_require(s->used || (s->pipes == 0 && s->ends == 0), "a free session has pipes");
    }
    stub_require(stub_held(STUB_REPLY) == waiters, "saved reply rights are not the waiters");
    stub_require(stub_held(STUB_REGION) == regions, "held regions are not the waiting writers'");
}

/* The stubs' script: the input's records, then a close for every minted badge. */
static bool fuzz_next(void *arg, struct stub_message *m)
{
    struct stub_script *s = arg;
    stub_require(stub_held(STUB_RECEIVED) == 0, "a handle that came with a request is still held");
    stub_require(stub_held(STUB_MINTED) == 0, "a minted handle was neither sent nor closed");
    check_tables();
    *m = (struct stub_message){0};
    while (s->at < s->size) {
        uint8_t op = (uint8_t)stub_take(s, 1);
        unsigned kind = op & 15;
        if (kind >= 12 && kind < 14) {
            stub_kill_waiter((size_t)stub_take(s, 1));
            continue;
        }
        if (kind >= 14) {
            m->msg.tag = IPC_TAG_CLOSED;
            m->sender = (uint64_t)fuzz_badge(s, op & 0x80 ? 3 : 2) << 32;
            return true;
        }
        uint8_t tag = (uint8_t)stub_take(s, 1) % (FUZZ_TAGS + 1);
        m->msg.tag = tag < FUZZ_TAGS ? fuzz_tags[tag] : stub_take(s, 8);
        uint8_t sender = (uint8_t)stub_take(s, 1);
        m->sender = (1u + (sender & 3)) | (uint64_t)fuzz_badge(s, sender >> 2) << 32;
        m->msg.w[0] = stub_take(s, op & 0x80 ? 4 : 2);
        if (op & 0x40)
            for (int i = 1; i < 4; i++)
                m->msg.w[i] = stub_take(s, 8);
        if (op & 0x20)
            m->region_length = (1 + stub_take(s, 2) % FUZZ_PAGES_MAX) * STUB_PAGE;
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

    /* Each run starts from a fresh server, so an input means the same every time. */
    memset(pipes, 0, sizeof(pipes));
    memset(ends, 0, sizeof(ends));
    memset(sessions, 0, sizeof(sessions));
    next_number = 1;
    next_id = 1;

    stub_begin(fuzz_next, &script);
    stub_require(pipe_server_main() == 0, "the server stopped with an error");
    for (uint32_t i = 0; i < PIPES_MAX; i++)
        stub_require(!pipes[i].used, "a pipe outlived all its badges");
    for (uint32_t slot = 0; slot < ENDS_MAX; slot++)
        stub_require(!ends[slot].open, "an end outlived its badge");
    for (uint32_t n = 1; n <= SESSIONS_MAX; n++)
        stub_require(!session_get(n)->used, "a session outlived its badge");
    for (int kind = STUB_RECEIVED; kind < STUB_KINDS; kind++)
        stub_require(stub_held((enum stub_kind)kind) == 0, "the server holds something at the end");
    stub_end();
    return 0;
}
