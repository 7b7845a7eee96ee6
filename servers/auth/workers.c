/*
 * The worker threads and their delayed answers (see workers.h).
 *
 * Worker 0 is the thread that calls workers_serve; the others get a
 * stack of WORKER_STACK bytes of demand-paged memory each. Every worker
 * has its own account-file buffers, so they share nothing but the table
 * of clients (under clients_lock) and what main.c locks itself.
 */
#include "workers.h"

#include <stdio.h>

#include <parley/errors.h>
#include <parley/proto/auth.h>
#include <parley/sys.h>

#include "clients.h"
#include "lock.h"

#define PAGE 4096u
#define WORKER_STACK (256u * 1024)
#define WORKER_TEXT (((AUTH_FILE_MAX + 1) + PAGE - 1) / PAGE * PAGE)

/* A full table of clients can only refuse, never wrongly admit; but it should never fill. */
_Static_assert(CLIENTS_MAX >= AUTH_WORKERS * (1 + WORKER_REFUSALS),
               "every request in a worker or a queue can have its client entry");

static struct worker workers[AUTH_WORKERS];
static struct clients clients;
static struct lock clients_lock;

/* What every worker serves. */
static struct {
    uint32_t endpoint;
    const struct ipc_handler *handlers;
    size_t count;
} serving;

bool worker_take_turn(uint32_t badge)
{
    lock_take(&clients_lock);
    bool ok = clients_take_turn(&clients, badge);
    lock_give(&clients_lock);
    return ok;
}

void worker_end_turn(uint32_t badge)
{
    lock_take(&clients_lock);
    clients_end_turn(&clients, badge);
    lock_give(&clients_lock);
}

static bool take_wait(uint32_t badge)
{
    lock_take(&clients_lock);
    bool ok = clients_take_wait(&clients, badge);
    lock_give(&clients_lock);
    return ok;
}

static void end_wait(uint32_t badge)
{
    lock_take(&clients_lock);
    clients_end_wait(&clients, badge);
    lock_give(&clients_lock);
}

long worker_refuse(struct worker *w, uint32_t badge, long status, bool turn)
{
    bool held = turn || take_wait(badge);
    if (held && w->count < WORKER_REFUSALS) {
        long reply = reply_save();
        if (reply >= 0) {
            w->refusals[(w->first + w->count) % WORKER_REFUSALS] = (struct refusal){
                .due = time_now_ns() + AUTH_FAIL_DELAY_NS,
                .status = status,
                .reply = (uint32_t)reply,
                .badge = badge,
                .turn = turn,
            };
            w->count++;
            return IPC_NO_REPLY;
        }
    }
    if (!turn) {
        /* Busy and no room to wait: the caller learns nothing by a quick answer. */
        if (held)
            end_wait(badge);
        return status;
    }
    /* A failed check must never answer fast: this worker waits instead. */
    sys_sleep(AUTH_FAIL_DELAY_NS);
    worker_end_turn(badge);
    return status;
}

/* Sends one delayed answer and gives back what it held. */
static void send_refusal(const struct refusal *r)
{
    struct ipc_msg msg = {.tag = (uint64_t)r->status};
    long err = ipc_reply_to(r->reply, &msg, NULL);
    if (err < 0 && err != -E_CLOSED)
        handle_close(r->reply); /* undeliverable: the caller gets -E_CLOSED */
    if (r->turn)
        worker_end_turn(r->badge);
    else
        end_wait(r->badge);
}

/* The serve loop's hook: sends what is due and says how long to wait for the rest. */
static uint64_t answer_due(void *context)
{
    struct worker *w = context;
    while (w->count > 0) {
        const struct refusal *r = &w->refusals[w->first];
        uint64_t now = time_now_ns();
        if (r->due > now)
            return r->due - now;
        send_refusal(r);
        w->first = (w->first + 1) % WORKER_REFUSALS;
        w->count--;
    }
    return IPC_FOREVER;
}

static const struct ipc_serve_hooks hooks = {answer_due};

/* Requests bring at most one page of strings (proto/auth.h), so no region may be larger. */
static int serve(struct worker *w)
{
    return ipc_serve_limited(serving.endpoint, serving.handlers, serving.count, w, &hooks, PAGE);
}

static void worker_main(void *arg)
{
    int err = serve(arg);
    if (err < 0)
        printf("auth: a worker stopped: %s\n", error_string(err));
    sys_thread_exit();
}

/* Gives w its buffers; false if there is no memory. */
static bool worker_setup(struct worker *w)
{
    long text = sys_vm_reserve(3 * WORKER_TEXT, VM_READ | VM_WRITE);
    if (text < 0)
        return false;
    w->passwd_text = (char *)text;
    w->shadow_text = (char *)text + WORKER_TEXT;
    w->shadow_new = (char *)text + 2 * WORKER_TEXT;
    return true;
}

int workers_serve(uint32_t endpoint, const struct ipc_handler *handlers, size_t count)
{
    serving.endpoint = endpoint;
    serving.handlers = handlers;
    serving.count = count;
    if (!worker_setup(&workers[0]))
        return -E_NOMEM;
    unsigned started = 1;
    for (unsigned i = 1; i < AUTH_WORKERS; i++) {
        long stack = sys_vm_reserve(WORKER_STACK, VM_READ | VM_WRITE);
        long tid = stack < 0 || !worker_setup(&workers[i])
                       ? -E_NOMEM
                       : sys_thread_create(worker_main, (char *)stack + WORKER_STACK, &workers[i]);
        if (tid < 0) {
            printf("auth: cannot start worker %u: %s\n", i, error_string((int)tid));
            break;
        }
        started++;
    }
    printf("auth: ready (%u workers)\n", started);
    return serve(&workers[0]);
}
