/*
 * pipe: the pipe server, speaking the protocol of <parley/proto/pipe.h>.
 *
 * Handles, as init wires them (serve:pipe use:pipe):
 *   1  its endpoint (receive)
 *   2  a plain send handle to the same endpoint, from which it mints the
 *      badged handles that are pipe ends (minting needs RIGHT_DUPLICATE,
 *      which a receive-only handle lacks)
 *
 * Each pipe is a 64 KiB ring (ring.c) with counts of open read and write
 * ends. Each end is a slot in one table; its badge is the slot number and
 * a generation, so a closed end's badge is refused forever (a slot whose
 * generations are spent is retired, never reused). A request is served
 * for the end its badge names, never for a number in the message.
 *
 * An end is closed by PIPE_CLOSE or when the kernel says the last handle
 * carrying its badge is gone (IPC_TAG_CLOSED: every process holding it
 * exited or closed its handle), whichever comes first; either way its
 * peers see end of file or -E_CLOSED, and a pipe with no end left is
 * freed.
 *
 * A read on an empty pipe and a write to a full one keep the caller
 * waiting: the handler saves its reply right (reply_save) and queues it
 * on the pipe; pipe_pump answers queued callers whenever the pipe's state
 * changes (bytes arrive or leave, an end closes). Writers are served in
 * order, a whole write before the next, so writes never interleave.
 * A reader's bytes stay in the ring until its deferred reply is known to
 * be delivered, so a reader killed while waiting loses nothing.
 *
 * Each login's shell makes its pipes through a session handle (session.c,
 * PIPE_SESSION), and a session's pipes and ends are at most its share of
 * the tables (-E_QUOTA beyond), so one user filling them leaves room for
 * the others; pipes made through init's or login's own maker handle count
 * against no session.
 *
 * The server keeps handle 2, so its endpoint never loses its last sender
 * and it runs until killed, like every service.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/pipe.h>
#include <parley/sys.h>

#include "ring.h"
#include "session.h"

#define HANDLE_ENDPOINT 1
#define HANDLE_MINT 2
#define CLIENT_RIGHTS (RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER)

#define PAGE 4096u
#define PIPES_MAX 64
#define ENDS_MAX 256
#define WAITERS_MAX 8 /* callers waiting on one side of one pipe */

/* Badge layout: bits 0-8 = end slot + 1 (never 0), bits 9-31 = generation. */
#define BADGE_SLOT_BITS 9
#define BADGE_GENERATION_MASK ((1u << (32 - BADGE_SLOT_BITS)) - 1)
#define RETIRED BADGE_GENERATION_MASK /* a slot's last generation: never handed out */

/* A caller kept waiting: a reader wanting bytes or a writer with bytes left to put. */
struct waiter {
    uint32_t reply; /* saved reply handle */
    uint32_t end;   /* the end slot it came through */
    uint32_t pid;
    uint64_t want;   /* reader: most bytes wanted */
    uint64_t length; /* writer: bytes in the request */
    uint64_t done;   /* writer: bytes already in the ring */
    uint64_t region; /* writer: the request's region (0: bytes inline) */
    uint64_t region_length;
    uint8_t inline_bytes[PIPE_INLINE];
};

struct pipe {
    bool used;
    uint32_t number;
    uint32_t session; /* the session it and its ends count against (0: none) */
    struct ring ring;
    uint32_t readers_open, writers_open;
    uint32_t last_reader_pid, last_writer_pid; /* for the wait-on-itself guard */
    struct waiter readers[WAITERS_MAX], writers[WAITERS_MAX];
    size_t reader_count, writer_count;
};

struct end {
    bool open;
    uint32_t kind; /* PIPE_END_READ or PIPE_END_WRITE */
    uint32_t pipe;
    uint32_t generation;
};

static struct pipe pipes[PIPES_MAX];
static struct end ends[ENDS_MAX];
static uint32_t next_number = 1;

/* --- ends and badges --- */

static uint32_t end_badge(uint32_t slot)
{
    return (slot + 1) | (ends[slot].generation & BADGE_GENERATION_MASK) << BADGE_SLOT_BITS;
}

