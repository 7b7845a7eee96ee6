/* The IPC and handle system calls (the table is in kernel/syscall.c). */
#ifndef IPC_IPC_SYSCALL_H
#define IPC_IPC_SYSCALL_H

struct trap_frame;

enum ipc_op { IPC_OP_SEND, IPC_OP_RECEIVE, IPC_OP_CALL, IPC_OP_REPLY, IPC_OP_REPLY_RECEIVE };

long sys_ipc(struct trap_frame *f, int op);
long sys_endpoint_create(struct trap_frame *f);
long sys_handle_dup(struct trap_frame *f);
long sys_handle_close(struct trap_frame *f);
long sys_handle_mint(struct trap_frame *f);
long sys_reply_save(struct trap_frame *f);
long sys_handle_info(struct trap_frame *f);
long sys_trace_set(struct trap_frame *f);

#endif
