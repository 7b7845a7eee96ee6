/*
 * Host stand-ins for the system calls a server makes, so a fuzz target
 * can run a server's real code (its main.c and lib/libc/ipc_serve.c's
 * ipc_serve loop) on the build machine with the sanitizers watching.
 *
 * The stubs play the kernel and every client at once. The fuzz target
 * hands them a script (stub_begin): each time the server's loop receives,
 * the script's next message is delivered, with fresh handles and a region
 * if it says so. A region is a buffer of exactly its length, so ASan
 * catches any read or write past it. The stubs keep the books a kernel
 * keeps and abort (via stub_require) on anything a real kernel would
 * refuse or a server must never do:
 *
 *   - a reply's status is 0 or a negative code of <parley/errors.h>, and
 *     an error reply carries no words, handles or region;
 *   - a handle closed, minted from, moved or answered through must be one
 *     the server holds, of the right kind; a region released or moved
 *     must be one it holds, whole;
 *   - every call is answered before the next message, or its reply right
 *     saved (reply_save) and answered later through that handle.
 *
 * The server's own handles are 1 (its endpoint) and 2 (a send handle to
 * mint from), as init wires every service; the stubs number the rest from
 * STUB_HANDLE_FIRST. What a target can check between messages and at the
 * end: stub_held() counts what the server still holds, stub_badges()
 * lists every badge it minted (so the script can send through them and
 * close them all at the end).
 */
#ifndef TESTS_FUZZ_SERVER_STUBS_H
#define TESTS_FUZZ_SERVER_STUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <parley/ipc_lib.h>

#define STUB_HANDLE_FIRST 16
#define STUB_HANDLES_MAX 1024
#define STUB_BADGES_MAX 1024
#define STUB_PAGE 4096u

/* One message of the script, as a client (or the kernel, pid 0) sends it. */
struct stub_message {
    struct ipc_msg msg;
    uint64_t sender;            /* pid | badge << 32, as the server sees it */
    bool call;                  /* a call waits for its reply; a send does not */
    uint32_t handles;           /* fresh handles moved with it (0..IPC_MAX_HANDLES) */
    uint64_t region_length;     /* a region of this many bytes moved with it (0: none) */
    const uint8_t *region_data; /* its first bytes (the rest are zero), or NULL */
    size_t region_data_length;  /* at most region_length */
};

/*
 * The script: fills *m with the next message and returns true, or returns
 * false when there is none left (the server's receive then sees
 * -E_CLOSED and ipc_serve returns).
 */
typedef bool (*stub_next_fn)(void *arg, struct stub_message *m);

/* What the server holds that stub_held() counts. */
enum stub_kind {
    STUB_FREE,     /* not a handle */
    STUB_RECEIVED, /* arrived with a message */
    STUB_MINTED,   /* made by handle_mint, not yet moved to a client */
    STUB_REPLY,    /* a saved reply right (reply_save) */
    STUB_REGION,   /* a region: received or reserved, not yet moved or released */
    STUB_KINDS
};

/* Aborts with `what` unless ok: a broken invariant. */
void stub_require(bool ok, const char *what);

/* Forgets everything from the last run and starts serving the script. */
void stub_begin(stub_next_fn next, void *arg);

/* How many things of `kind` the server holds now. */
size_t stub_held(enum stub_kind kind);

/* Every badge the server minted since stub_begin, in order; *count gets how many. */
const uint32_t *stub_badges(size_t *count);

/*
 * The caller whose reply right is the index-th saved one still held
 * (modulo how many there are) dies: answering it now gives -E_CLOSED.
 * Does nothing if no reply right is held.
 */
void stub_kill_waiter(size_t index);

/*
 * A fuzz input read as a script: each field comes from the next bytes,
 * little-endian, and bytes past the end read as 0. closing counts the
 * minted badges stub_next_close has closed so far.
 */
struct stub_script {
    const uint8_t *data;
    size_t size, at;
    size_t closing;
};

/* The next `bytes` bytes (at most 8) as a number. */
uint64_t stub_take(struct stub_script *s, size_t bytes);

/* A badge the server minted, picked by the next byte; 0 if it minted none. */
uint32_t stub_take_minted(struct stub_script *s);

/*
 * For after a script's records: fills *m with the kernel's word that the
 * next minted badge not yet closed is gone, and returns true; false once
 * every badge the server minted has been closed so.
 */
bool stub_next_close(struct stub_script *s, struct stub_message *m);

/* Sends stdout to /dev/null: a server prints "ready" and "stopped" every run. */
void stub_quiet(void);

/* Frees every buffer the stubs still own (after the checks: no leak reports). */
void stub_end(void);

#endif