/* The open end a badge names, or -1. */
static int end_of_badge(uint32_t badge)
{
    uint32_t slot = (badge & ((1u << BADGE_SLOT_BITS) - 1)) - 1;
    if (badge == 0 || slot >= ENDS_MAX || !ends[slot].open)
        return -1;
    if ((ends[slot].generation & BADGE_GENERATION_MASK) != badge >> BADGE_SLOT_BITS)
        return -1;
    return (int)slot;
}

/* The end a request came through, which must be of `kind` (or either, for kind < 0). */
static long request_end(uint64_t sender, int kind)
{
    if (IPC_SENDER_BADGE(sender) == 0)
        return -E_PERM; /* the unbadged handle only makes pipes */
    int slot = end_of_badge(IPC_SENDER_BADGE(sender));
    if (slot < 0)
        return -E_BADHANDLE;
    if (kind >= 0 && ends[slot].kind != (uint32_t)kind)
        return -E_PERM;
    return slot;
}

/* Opens an end of pipe p and mints its handle; returns the handle. */
static long end_open(uint32_t p, uint32_t kind)
{
    for (uint32_t slot = 0; slot < ENDS_MAX; slot++) {
        if (ends[slot].open || ends[slot].generation + 1 >= RETIRED)
            continue;
        long err = session_charge(pipes[p].session, 0, 1);
        if (err < 0)
            return err;
        ends[slot].generation++;
        long h = handle_mint(HANDLE_MINT, CLIENT_RIGHTS, end_badge(slot));
        if (h < 0) {
            session_refund(pipes[p].session, 0, 1);
            return h;
        }
        ends[slot].open = true;
        ends[slot].kind = kind;
        ends[slot].pipe = p;
        if (kind == PIPE_END_READ)
            pipes[p].readers_open++;
        else
            pipes[p].writers_open++;
        return h;
    }
    return -E_NOSPC;
}

/* --- answering waiting callers --- */

/* Answers a saved reply; returns the delivery error (-E_CLOSED: the caller is gone). */
static long answer(uint32_t reply, long status, struct ipc_msg *msg, struct ipc_extra *extra)
{
    msg->tag = (uint64_t)status;
    long err = ipc_reply_to(reply, msg, extra);
    if (err < 0 && err != -E_CLOSED) {
        /* Say why instead (e.g. the reader left no room for a region). */
        struct ipc_msg failed = {.tag = (uint64_t)err};
        if (ipc_reply_to(reply, &failed, NULL) < 0)
            handle_close(reply);
    }
    return err;
}

static void answer_status(uint32_t reply, long status)
{
    struct ipc_msg msg = {0};
    answer(reply, status, &msg, NULL);
}

/*
 * Puts up to `want` bytes from the ring into a reply, without taking them
 * (the caller drops them once delivered); returns the count or an error.
 */
static long fill_read_reply(struct pipe *p, uint64_t want, struct ipc_msg *msg,
                            struct ipc_extra *extra)
{
    size_t n = ring_count(&p->ring) < want ? ring_count(&p->ring) : (size_t)want;
    msg->w[0] = n;
    if (n <= PIPE_INLINE) {
        ring_peek(&p->ring, &msg->w[1], n);
        return (long)n;
    }
    size_t size = (n + PAGE - 1) & ~(size_t)(PAGE - 1);
    long addr = vm_region_new(size);
    if (addr < 0)
        return addr;
    ring_peek(&p->ring, (void *)addr, n);
    extra->send_mem = (uint64_t)addr;
    extra->send_mem_length = size;
    return (long)n;
}

/* Answers the first waiting reader (the pipe has bytes, or no writers: end of file). */
static void answer_reader(struct pipe *p)
{
    struct waiter *w = &p->readers[0];
    struct ipc_msg msg = {0};
    struct ipc_extra extra = {0};
    long n = fill_read_reply(p, w->want, &msg, &extra);
    if (n < 0) {
        answer_status(w->reply, n);
    } else if (answer(w->reply, 0, &msg, &extra) == 0) {
        ring_drop(&p->ring, (size_t)n);
        p->last_reader_pid = w->pid;
    } else if (extra.send_mem != 0) {
        sys_vm_release((void *)extra.send_mem, extra.send_mem_length);
    }
}

