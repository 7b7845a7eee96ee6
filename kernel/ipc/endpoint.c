/*
 * Rendezvous IPC.
 *
 * A message never waits in a kernel buffer: it moves when a sender and a
 * receiver meet. Whichever arrives first waits on the endpoint's queue
 * (a sender with its message in thread->ipc_out); the second one moves
 * the message itself, in its own context:
 *
 *   transfer()  checks everything first — the sender's handles still
 *               exist with RIGHT_TRANSFER, the receiver can take handles
 *               and memory and has room — and only then moves words,
 *               handles and the memory region (page-table entries, not
 *               bytes). On any failure nothing has moved.
 *
 * A call is a send after which the caller stays blocked; the receiving
 * thread gets a one-shot reply right (reply_to), so only it can answer.
 * If it dies first, the caller wakes with -E_CLOSED. A timeout covers the
 * whole call. The single CPU runs the kernel with interrupts off, so no
 * locks are needed.
 */
#include "ipc/endpoint.h"

#include <stddef.h>

#include <parley/errors.h>
#include <parley/ipc.h>

#include "arch/tsc.h"
#include "ipc/handle.h"
#include "ipc/trace.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "proc/process.h"
#include "sched/sched.h"

static uint32_t next_endpoint_id = 1;
static uint64_t next_call_id = 1;

static void ipc_thread_exit_reply(struct thread *t);
static long ipc_receive_handoff(uint32_t handle, uint64_t timeout_ns, struct thread *woken);
static long receive_now(struct thread *t, struct endpoint *ep);

/* Saved reply rights: a reply the server answers later, from any of its threads. */
struct reply_cap {
    struct kobject object;
    struct thread *caller; /* NULL once the caller stopped waiting */
};

/*
 * The handles carrying one badge, on one endpoint. When the count falls
 * to 0 the record moves to the endpoint's closed list until a receive
 * takes it as an IPC_TAG_CLOSED message (docs/ipc.md, "Peer death").
 * There is at most one record per badged handle, so they cost kernel
 * memory in proportion to the handles that exist.
 */
struct badge_count {
    struct list_node link;
    uint32_t badge;
    uint32_t count;
};

static struct endpoint *endpoint_of(struct kobject *object)
{
    return container_of(object, struct endpoint, object);
}

static struct badge_count *badge_find(struct endpoint *ep, uint32_t badge)
{
    struct list_node *node;
    list_for_each(node, &ep->badges)
    {
        struct badge_count *b = container_of(node, struct badge_count, link);
        if (b->badge == badge)
            return b;
    }
    return NULL;
}

static long endpoint_handle_added(struct kobject *object, uint32_t rights, uint32_t badge)
{
    struct endpoint *ep = endpoint_of(object);
    if (badge != 0) {
        struct badge_count *b = badge_find(ep, badge);
        if (b == NULL) {
            b = kzalloc(sizeof(*b));
            if (b == NULL)
                return -E_NOMEM;
            b->badge = badge;
            list_push_back(&ep->badges, &b->link);
        }
        b->count++;
    }
    ep->senders += (rights & RIGHT_SEND) != 0;
    ep->receivers += (rights & RIGHT_RECEIVE) != 0;
    return 0;
}

static struct ipc_message closed_message(uint32_t badge)
{
    return (struct ipc_message){.tag = IPC_TAG_CLOSED, .words = {badge}, .badge = badge};
}

/* The last handle with this badge is gone: tell a waiting receiver, or keep it for the next. */
static void badge_closed(struct endpoint *ep, struct badge_count *b)
{
    list_remove(&b->link);
    if (ep->receivers == 0) {
        kfree(b); /* nobody could ever hear it */
        return;
    }
    if (!list_empty(&ep->recv_queue)) {
        struct thread *t = container_of(list_first(&ep->recv_queue), struct thread, sched_link);
        t->ipc_in = closed_message(b->badge);
        ipc_trace_maybe("notify", NULL, t->process, ep->id, &t->ipc_in, 0, 0);
        kfree(b);
        sched_wake(t, 0);
        return;
    }
    list_push_back(&ep->closed, &b->link);
}

