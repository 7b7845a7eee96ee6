/* The IPC and handle system calls (the table is in kernel/syscall.c). */
#ifndef IPC_IPC_SYSCALL_H
#define IPC_IPC_SYSCALL_H

#include <stdint.h>

struct trap_frame;
struct ipc_message;

enum ipc_op { IPC_OP_SEND, IPC_OP_RECEIVE, IPC_OP_CALL, IPC_OP_REPLY, IPC_OP_REPLY_RECEIVE };

long sys_ipc(struct trap_frame *f, int op);

/*
 * Writes the receive half of the user's struct ipc_extra from a delivered
 * message, every byte of it (unused handle slots and padding are zero,
 * never old kernel stack). 0 or -E_FAULT.
 */
long ipc_write_extra(uint64_t user_extra, const struct ipc_message *in);
long sys_endpoint_create(struct trap_frame *f);
long sys_handle_dup(struct trap_frame *f);
long sys_handle_close(struct trap_frame *f);
long sys_handle_mint(struct trap_frame *f);
long sys_reply_save(struct trap_frame *f);
long sys_handle_info(struct trap_frame *f);
long sys_trace_set(struct trap_frame *f);

#endif