static void writer_release(struct waiter *w)
{
    if (w->region != 0)
        sys_vm_release((void *)w->region, w->region_length);
}

static void queue_remove(struct waiter *queue, size_t *count, size_t i)
{
    memmove(&queue[i], &queue[i + 1], (*count - i - 1) * sizeof(queue[0]));
    (*count)--;
}

/* Moves as much of the first waiting writer's bytes as fit; true when it is done. */
static bool writer_progress(struct pipe *p, struct waiter *w)
{
    const uint8_t *data = w->region != 0 ? (const uint8_t *)w->region : w->inline_bytes;
    size_t put = ring_put(&p->ring, data + w->done, w->length - w->done);
    if (put > 0)
        p->last_writer_pid = w->pid;
    w->done += put;
    return w->done == w->length;
}

/* Answers every waiting caller the pipe's state now allows, until nothing changes. */
static void pipe_pump(struct pipe *p)
{
    bool progress = true;
    while (progress) {
        progress = false;
        while (p->reader_count > 0 && (ring_count(&p->ring) > 0 || p->writers_open == 0)) {
            answer_reader(p);
            queue_remove(p->readers, &p->reader_count, 0);
            progress = true;
        }
        while (p->writer_count > 0) {
            struct waiter *w = &p->writers[0];
            size_t before = ring_count(&p->ring);
            long status;
            if (p->readers_open == 0)
                status = -E_CLOSED;
            else if (writer_progress(p, w))
                status = 0;
            else {
                progress |= ring_count(&p->ring) != before;
                break;
            }
            struct ipc_msg msg = {.w = {w->length}};
            if (status == 0)
                answer(w->reply, 0, &msg, NULL);
            else
                answer_status(w->reply, status);
            writer_release(w);
            queue_remove(p->writers, &p->writer_count, 0);
            progress = true;
        }
    }
}

/* Fails the callers waiting through end `slot` (it is being closed). */
static void fail_waiters_of(struct pipe *p, uint32_t slot)
{
    for (size_t i = 0; i < p->reader_count;) {
        if (p->readers[i].end == slot) {
            answer_status(p->readers[i].reply, -E_CLOSED);
            queue_remove(p->readers, &p->reader_count, i);
        } else {
            i++;
        }
    }
    for (size_t i = 0; i < p->writer_count;) {
        if (p->writers[i].end == slot) {
            answer_status(p->writers[i].reply, -E_CLOSED);
            writer_release(&p->writers[i]);
            queue_remove(p->writers, &p->writer_count, i);
        } else {
            i++;
        }
    }
}

static void end_close(uint32_t slot)
{
    struct pipe *p = &pipes[ends[slot].pipe];
    fail_waiters_of(p, slot);
    ends[slot].open = false;
    if (ends[slot].kind == PIPE_END_READ)
        p->readers_open--;
    else
        p->writers_open--;
    pipe_pump(p); /* writers see the last reader go, readers the last writer */
    session_refund(p->session, 0, 1);
    if (p->readers_open == 0 && p->writers_open == 0) {
        session_refund(p->session, 1, 0);
        free(p->ring.data);
        memset(p, 0, sizeof(*p));
    }
}

/* --- requests --- */