/* The last possible receiver gone: senders get -E_CLOSED; and vice versa. */
static void endpoint_handle_removed(struct kobject *object, uint32_t rights, uint32_t badge)
{
    struct endpoint *ep = endpoint_of(object);
    struct badge_count *b = badge != 0 ? badge_find(ep, badge) : NULL;
    if (b != NULL && --b->count == 0)
        badge_closed(ep, b);
    if ((rights & RIGHT_SEND) && --ep->senders == 0)
        sched_wake_all(&ep->recv_queue, -E_CLOSED);
    if ((rights & RIGHT_RECEIVE) && --ep->receivers == 0)
        sched_wake_all(&ep->send_queue, -E_CLOSED);
}

static void free_badges(struct list_node *list)
{
    while (!list_empty(list)) {
        struct list_node *node = list_first(list);
        list_remove(node);
        kfree(container_of(node, struct badge_count, link));
    }
}

static void endpoint_destroy(struct kobject *object)
{
    struct endpoint *ep = endpoint_of(object);
    free_badges(&ep->badges);
    free_badges(&ep->closed);
    sched_wake_all(&ep->send_queue, -E_CLOSED);
    sched_wake_all(&ep->recv_queue, -E_CLOSED);
    kfree(ep);
}

static const struct kobject_ops endpoint_ops = {
    .handle_added = endpoint_handle_added,
    .handle_removed = endpoint_handle_removed,
    .destroy = endpoint_destroy,
};

long endpoint_create(void)
{
    struct endpoint *ep = kzalloc(sizeof(*ep));
    if (ep == NULL)
        return -E_NOMEM;
    ep->object = (struct kobject){.type = OBJECT_ENDPOINT, .ops = &endpoint_ops};
    ep->id = next_endpoint_id++;
    list_init(&ep->send_queue);
    list_init(&ep->recv_queue);
    list_init(&ep->badges);
    list_init(&ep->closed);
    long h = handle_install(&process_current()->handles, &ep->object, RIGHTS_ALL);
    if (h < 0)
        kfree(ep);
    return h;
}

static uint64_t deadline(uint64_t timeout_ns)
{
    if (timeout_ns == IPC_FOREVER)
        return 0;
    uint64_t now = tsc_nanos_since_boot();
    uint64_t at = now + timeout_ns;
    return at < now ? 0 : at;
}

/* Checks a message's handles against the sender's table. */
static long check_handles(struct process *sender, const struct ipc_message *msg)
{
    for (uint32_t i = 0; i < msg->handle_count; i++) {
        uint32_t rights = RIGHT_TRANSFER;
        if (msg->copy_flags & IPC_COPY_HANDLE(i))
            rights |= RIGHT_DUPLICATE;
        long err;
        if (handle_get(&sender->handles, msg->handles[i], 0, rights, &err) == NULL)
            return err;
        for (uint32_t j = 0; j < i; j++)
            if (msg->handles[j] == msg->handles[i] && !(msg->copy_flags & IPC_COPY_HANDLE(j)))
                return -E_INVAL; /* moving one handle twice */
    }
    if (msg->mem_length != 0 && aspace_region_check(sender->aspace, msg->mem, msg->mem_length) < 0)
        return -E_INVAL;
    return 0;
}

/* Moves `msg` from thread `from` to thread `to` (see the top of this file). */
static long transfer(struct thread *from, const struct ipc_message *msg, struct thread *to)
{
    struct process *sender = from->process, *receiver = to->process;
    bool extra = msg->handle_count != 0 || msg->mem_length != 0;
    long err = extra ? check_handles(sender, msg) : 0;
    if (err < 0)
        return err;
    if (extra && !to->ipc_accepts_extra)
        return -E_NOSPC;
    if (msg->handle_count != 0 && handle_free_slots(&receiver->handles) < msg->handle_count)
        return -E_NOSPC;
    int64_t target = 0;
    if (msg->mem_length != 0) {
        if (to->ipc_mem_max != 0 && msg->mem_length > to->ipc_mem_max)
            return -E_RANGE; /* longer than the receiver said it takes */
        if (!aspace_region_fits(receiver->aspace, msg->mem_length))
            return -E_NOSPC;
        target =
            aspace_region_reserve_for(receiver->aspace, sender->aspace, msg->mem, msg->mem_length);
        if (target < 0)
            return -E_NOMEM;
    }

    struct ipc_message *in = &to->ipc_in;
    in->tag = msg->tag;
    for (int i = 0; i < 4; i++)
        in->words[i] = msg->words[i];
    in->peer_pid = sender->pid;
    in->badge = msg->badge;
    in->handle_count = msg->handle_count;
    in->copy_flags = 0;
    for (uint32_t i = 0; i < msg->handle_count; i++) {
        uint32_t h = msg->handles[i];
        if (msg->copy_flags & IPC_COPY_HANDLE(i)) {
            in->handles[i] = (uint32_t)handle_copy(&sender->handles, h, &receiver->handles);
        } else {
            in->handles[i] = handle_move(&sender->handles, h, &receiver->handles);
        }
    }
    in->mem = (uint64_t)target;
    in->mem_length = msg->mem_length;
    if (msg->mem_length != 0)
        aspace_region_move(sender->aspace, msg->mem, msg->mem_length, receiver->aspace,
                           (uint64_t)target);
    sender->messages_sent++, receiver->messages_received++; /* fastpath.c counts its own */
    return 0;
}

