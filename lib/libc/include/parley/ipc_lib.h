/*
 * The IPC library: the one way servers and clients talk to each other.
 *
 * It has three layers, each built on the one before:
 *
 *   1. The raw calls (ipc_send ... ipc_reply_receive, endpoint_create,
 *      handle_*), one system call each, with the register layout of
 *      <parley/ipc.h>. They return 0 or the kernel's negative error code.
 *   2. ipc_request: a call that also reads the server's status out of the
 *      reply, so a client sees one error code for "the kernel could not
 *      deliver it" and "the server refused it".
 *   3. ipc_serve: a server's whole receive loop, dispatching each request
 *      by tag to a handler from a table.
 *
 * The reply convention (used by ipc_serve and ipc_request, and by every
 * server built on them):
 *
 *   A request's tag names the operation: PARLEY_TAG(protocol, message)
 *   from the protocol's header in <parley/proto/>. A reply's tag is the
 *   status: IPC_STATUS_OK (0) for success, or a negative Parley error code
 *   (-E_PERM, -E_NOSYS, ...) as a 64-bit two's-complement value;
 *   ipc_status() reads it back. A failed reply carries zero words and no
 *   handles or memory. An operation the server does not know gets
 *   -E_NOSYS.
 *
 * Handles and memory that arrive with a message belong to whoever
 * received it: close and release them when done (ipc_extra_drop).
 */
#ifndef PARLEY_IPC_LIB_H
#define PARLEY_IPC_LIB_H

#include <stddef.h>
#include <stdint.h>

#include <parley/ipc.h>

#define IPC_STATUS_OK 0

/* A message as it travels in registers: a tag and four data words. */
struct ipc_msg {
    uint64_t tag;
    uint64_t w[4];
};

/* --- Raw calls: one system call each --- */

/*
 * Sends msg on the endpoint, waiting up to timeout_ns (IPC_POLL: not at
 * all, IPC_FOREVER: no limit) for a receiver. extra, if not NULL, names
 * handles and a memory region to move with it.
 */
long ipc_send(uint32_t handle, const struct ipc_msg *msg, uint64_t timeout_ns,
              struct ipc_extra *extra);

/*
 * Waits for a message on the endpoint and stores it in *out, who sent it
 * in *sender (if not NULL; see IPC_SENDER_PID) and what came with it in
 * extra's recv_* fields. Without an extra, messages carrying handles or memory fail at
 * the sender with -E_NOSPC.
 */
long ipc_receive(uint32_t handle, struct ipc_msg *out, uint64_t timeout_ns, struct ipc_extra *extra,
                 uint64_t *sender);

/*
 * Sends req and waits for the reply from the thread that receives it;
 * extra's send_* fields go with the request, its recv_* fields get what
 * came with the reply.
 */
long ipc_call(uint32_t handle, const struct ipc_msg *req, struct ipc_msg *reply,
              uint64_t timeout_ns, struct ipc_extra *extra);

/* Answers the last call this thread received; never blocks. */
long ipc_reply(const struct ipc_msg *reply, struct ipc_extra *extra);

/*
 * ipc_reply then ipc_receive in one system call: how a server answers one
 * request and waits for the next. extra's send_* fields go with the reply
 * and its recv_* fields get what came with the next message.
 */
long ipc_reply_receive(uint32_t handle, const struct ipc_msg *reply, struct ipc_msg *next,
                       uint64_t timeout_ns, struct ipc_extra *extra, uint64_t *sender);

/*
 * Who sent a received message: the kernel reports the sender's pid and the
 * badge of the handle it sent through (0 if unbadged) as one 64-bit value.
 */
#define IPC_SENDER_PID(sender) ((uint32_t)(sender))
#define IPC_SENDER_BADGE(sender) ((uint32_t)((sender) >> 32))

/*
 * For a handler of IPC_TAG_CLOSED: the badge whose last handle is gone,
 * or 0 if the message did not come from the kernel (pid 0) — a client
 * may send any tag, so only the kernel's word counts.
 */
static inline uint32_t ipc_closed_badge(uint64_t sender)
{
    return IPC_SENDER_PID(sender) == 0 ? IPC_SENDER_BADGE(sender) : 0;
}

/*
 * Deferred replies: reply_save() turns the right to answer the call this
 * thread received last into a handle, so the server can go on receiving;
 * ipc_reply_to() answers through that handle later (and closes it).
 * Closing it unanswered gives the caller -E_CLOSED.
 */