static long op_create(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                      uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    ipc_extra_drop(extra);
    uint32_t badge = IPC_SENDER_BADGE(sender);
    uint32_t session = badge != 0 && badge != PIPE_BADGE_MAKER ? session_of_badge(badge) : 0;
    if (badge != 0 && badge != PIPE_BADGE_MAKER && session == 0)
        return -E_PERM; /* through an end */
    uint32_t i = 0;
    while (i < PIPES_MAX && pipes[i].used)
        i++;
    if (i == PIPES_MAX)
        return -E_NOSPC;
    long err = session_charge(session, 1, 0);
    if (err < 0)
        return err;
    void *storage = malloc(PIPE_BUFFER);
    if (storage == NULL) {
        session_refund(session, 1, 0);
        return -E_NOMEM;
    }
    struct pipe *p = &pipes[i];
    memset(p, 0, sizeof(*p));
    p->used = true;
    p->number = next_number++;
    p->session = session;
    ring_init(&p->ring, storage, PIPE_BUFFER);
    long r = end_open(i, PIPE_END_READ);
    long w = r < 0 ? r : end_open(i, PIPE_END_WRITE);
    if (w < 0) {
        for (uint32_t slot = 0; slot < ENDS_MAX; slot++) {
            if (ends[slot].open && ends[slot].pipe == i) {
                ends[slot].open = false;
                session_refund(session, 0, 1);
            }
        }
        if (r >= 0)
            handle_close((uint32_t)r);
        session_refund(session, 1, 0);
        free(storage);
        memset(p, 0, sizeof(*p));
        return w;
    }
    reply->w[0] = p->number;
    reply_extra->send_handles[0] = (uint32_t)r;
    reply_extra->send_handles[1] = (uint32_t)w;
    reply_extra->send_count = 2;
    return 0;
}

/* A session handle for one login's pipes, through an unbadged or maker handle only. */
static long op_session(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)reply;
    ipc_extra_drop(extra);
    uint32_t badge = IPC_SENDER_BADGE(sender);
    if (badge != 0 && badge != PIPE_BADGE_MAKER)
        return -E_PERM; /* a session cannot make sessions: its share would be no share */
    long session = session_new();
    if (session < 0)
        return session;
    long h = handle_mint(HANDLE_MINT, CLIENT_RIGHTS, session_badge((uint32_t)session));
    if (h < 0) {
        session_close((uint32_t)session);
        return h;
    }
    reply_extra->send_handles[0] = (uint32_t)h;
    reply_extra->send_count = 1;
    return 0;
}

/* Keeps the caller waiting in queue; returns IPC_NO_REPLY or an error. */
static long wait_in(struct waiter *queue, size_t *count, const struct waiter *w)
{
    if (*count == WAITERS_MAX)
        return -E_BUSY;
    long reply = reply_save();
    if (reply < 0)
        return reply;
    queue[*count] = *w;
    queue[*count].reply = (uint32_t)reply;
    (*count)++;
    return IPC_NO_REPLY;
}

static long op_read(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                    uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    ipc_extra_drop(extra);
    long slot = request_end(sender, PIPE_END_READ);
    if (slot < 0)
        return slot;
    uint64_t want = request->w[0];
    if (want == 0 || want > PIPE_IO_MAX)
        return -E_RANGE;
    struct pipe *p = &pipes[ends[slot].pipe];
    uint32_t pid = IPC_SENDER_PID(sender);
    if (ring_count(&p->ring) == 0 && p->writers_open > 0) {
        if (p->writer_count == 0 && p->last_writer_pid == pid)
            return -E_AGAIN; /* it would wait for its own writes */
        struct waiter w = {.end = (uint32_t)slot, .pid = pid, .want = want};
        return wait_in(p->readers, &p->reader_count, &w);
    }
    long n = fill_read_reply(p, want, reply, reply_extra);
    if (n < 0)
        return n;
    /* Taken now: if this reply cannot be delivered these bytes are lost, as with a dead reader. */
    ring_drop(&p->ring, (size_t)n);
    p->last_reader_pid = pid;
    pipe_pump(p);
    return 0;
}

