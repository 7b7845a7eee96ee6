/*
 * The auth server's worker threads and its delayed answers.
 *
 * AUTH_WORKERS threads receive on auth's one endpoint, each running the
 * library's serve loop (ipc_serve_limited) with the same handlers, so that
 * many requests are checked at once. Each password check takes
 * PASSWORD_MEMORY_KIB (19 MiB) of memory for its length, and a worker
 * checks one at a time, so auth never needs more than AUTH_WORKERS times
 * that: this number is the memory bound (docs/passwords.md).
 *
 * A failed check is not answered by sleeping in the worker: the handler
 * saves the right to reply (reply_save) and worker_refuse queues it; the
 * worker sends the answer once AUTH_FAIL_DELAY_NS has passed, from the
 * serve loop's before_wait hook, and serves other callers meanwhile. The
 * delay therefore costs only the caller that failed. clients.h says how
 * one user's share of the workers is bounded.
 */
#ifndef AUTH_WORKERS_H
#define AUTH_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <parley/ipc_lib.h>
#include <parley/proto/auth.h>

#define AUTH_WORKERS 2     /* threads serving requests: at most this many checks at once */
#define WORKER_REFUSALS 16 /* delayed answers one worker keeps */

/* An answer waiting out its delay. */
struct refusal {
    uint64_t due;   /* time_now_ns() at which it goes */
    long status;    /* the reply's status: -E_PERM, -E_AGAIN */
    uint32_t reply; /* the saved reply right */
    uint32_t badge; /* whose turn or wait it holds */
    bool turn;      /* it holds a turn (else a wait) */
};

/*
 * One worker's own state, the context its handlers get: a buffer of
 * AUTH_FILE_MAX + 1 bytes for each account file (one more than the
 * largest file, so a larger one shows) and one for the rewritten shadow,
 * and its delayed answers, oldest first in a ring (every delay is the
 * same, so the oldest is due first).
 */
struct worker {
    char *passwd_text;
    char *shadow_text;
    char *shadow_new;
    struct refusal refusals[WORKER_REFUSALS];
    unsigned first, count;
};

/*
 * Starts AUTH_WORKERS - 1 threads serving endpoint with the handlers and
 * serves in the calling thread too; returns as ipc_serve does.
 */
int workers_serve(uint32_t endpoint, const struct ipc_handler *handlers, size_t count);

/* A turn for badge (clients.h); false if it has none free. */
bool worker_take_turn(uint32_t badge);

/* Gives back badge's turn: the request was answered without a delay. */
void worker_end_turn(uint32_t badge);

/*
 * Answers the request being handled with status after AUTH_FAIL_DELAY_NS
 * and returns IPC_NO_REPLY for the handler to return. With turn, the
 * request holds a turn of badge, given back when the answer goes; else it
 * came without one (busy), and takes a wait. When a busy request gets no
 * wait it is answered at once (status is returned); when a turn's answer
 * cannot be queued, the worker sleeps the delay itself.
 */
long worker_refuse(struct worker *w, uint32_t badge, long status, bool turn);

#endif
