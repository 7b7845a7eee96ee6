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

/* Whether an event between these processes (either may be NULL) is traced. */
bool ipc_trace_wanted(const struct process *from, const struct process *to);

/*
 * Writes one trace line. `to` may be NULL (no receiver: "to=-"),
 * `from` NULL means the kernel; call_id 0 means none; err 0 means success.
 */
void ipc_trace(const char *op, const struct process *from, const struct process *to,
               uint32_t endpoint, const struct ipc_message *msg, uint64_t call_id, long err);

#endif