static long op_write(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                     uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)reply_extra;
    long slot = request_end(sender, PIPE_END_WRITE);
    uint64_t length = request->w[0];
    if (slot >= 0 && (length == 0 || length > PIPE_IO_MAX))
        slot = -E_RANGE;
    if (slot >= 0 && length > PIPE_INLINE &&
        (extra->recv_mem == 0 || extra->recv_mem_length < length))
        slot = -E_INVAL; /* the bytes are not all there */
    if (slot >= 0 && pipes[ends[slot].pipe].readers_open == 0)
        slot = -E_CLOSED;
    if (slot < 0) {
        ipc_extra_drop(extra);
        return slot;
    }
    struct pipe *p = &pipes[ends[slot].pipe];
    uint32_t pid = IPC_SENDER_PID(sender);
    struct waiter w = {.end = (uint32_t)slot, .pid = pid, .length = length};
    if (length <= PIPE_INLINE)
        memcpy(w.inline_bytes, &request->w[1], length);
    else {
        w.region = extra->recv_mem;
        w.region_length = extra->recv_mem_length;
    }
    bool waits = p->writer_count > 0 || ring_room(&p->ring) < length;
    if (waits && p->reader_count == 0 && p->last_reader_pid == pid) {
        ipc_extra_drop(extra);
        return -E_AGAIN; /* it would wait for its own reads */
    }
    if (p->writer_count == 0 && writer_progress(p, &w)) {
        ipc_extra_drop(extra);
        pipe_pump(p);
        reply->w[0] = length;
        return 0;
    }
    if (w.region == 0)
        ipc_extra_drop(extra); /* the bytes came inline: a region sent too is not kept */
    else
        for (uint32_t i = 0; i < extra->recv_count; i++)
            handle_close(extra->recv_handles[i]); /* only the region is kept */
    long status = wait_in(p->writers, &p->writer_count, &w);
    if (status != IPC_NO_REPLY) {
        writer_release(&w);
        return status;
    }
    pipe_pump(p); /* the bytes already put may wake readers */
    return IPC_NO_REPLY;
}

static long op_close(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                     uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)reply;
    (void)reply_extra;
    ipc_extra_drop(extra);
    long slot = request_end(sender, -1);
    if (slot < 0)
        return slot;
    end_close((uint32_t)slot);
    return 0;
}

static long op_dup(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                   uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)reply;
    ipc_extra_drop(extra);
    long slot = request_end(sender, -1);
    if (slot < 0)
        return slot;
    long h = end_open(ends[slot].pipe, ends[slot].kind);
    if (h < 0)
        return h;
    reply_extra->send_handles[0] = (uint32_t)h;
    reply_extra->send_count = 1;
    return 0;
}

static long op_stat(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                    uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)reply_extra;
    ipc_extra_drop(extra);
    long slot = request_end(sender, -1);
    if (slot < 0)
        return slot;
    struct pipe *p = &pipes[ends[slot].pipe];
    reply->w[0] = p->number;
    reply->w[1] = ends[slot].kind;
    reply->w[2] = ring_count(&p->ring);
    reply->w[3] = p->readers_open | (uint64_t)p->writers_open << 32;
    return 0;
}

/*
 * The kernel's word that the last handle of an end's badge is gone: close
 * the end if PIPE_CLOSE has not; or of a session's: close the session.
 * Only the kernel (pid 0) says this.
 */
static long peer_closed(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                        uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)reply;
    (void)reply_extra;
    ipc_extra_drop(extra);
    uint32_t badge = ipc_closed_badge(sender);
    if (badge == 0)
        return -E_PERM;
    int slot = end_of_badge(badge);
    uint32_t session = session_of_badge(badge);
    if (slot >= 0) /* else closed already with PIPE_CLOSE */
        end_close((uint32_t)slot);
    else if (session != 0)
        session_close(session);
    return 0;
}

static const struct ipc_handler handlers[] = {
    {PIPE_CREATE, op_create},   {PIPE_READ, op_read},
    {PIPE_WRITE, op_write},     {PIPE_CLOSE, op_close},
    {PIPE_DUP, op_dup},         {PIPE_STAT, op_stat},
    {PIPE_SESSION, op_session}, {IPC_TAG_CLOSED, peer_closed},
};

int main(void)
{
    printf("pipe: ready, %u pipes of %u KiB\n", PIPES_MAX, PIPE_BUFFER / 1024);
    int err = ipc_serve(HANDLE_ENDPOINT, handlers, sizeof(handlers) / sizeof(handlers[0]), NULL);
    printf("pipe: stopped: %s\n", error_string(err));
    return err < 0 ? 1 : 0;
}
