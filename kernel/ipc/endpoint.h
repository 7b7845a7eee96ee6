/*
 * Endpoints and the IPC operations on them (docs/ipc.md).
 */
#ifndef IPC_ENDPOINT_H
#define IPC_ENDPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "ipc/object.h"
#include "lib/list.h"

struct thread;
struct ipc_message;

struct endpoint {
    struct kobject object;
    uint32_t id;                 /* for the trace */
    uint32_t senders;            /* handles with RIGHT_SEND */
    uint32_t receivers;          /* handles with RIGHT_RECEIVE */
    struct list_node send_queue; /* threads waiting to send or call */
    struct list_node recv_queue; /* threads waiting to receive */
    uint64_t notify_bits;        /* notifications not yet received */
    struct list_node badges;     /* struct badge_count: handles of each badge in use */
    struct list_node closed;     /* struct badge_count: badges whose last handle went, not yet received */
};

/* A new endpoint, installed in the current process with RIGHTS_ALL; returns the handle. */
long endpoint_create(void);

/*
 * The operations, for the current thread. `msg` is the outgoing message
 * (already copied from the caller's registers and ipc_extra); send and
 * call stamp it with the badge of the handle it goes through. On success
 * a receiving operation leaves the delivered message in the thread's
 * ipc_in. timeout_ns: IPC_POLL, IPC_FOREVER or a relative time.
 */
long ipc_send(uint32_t handle, struct ipc_message *msg, uint64_t timeout_ns);
long ipc_call(uint32_t handle, struct ipc_message *msg, uint64_t timeout_ns);
long ipc_receive(uint32_t handle, uint64_t timeout_ns);
long ipc_reply(const struct ipc_message *msg);

/*
 * Replies to the last call (if any: a missing caller is not an error here)
 * and receives the next message, handing the CPU straight to the answered
 * caller if we block. An error in the reply itself is returned without
 * receiving.
 */
long ipc_reply_receive(const struct ipc_message *msg, uint32_t handle, uint64_t timeout_ns);

/*
 * Turns the current thread's reply right into a handle (OBJECT_REPLY), so
 * the server can go on receiving and answer this caller later with
 * ipc_reply_saved(). Closing the handle unanswered gives the caller -E_CLOSED.
 */
long ipc_reply_save(void);
long ipc_reply_saved(uint32_t handle, const struct ipc_message *msg);

/*
 * Whether the caller of a saved reply (an OBJECT_REPLY object) still
 * waits for it: false once it timed out, failed or exited, so a server
 * can drop a reader nobody waits for (SYS_HANDLE_INFO says -E_CLOSED).
 */
bool ipc_reply_waiting(struct kobject *object);

/* Signals notification bits on an endpoint without ever blocking (IRQ delivery). */
void endpoint_notify(struct endpoint *ep, uint64_t bits);

/*
 * For the fast path (ipc/fastpath.c), which does what the general path
 * does: a fresh id for a call, and a caller's reply links cut once it
 * stops waiting.
 */
uint64_t ipc_new_call_id(void);
void ipc_forget_caller(struct thread *t);

/* Cuts a dying thread's reply links: its caller, if any, gets -E_CLOSED. */
void ipc_thread_exit(struct thread *t);

#endif