static struct endpoint *lookup(uint32_t handle, uint32_t rights, long *err)
{
    struct kobject *object =
        handle_get(&process_current()->handles, handle, OBJECT_ENDPOINT, rights, err);
    return object != NULL ? endpoint_of(object) : NULL;
}

/* The traced view of a delivered message: what moved, from the sender's side. */
static void trace_delivery(const char *op, struct thread *from, struct thread *to, uint32_t ep_id,
                           const struct ipc_message *msg, uint64_t call_id)
{
    ipc_trace_maybe(op, from->process, to->process, ep_id, msg, call_id, 0);
}

/*
 * Links a delivered call to the thread that received it. A server thread
 * holds one reply right: if it still held one from an earlier call, that
 * caller can no longer be answered and gets -E_CLOSED.
 */
static void start_call(struct thread *caller, struct thread *server)
{
    ipc_thread_exit_reply(server);
    caller->reply_from = server;
    server->reply_to = caller;
}

/* A caller stops waiting (timeout, failure, exit): whoever holds its reply right forgets it. */
void ipc_forget_caller(struct thread *t)
{
    if (t->reply_from != NULL) {
        t->reply_from->reply_to = NULL;
        t->reply_from = NULL;
    }
    if (t->reply_cap != NULL) {
        t->reply_cap->caller = NULL;
        t->reply_cap = NULL;
    }
}

uint64_t ipc_new_call_id(void)
{
    return next_call_id++;
}

static long finish_call(struct thread *t, long result)
{
    ipc_forget_caller(t);
    return result;
}

static long send_or_call(uint32_t handle, struct ipc_message *msg, uint64_t timeout_ns,
                         bool is_call)
{
    struct thread *t = sched_current();
    const char *op = is_call ? "call" : "send";
    long err;
    struct endpoint *ep = lookup(handle, RIGHT_SEND, &err);
    if (ep != NULL)
        msg->badge = t->process->handles.slots[handle].badge;
    if (ep != NULL && msg->tag >= IPC_TAG_KERNEL)
        err = -E_INVAL; /* the kernel's tags (notifications, peer closed) are the kernel's alone */
    if (ep == NULL || err < 0 ||
        (msg->handle_count + msg->mem_length != 0 && (err = check_handles(t->process, msg)) < 0)) {
        ipc_trace_maybe(op, t->process, NULL, ep != NULL ? ep->id : 0, msg, 0, err);
        return err;
    }
    if (ep->receivers == 0) {
        ipc_trace_maybe(op, t->process, NULL, ep->id, msg, 0, -E_CLOSED);
        return -E_CLOSED;
    }
    /*
     * After blocking, `ep` may be gone: another thread of ours can close
     * the last handle while we wait, which frees it. Only its id is used
     * from here on.
     */
    uint32_t ep_id = ep->id;
    uint64_t call_id = is_call ? ipc_new_call_id() : 0;
    t->call_id = call_id;
    t->call_endpoint = ep_id;
    if (!list_empty(&ep->recv_queue)) {
        struct thread *receiver =
            container_of(list_first(&ep->recv_queue), struct thread, sched_link);
        err = transfer(t, msg, receiver);
        if (err < 0) {
            ipc_trace_maybe(op, t->process, receiver->process, ep_id, msg, call_id, err);
            return err;
        }
        trace_delivery(op, t, receiver, ep_id, msg, call_id);
        if (!is_call) {
            sched_wake(receiver, 0);
            return 0;
        }
        start_call(t, receiver);
        /*
         * IPC_POLL means "do not wait for a receiver"; the reply gets until
         * the next timer tick (deadline(IPC_POLL) is now), never for ever.
         */
        err = finish_call(t, sched_block_handoff(NULL, deadline(timeout_ns), receiver, 0));
        if (err == -E_TIMEOUT || err == -E_CLOSED)
            ipc_trace_maybe(op, t->process, NULL, ep_id, msg, call_id, err);
        return err;
    }
    if (timeout_ns == IPC_POLL) {
        ipc_trace_maybe(op, t->process, NULL, ep_id, msg, call_id, -E_AGAIN);
        return -E_AGAIN;
    }
    t->ipc_out = *msg;
    t->ipc_is_call = is_call;
    err = finish_call(t, sched_block(&ep->send_queue, deadline(timeout_ns)));
    if (err == -E_TIMEOUT || err == -E_CLOSED)
        ipc_trace_maybe(op, t->process, NULL, ep_id, msg, call_id, err);
    return err;
}

