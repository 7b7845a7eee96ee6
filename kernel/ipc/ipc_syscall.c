/*
 * The IPC and handle system calls: decoding the register layout of
 * parley/ipc.h into a struct ipc_message, and the delivered message back
 * into the caller's registers and struct ipc_extra.
 */
#include "ipc/ipc_syscall.h"

#include <stddef.h>

#include <parley/errors.h>
#include <parley/ipc.h>

#include "ipc/endpoint.h"
#include "ipc/handle.h"
#include "ipc/trace.h"
#include "common/string.h"
#include "proc/process.h"
#include "proc/usercopy.h"
#include "sched/sched.h"
#include "trap.h"

/*
 * Reads the outgoing message (for operations that send) and the receive
 * limit from the input half of the ipc_extra, if one was given; *extra
 * is left with send_count 0 when nothing is sent.
 */
static long read_message(struct trap_frame *f, bool sending, struct ipc_message *msg,
                         struct ipc_extra *extra)
{
    /* Only the fields a message without handles or memory needs: this is the fast path. */
    msg->tag = f->rsi;
    msg->words[0] = f->rdx;
    msg->words[1] = f->r10;
    msg->words[2] = f->r8;
    msg->words[3] = f->r9;
    msg->handle_count = 0;
    msg->copy_flags = 0;
    msg->mem = 0;
    msg->mem_length = 0;
    msg->badge = 0;
    struct thread *t = sched_current();
    t->ipc_accepts_extra = f->r13 != 0;
    t->ipc_mem_max = 0;
    if (f->r13 == 0)
        return 0;
    extra->send_count = 0;
    if (!sending) {
        if (copy_from_user(&t->ipc_mem_max, f->r13 + offsetof(struct ipc_extra, recv_mem_max),
                           sizeof(t->ipc_mem_max)) < 0)
            return -E_FAULT;
        return 0;
    }
    /* Only the input half is read; the receive half is written on delivery. */
    if (copy_from_user(extra, f->r13, offsetof(struct ipc_extra, recv_handles)) < 0)
        return -E_FAULT;
    t->ipc_mem_max = extra->recv_mem_max;
    if (extra->send_count > IPC_MAX_HANDLES || extra->send_mem % 4096 != 0 ||
        extra->send_mem_length % 4096 != 0 ||
        (extra->send_mem_length == 0) != (extra->send_mem == 0))
        return -E_INVAL;
    msg->handle_count = extra->send_count;
    msg->copy_flags = extra->send_flags;
    for (uint32_t i = 0; i < extra->send_count; i++)
        msg->handles[i] = extra->send_handles[i];
    msg->mem = extra->send_mem;
    msg->mem_length = extra->send_mem_length;
    return 0;
}

long ipc_write_extra(uint64_t user_extra, const struct ipc_message *in)
{
    struct ipc_extra extra;
    memset(&extra, 0, sizeof(extra));
    extra.recv_count = in->handle_count;
    for (uint32_t i = 0; i < in->handle_count; i++)
        extra.recv_handles[i] = in->handles[i];
    extra.recv_mem = in->mem;
    extra.recv_mem_length = in->mem != 0 ? in->mem_length : 0;
    size_t half = offsetof(struct ipc_extra, recv_handles);
    return copy_to_user(user_extra + half, (const char *)&extra + half, sizeof(extra) - half);
}

/* Hands the delivered message to the user: registers, then the extra part. */
static long write_message(struct trap_frame *f)
{
    const struct ipc_message *in = &sched_current()->ipc_in;
    f->rsi = in->tag;
    f->rdx = in->words[0];
    f->r10 = in->words[1];
    f->r8 = in->words[2];
    f->r9 = in->words[3];
    f->rdi = in->peer_pid | (uint64_t)in->badge << 32;
    return f->r13 != 0 ? ipc_write_extra(f->r13, in) : 0;
}

long sys_ipc(struct trap_frame *f, int op)
{
    struct ipc_message msg;
    struct ipc_extra extra;
    long err = read_message(f, op != IPC_OP_RECEIVE, &msg, &extra);
    if (err < 0)
        return err;
    uint32_t handle = (uint32_t)f->rdi;
    uint64_t timeout = f->r12;
    switch (op) {
    case IPC_OP_SEND:
        return ipc_send(handle, &msg, timeout);
    case IPC_OP_CALL:
        err = ipc_call(handle, &msg, timeout);
        break;
    case IPC_OP_RECEIVE:
        err = ipc_receive(handle, timeout);
        break;
    case IPC_OP_REPLY:
        return handle != 0 ? ipc_reply_saved(handle, &msg) : ipc_reply(&msg);
    case IPC_OP_REPLY_RECEIVE:
        /* A caller that is gone (or none) does not stop the server from going on. */
        err = ipc_reply_receive(&msg, handle, timeout);
        break;
    default:
        return -E_NOSYS;
    }
    return err < 0 ? err : write_message(f);
}

long sys_endpoint_create(struct trap_frame *f)
{
    (void)f;
    return endpoint_create();
}

long sys_handle_dup(struct trap_frame *f)
{
    if (f->rsi & ~(uint64_t)RIGHTS_ALL)
        return -E_INVAL;
    return handle_dup(&process_current()->handles, (uint32_t)f->rdi, (uint32_t)f->rsi);
}

long sys_handle_mint(struct trap_frame *f)
{
    if (f->rsi & ~(uint64_t)RIGHTS_ALL || f->rdx == 0 || f->rdx > UINT32_MAX)
        return -E_INVAL;
    return handle_mint(&process_current()->handles, (uint32_t)f->rdi, (uint32_t)f->rsi,
                       (uint32_t)f->rdx);
}

long sys_reply_save(struct trap_frame *f)
{
    (void)f;
    return ipc_reply_save();
}

long sys_handle_close(struct trap_frame *f)
{
    return handle_close(&process_current()->handles, (uint32_t)f->rdi);
}

long sys_handle_info(struct trap_frame *f)
{
    long err;
    struct handle_table *table = &process_current()->handles;
    struct kobject *object = handle_get(table, (uint32_t)f->rdi, 0, 0, &err);
    if (object == NULL)
        return err;
    if (object->type == OBJECT_REPLY && !ipc_reply_waiting(object))
        return -E_CLOSED; /* its caller stopped waiting: the reply can only be dropped */
    return (long)((uint64_t)object->type << 32 | table->slots[(uint32_t)f->rdi].rights);
}

long sys_trace_set(struct trap_frame *f)
{
    long err;
    if (handle_get(&process_current()->handles, (uint32_t)f->rdi, OBJECT_TRACE, RIGHT_USE, &err) ==
        NULL)
        return err;
    bool on = f->rdx != 0;
    if (f->rsi == 0) {
        ipc_trace_set_all(on);
        return 0;
    }
    struct process *p = f->rsi <= UINT32_MAX ? process_find((uint32_t)f->rsi) : NULL;
    if (p == NULL)
        return -E_SRCH;
    ipc_trace_set_process(p, on);
    return 0;
}
