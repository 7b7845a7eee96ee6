/*
 * The IPC fast path, after seL4's fastpath.c.
 *
 * Most IPC is a client's call to a server that already waits in
 * reply_receive, and that server's reply_receive answering a caller who
 * waits for nothing else. Both carry only the four words, no handles and
 * no region, and wait without a timeout. For those two cases
 * arch/syscall.asm comes here straight from `syscall`: the words stay in
 * the registers it saved (struct fast_frame), there is no general trap
 * frame and no table dispatch, and the thread goes back with sysret.
 *
 * Each function first checks everything the general path would check and
 * returns FASTPATH_SLOW, having changed nothing, at the first thing it
 * does not handle: a bad or wrong handle, a missing right, a kernel tag,
 * a timeout, handles or a region to send, nobody waiting on the other
 * side, a pending notification, peer-closed message or queued sender, a
 * server that still holds an earlier reply right. The general path then
 * takes the call from the start and gives the user its exact result, so
 * the fast path needs no error handling of its own before it commits.
 *
 * Once committed, it does what endpoint.c does for the same case, in the
 * same order: the call gets its id and reply link, the trace line is
 * written if the trace is on, and the CPU goes to the receiver the way
 * sched_block_handoff() would (only when that keeps the priority rule).
 * But no stack unwinds through C: sched_handoff_direct() makes the
 * receiver current, and arch/syscall.asm leaves this thread's stack as
 * context_switch would and enters the receiver's. A receiver that blocked
 * here too gets the message straight into its saved registers and goes
 * back to ring 3 at once (fast_resume_ready); one that blocked on the
 * general path gets it in ipc_in, as transfer() would leave it, and
 * returns through its own C frames.
 *
 * A thread blocked here that the general path wakes instead (a reply
 * with handles, a saved reply, -E_CLOSED from a dying peer) comes back
 * through fast_resume and fastpath_resume(), which hands on what its
 * ipc_in and wait_result hold exactly as sys_ipc does.
 *
 * tests/qemu/test_ipc_fastpath.py runs the same IPC sequences with the
 * fast path on and off (ipc=slow) and compares every result and trace
 * line.
 */
#include "ipc/fastpath.h"

#include <stddef.h>

#include <parley/errors.h>
#include <parley/ipc.h>

#include "ipc/endpoint.h"
#include "ipc/handle.h"
#include "ipc/ipc_syscall.h"
#include "ipc/trace.h"
#include "proc/process.h"
#include "proc/usercopy.h"
#include "sched/sched.h"
#include "trap.h"

enum fast_op { FAST_CALL = 1, FAST_REPLY_RECEIVE };

extern char fast_resume_ready[];

static bool enabled = true;
static uint64_t completed;
static const struct fast_switch slow = {FASTPATH_SLOW, NULL};

void fastpath_set_enabled(bool on)
{
    enabled = on;
}

uint64_t fastpath_count(void)
{
    return completed;
}

/* The endpoint behind handle h of the current process, if it has `right`; else NULL. */
static inline __attribute__((always_inline)) struct endpoint *
endpoint_with(uint64_t h, uint32_t right, uint32_t *badge)
{
    if (h == 0 || h >= HANDLE_MAX)
        return NULL;
    struct handle_slot *slot = &process_current()->handles.slots[h];
    if (slot->object == NULL || slot->object->type != OBJECT_ENDPOINT ||
        (slot->rights & right) == 0)
        return NULL;
    *badge = slot->badge;
    return container_of(slot->object, struct endpoint, object);
}

/*
 * The send half of the caller's ipc_extra (if it gave one) must be empty
 * for the fast path; its receive limit is recorded as read_message() does.
 * Returns false to fall back (something to send, or an unreadable struct,
 * whose -E_FAULT the general path reports).
 */
static inline __attribute__((always_inline)) bool read_extra(struct thread *t, uint64_t user_extra)
{
    t->ipc_accepts_extra = user_extra != 0;
    t->ipc_mem_max = 0;
    if (user_extra == 0)
        return true;
    struct {
        uint32_t send_count, send_flags;
        uint64_t send_mem, send_mem_length, recv_mem_max;
    } in;
    if (copy_from_user(&in, user_extra + offsetof(struct ipc_extra, send_count), sizeof(in)) < 0)
        return false;
    if (in.send_count != 0 || in.send_mem != 0 || in.send_mem_length != 0)
        return false;
    t->ipc_mem_max = in.recv_mem_max;
    return true;
}

/* One trace line for a message of words only (the trace is on). */
static void trace_words(const char *op, struct thread *from, struct thread *to, uint32_t ep_id,
                        const struct fast_frame *f, uint64_t call_id, long err)
{
    struct ipc_message msg = {.tag = f->rsi, .words = {f->rdx, f->r10, f->r8, f->r9}};
    ipc_trace(op, from->process, to != NULL ? to->process : NULL, ep_id, &msg, call_id, err);
}