long ipc_send(uint32_t handle, struct ipc_message *msg, uint64_t timeout_ns)
{
    return send_or_call(handle, msg, timeout_ns, false);
}

long ipc_call(uint32_t handle, struct ipc_message *msg, uint64_t timeout_ns)
{
    return send_or_call(handle, msg, timeout_ns, true);
}

long ipc_receive(uint32_t handle, uint64_t timeout_ns)
{
    return ipc_receive_handoff(handle, timeout_ns, NULL);
}

/*
 * Receives; `woken` (may be NULL) is a caller that has just been answered
 * and must be woken: if we block, it runs next directly (the reply's
 * hand-off), otherwise it goes to the run queue as usual.
 */
static long ipc_receive_handoff(uint32_t handle, uint64_t timeout_ns, struct thread *woken)
{
    struct thread *t = sched_current();
    long err;
    struct endpoint *ep = lookup(handle, RIGHT_RECEIVE, &err);
    if (ep != NULL)
        err = receive_now(t, ep);
    if (err != -E_AGAIN || timeout_ns == IPC_POLL) {
        if (woken != NULL)
            sched_wake(woken, 0);
        return err;
    }
    if (woken != NULL)
        return sched_block_handoff(&ep->recv_queue, deadline(timeout_ns), woken, 0);
    return sched_block(&ep->recv_queue, deadline(timeout_ns));
}

/* Takes a waiting message if there is one; -E_AGAIN if the caller must wait. */
static long receive_now(struct thread *t, struct endpoint *ep)
{
    long err;
    if (ep->notify_bits != 0) {
        t->ipc_in = (struct ipc_message){.tag = IPC_TAG_NOTIFY, .words = {ep->notify_bits}};
        ep->notify_bits = 0;
        ipc_trace_maybe("notify", NULL, t->process, ep->id, &t->ipc_in, 0, 0);
        return 0;
    }
    if (!list_empty(&ep->closed)) {
        struct badge_count *b = container_of(list_first(&ep->closed), struct badge_count, link);
        list_remove(&b->link);
        t->ipc_in = closed_message(b->badge);
        kfree(b);
        ipc_trace_maybe("notify", NULL, t->process, ep->id, &t->ipc_in, 0, 0);
        return 0;
    }
    while (!list_empty(&ep->send_queue)) {
        struct thread *sender =
            container_of(list_first(&ep->send_queue), struct thread, sched_link);
        list_remove(&sender->sched_link);
        const char *op = sender->ipc_is_call ? "call" : "send";
        err = transfer(sender, &sender->ipc_out, t);
        if (err < 0) {
            /* This sender's message cannot be delivered: it gets the error, we go on. */
            ipc_trace_maybe(op, sender->process, t->process, ep->id, &sender->ipc_out,
                            sender->call_id, err);
            sched_wake(sender, err);
            continue;
        }
        trace_delivery(op, sender, t, ep->id, &sender->ipc_out, sender->call_id);
        if (sender->ipc_is_call)
            start_call(sender, t); /* it stays blocked until we reply */
        else
            sched_wake(sender, 0);
        return 0;
    }
    if (ep->senders == 0)
        return -E_CLOSED;
    return -E_AGAIN;
}

/*
 * Delivers a reply to `caller` but leaves waking it to the caller of this
 * function; on failure nothing changes and the caller keeps waiting.
 */
static long deliver_reply_quietly(struct thread *t, const struct ipc_message *msg,
                                  struct thread *caller)
{
    if (caller->state != THREAD_BLOCKED) {
        /* Its timeout fired and it has not run since: the call is over. */
        ipc_forget_caller(caller);
        return -E_CLOSED;
    }
    long err = transfer(t, msg, caller);
    if (err < 0) {
        ipc_trace_maybe("reply", t->process, caller->process, caller->call_endpoint, msg,
                        caller->call_id, err);
        return err;
    }
    trace_delivery("reply", t, caller, caller->call_endpoint, msg, caller->call_id);
    ipc_forget_caller(caller);
    return 0;
}

