/*
 * The IPC trace: one line per IPC event on COM1, when switched on for
 * everything (trace=ipc, or SYS_TRACE_SET with pid 0) or for a process.
 * docs/ipc-trace.md documents the line format.
 */
#ifndef IPC_TRACE_H
#define IPC_TRACE_H

#include <stdbool.h>
#include <stdint.h>

struct process;
struct ipc_message;

void ipc_trace_set_all(bool on);
void ipc_trace_set_process(struct process *p, bool on);

/* Whether an event between these processes (either may be NULL) is traced. */
bool ipc_trace_wanted(const struct process *from, const struct process *to);

/* True when the trace is on for anything at all: the IPC paths test this first. */
extern bool ipc_trace_any;

/*
 * Writes one trace line. `to` may be NULL (no receiver: "to=-"),
 * `from` NULL means the kernel; call_id 0 means none; err 0 means success.
 */
static inline void ipc_trace_maybe(const char *op, const struct process *from,
                                   const struct process *to, uint32_t endpoint,
                                   const struct ipc_message *msg, uint64_t call_id, long err);

void ipc_trace(const char *op, const struct process *from, const struct process *to,
               uint32_t endpoint, const struct ipc_message *msg, uint64_t call_id, long err);

static inline void ipc_trace_maybe(const char *op, const struct process *from,
                                   const struct process *to, uint32_t endpoint,
                                   const struct ipc_message *msg, uint64_t call_id, long err)
{
    if (ipc_trace_any)
        ipc_trace(op, from, to, endpoint, msg, call_id, err);
}

#endif