/* The receive half of a user's ipc_extra after a message of words only. */
static long write_empty_extra(uint64_t user_extra)
{
    static const struct ipc_extra empty;
    size_t half = offsetof(struct ipc_extra, recv_handles);
    return copy_to_user(user_extra + half, (const char *)&empty + half, sizeof(empty) - half);
}

/*
 * After sched_handoff_direct(): the words of `f`, from `from`, reach
 * `to`, now the running thread in its own address space; `from` has
 * blocked with its registers in `f`.
 */
static inline __attribute__((always_inline)) struct fast_switch
deliver(struct thread *from, struct fast_frame *f, enum fast_op op, struct thread *to,
        uint32_t badge)
{
    uint64_t rdi = from->process->pid | (uint64_t)badge << 32;
    from->fast_frame = f;
    from->fast_op = op;
    struct fast_frame *out = to->fast_frame;
    if (out != NULL) {
        to->fast_frame = NULL;
        out->rsi = f->rsi;
        out->rdx = f->rdx;
        out->r10 = f->r10;
        out->r8 = f->r8;
        out->r9 = f->r9;
        out->rdi = rdi;
        out->rax = out->r13 != 0 ? (uint64_t)write_empty_extra(out->r13) : 0;
        /* Its saved context (see syscall.asm) returns into sysret, not into fast_resume. */
        ((uint64_t *)to->saved_rsp)[6] = (uint64_t)fast_resume_ready;
    } else {
        struct ipc_message *in = &to->ipc_in;
        in->tag = f->rsi;
        in->words[0] = f->rdx;
        in->words[1] = f->r10;
        in->words[2] = f->r8;
        in->words[3] = f->r9;
        in->peer_pid = (uint32_t)rdi;
        in->badge = badge;
        in->handle_count = 0;
        in->copy_flags = 0;
        in->mem = 0;
        in->mem_length = 0;
    }
    f->rflags = rflags_for_user(f->rflags);
    from->process->messages_sent++, to->process->messages_received++; /* as transfer() counts */
    completed++;
    return (struct fast_switch){to->saved_rsp, &from->saved_rsp};
}

struct fast_switch fastpath_call(struct fast_frame *f)
{
    struct thread *t = sched_current();
    uint32_t badge;
    struct endpoint *ep = endpoint_with(f->rdi, RIGHT_SEND, &badge);
    if (!enabled || ep == NULL || f->r12 != IPC_FOREVER || f->rsi >= IPC_TAG_KERNEL ||
        ep->receivers == 0 || list_empty(&ep->recv_queue))
        return slow;
    struct thread *server = container_of(list_first(&ep->recv_queue), struct thread, sched_link);
    if (server->reply_to != NULL || !read_extra(t, f->r13) || !sched_handoff_direct(NULL, server))
        return slow;

    /* Committed: `server` runs now, in its address space; we wait for its reply. */
    uint64_t call_id = ipc_new_call_id();
    t->call_id = call_id;
    t->call_endpoint = ep->id;
    if (ipc_trace_any)
        trace_words("call", t, server, ep->id, f, call_id, 0);
    t->reply_from = server;
    server->reply_to = t;
    return deliver(t, f, FAST_CALL, server, badge);
}

struct fast_switch fastpath_reply_receive(struct fast_frame *f)
{
    struct thread *t = sched_current();
    struct thread *caller = t->reply_to;
    uint32_t badge;
    struct endpoint *ep = endpoint_with(f->rdi, RIGHT_RECEIVE, &badge);
    if (!enabled || ep == NULL || caller == NULL || f->r12 != IPC_FOREVER || ep->notify_bits != 0 ||
        !list_empty(&ep->closed) || !list_empty(&ep->send_queue) || ep->senders == 0 ||
        !read_extra(t, f->r13) || !sched_handoff_direct(&ep->recv_queue, caller))
        return slow;

    /* Committed: `caller` runs now, and we wait on the endpoint. */
    if (ipc_trace_any)
        trace_words("reply", t, caller, caller->call_endpoint, f, caller->call_id, 0);
    ipc_forget_caller(caller);
    return deliver(t, f, FAST_REPLY_RECEIVE, caller, 0);
}

void fastpath_resume(struct fast_frame *f)
{
    struct thread *t = sched_current();
    long err = t->wait_result;
    t->fast_frame = NULL;
    if (t->fast_op == FAST_CALL) {
        ipc_forget_caller(t);
        if (err == -E_CLOSED && ipc_trace_any)
            trace_words("call", t, NULL, t->call_endpoint, f, t->call_id, err);
    }
    if (err < 0) {
        f->rax = (uint64_t)err;
        return;
    }
    const struct ipc_message *in = &t->ipc_in;
    f->rsi = in->tag;
    f->rdx = in->words[0];
    f->r10 = in->words[1];
    f->r8 = in->words[2];
    f->r9 = in->words[3];
    f->rdi = in->peer_pid | (uint64_t)in->badge << 32;
    f->rax = f->r13 != 0 ? (uint64_t)ipc_write_extra(f->r13, in) : 0;
}