static long deliver_reply(struct thread *t, const struct ipc_message *msg, struct thread *caller)
{
    long err = deliver_reply_quietly(t, msg, caller);
    if (err == 0)
        sched_wake(caller, 0);
    return err;
}

long ipc_reply_receive(const struct ipc_message *msg, uint32_t handle, uint64_t timeout_ns)
{
    struct thread *t = sched_current();
    struct thread *caller = t->reply_to;
    if (caller != NULL) {
        long err = deliver_reply_quietly(t, msg, caller);
        if (err < 0 && err != -E_CLOSED)
            return err; /* a reply that cannot go: the server hears of it, the caller waits */
        if (err < 0)
            caller = NULL; /* the caller gave up: nothing to answer, go on receiving */
    }
    return ipc_receive_handoff(handle, timeout_ns, caller);
}

long ipc_reply(const struct ipc_message *msg)
{
    struct thread *t = sched_current();
    if (t->reply_to == NULL)
        return -E_INVAL;
    long err = deliver_reply(t, msg, t->reply_to);
    return err == -E_CLOSED ? -E_INVAL : err; /* a timed-out call is no call to answer */
}

static void reply_cap_destroy(struct kobject *object)
{
    struct reply_cap *cap = container_of(object, struct reply_cap, object);
    struct thread *caller = cap->caller;
    if (caller != NULL) { /* dropped unanswered */
        caller->reply_cap = NULL;
        sched_wake(caller, -E_CLOSED);
    }
    kfree(cap);
}

static const struct kobject_ops reply_cap_ops = {NULL, NULL, reply_cap_destroy};

long ipc_reply_save(void)
{
    struct thread *t = sched_current();
    struct thread *caller = t->reply_to;
    if (caller == NULL)
        return -E_INVAL;
    struct reply_cap *cap = kzalloc(sizeof(*cap));
    if (cap == NULL)
        return -E_NOMEM;
    cap->object = (struct kobject){.type = OBJECT_REPLY, .ops = &reply_cap_ops};
    long h = handle_install(&t->process->handles, &cap->object, RIGHT_USE | RIGHT_TRANSFER);
    if (h < 0) {
        kfree(cap);
        return h;
    }
    t->reply_to = NULL;
    caller->reply_from = NULL;
    caller->reply_cap = cap;
    cap->caller = caller;
    return h;
}

bool ipc_reply_waiting(struct kobject *object)
{
    return container_of(object, struct reply_cap, object)->caller != NULL;
}

long ipc_reply_saved(uint32_t handle, const struct ipc_message *msg)
{
    struct thread *t = sched_current();
    long err;
    struct kobject *object =
        handle_get(&t->process->handles, handle, OBJECT_REPLY, RIGHT_USE, &err);
    if (object == NULL)
        return err;
    struct reply_cap *cap = container_of(object, struct reply_cap, object);
    if (cap->caller != NULL) {
        err = deliver_reply(t, msg, cap->caller);
        if (err < 0 && cap->caller != NULL)
            return err; /* undeliverable: the caller still waits, the server may try again */
        if (err < 0)
            err = -E_CLOSED;
    } else {
        err = -E_CLOSED; /* the caller gave up waiting; the handle goes all the same */
    }
    handle_close(&t->process->handles, handle);
    return err;
}

void endpoint_notify(struct endpoint *ep, uint64_t bits)
{
    if (!list_empty(&ep->recv_queue)) {
        struct thread *t = container_of(list_first(&ep->recv_queue), struct thread, sched_link);
        t->ipc_in = (struct ipc_message){.tag = IPC_TAG_NOTIFY, .words = {bits}};
        ipc_trace_maybe("notify", NULL, t->process, ep->id, &t->ipc_in, 0, 0);
        sched_wake(t, 0);
        return;
    }
    ep->notify_bits |= bits;
}

static void ipc_thread_exit_reply(struct thread *t)
{
    if (t->reply_to != NULL) {
        struct thread *caller = t->reply_to;
        t->reply_to = NULL;
        caller->reply_from = NULL;
        sched_wake(caller, -E_CLOSED);
    }
}

void ipc_thread_exit(struct thread *t)
{
    ipc_thread_exit_reply(t);
    ipc_forget_caller(t);
}
