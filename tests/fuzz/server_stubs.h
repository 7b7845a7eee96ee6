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
 *     must be one it holds, whole (closing or releasing what the last
 *     message it sent moved away only fails, as in the kernel: ipc_serve
 *     does so when ipc_reply_receive fails);
 *   - every call is answered before the next message, or its reply right
 *     saved (reply_save) and answered later through that handle.
 *
 * The server's own handles are 1 (its endpoint) and 2 (a send handle to
 * mint from), as init wires most services, or as stub_own says; the stubs
 * number the rest as the kernel does, the lowest free number first. A server that calls or sends
 * to another server (ipc_call, ipc_send) reaches the target's stub_peer,
 * which plays that server. What a target can check between messages and at the
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

/*
 * A message the server sent to another server (ipc_call or ipc_send),
 * as the target playing that server sees it.
 */
struct stub_sent {
    uint32_t handle; /* the handle it went through */
    bool call;       /* a call: it waits for the reply */
    const struct ipc_msg *msg;
    const uint8_t *region; /* a region moved with it (its bytes), or NULL */
    size_t region_length;
    uint32_t handles; /* handles moved or copied with it */
};

/*
 * The other server: returns a negative error if the message does not get
 * there (the kernel's answer, such as -E_CLOSED; nothing moves), else 0
 * and, for a call, fills *reply (zeroed) with the reply: msg.tag its
 * status, and handles and a region that come with it as with a script's
 * message (sender and call are not used).
 */
typedef long (*stub_peer_fn)(void *arg, const struct stub_sent *sent, struct stub_message *reply);

/* Aborts with `what` unless ok: a broken invariant. */
void stub_require(bool ok, const char *what);

/*
 * Forgets everything from the last run and starts serving the script,
 * with the server's own handles as most services have them (stub_own(2,
 * 2)) and no other server to call (stub_peer(NULL, NULL)).
 */
void stub_begin(stub_next_fn next, void *arg);

/*
 * The server's own handles are 1..count, every one an endpoint handle with
 * all rights (handle_info), which it may not close; 1 is the endpoint it
 * serves on, `mint` (0: none) the one it mints badged handles from, the
 * others lead to other servers.
 */
void stub_own(uint32_t count, uint32_t mint);

/* Who answers the server's calls and sends (after stub_begin). */
void stub_peer(stub_peer_fn peer, void *arg);

/* How many things of `kind` the server holds now. */
size_t stub_held(enum stub_kind kind);

/* What handle number `handle` is in the server (STUB_FREE: none the stubs handed it). */
enum stub_kind stub_handle_kind(uint32_t handle);

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