long reply_save(void);
long ipc_reply_to(uint32_t reply_handle, const struct ipc_msg *reply, struct ipc_extra *extra);

/*
 * A new handle to the same object with `rights` (a subset) carrying
 * `badge`, which receivers see with every message sent through it. Only an
 * unbadged handle can be minted.
 */
long handle_mint(uint32_t handle, uint32_t rights, uint32_t badge);

/* A new endpoint; returns a handle to it with RIGHTS_ALL. */
long endpoint_create(void);

/* A new handle to the same object with the given rights (a subset). */
long handle_dup(uint32_t handle, uint32_t rights);

long handle_close(uint32_t handle);

/* OBJECT_* type << 32 | RIGHT_* bits, or a negative error. */
long handle_info(uint32_t handle);

/* Switches the IPC trace on or off for process pid (0: all), given the trace capability. */
long trace_set(uint32_t trace_handle, uint32_t pid, int on);

/* --- Clients --- */

/* The status a reply carries in its tag: 0 or a negative error code. */
static inline long ipc_status(const struct ipc_msg *reply)
{
    return (long)reply->tag;
}

/*
 * A call following the reply convention: returns the kernel's error if
 * the call failed (-E_TIMEOUT after timeout_ns, -E_CLOSED if the server
 * is gone, ...), else the server's status from the reply tag. *reply is
 * filled in either way when the call got through. extra may be NULL.
 */
long ipc_request(uint32_t handle, const struct ipc_msg *req, struct ipc_msg *reply,
                 uint64_t timeout_ns, struct ipc_extra *extra);

/* Closes the handles and releases the memory that arrived in extra's recv_* fields. */
void ipc_extra_drop(const struct ipc_extra *extra);

/* --- Servers --- */

/*
 * One entry of a server's dispatch table. The handler gets the request,
 * what came with it and the sender (pid and badge, see IPC_SENDER_PID),
 * fills in reply's words (zeroed beforehand) and optionally reply_extra's
 * send_* fields (zeroed too), and returns 0 or a negative error, which
 * becomes the reply tag (an error reply carries nothing else), or
 * IPC_NO_REPLY. The handles and memory reply_extra names
 * for moving (not copying) are given up either way: moved with the reply,
 * or closed and released if the handler failed or the reply could not
 * be delivered.
 * Kernel notifications (tags from IPC_TAG_KERNEL up) go to a handler the
 * same way but get no reply.
 */
struct ipc_handler {
    uint64_t tag;
    long (*handle)(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                   uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra);
};

/* A handler returns this after reply_save(): ipc_serve then sends no reply. */
#define IPC_NO_REPLY 1

/*
 * Serves requests on endpoint (a handle with RIGHT_RECEIVE) with the
 * handlers, passing context to each, one system call per request
 * (ipc_reply_receive). Returns 0 when every client is gone (the receive
 * gives -E_CLOSED), or the negative error that made serving impossible
 * (a bad handle, a missing right).
 */
int ipc_serve(uint32_t endpoint, const struct ipc_handler *handlers, size_t count, void *context);

/*
 * The longest region ipc_serve accepts with a request unless told
 * otherwise: four times the largest payload of any protocol (FS_IO_MAX
 * and PIPE_IO_MAX, 1 MiB). A client sending a longer one gets -E_RANGE
 * from its call and the server never sees it (see recv_mem_max in
 * <parley/ipc.h>).
 */
#define IPC_SERVE_MEM_MAX (4ull << 20)

/*
 * For a server that also has work of its own (timers, queued output):
 * before_wait runs before every wait for the next message, with the
 * server's context, and returns how long that wait may last in ns
 * (IPC_FOREVER: no limit). A wait that times out calls it again.
 */
struct ipc_serve_hooks {
    uint64_t (*before_wait)(void *context);
};

/* ipc_serve with hooks (NULL: none). */
int ipc_serve_hooked(uint32_t endpoint, const struct ipc_handler *handlers, size_t count,
                     void *context, const struct ipc_serve_hooks *hooks);

/*
 * ipc_serve_hooked taking regions of at most recv_mem_max bytes (0:
 * IPC_SERVE_MEM_MAX), for a server whose protocol needs less (or more).
 */
int ipc_serve_limited(uint32_t endpoint, const struct ipc_handler *handlers, size_t count,
                      void *context, const struct ipc_serve_hooks *hooks, uint64_t recv_mem_max);

#endif
