/*
 * The IPC library of <parley/ipc_lib.h>: the raw IPC system calls and the
 * client's ipc_request. The server's dispatch loop ipc_serve, which only
 * calls these, is in ipc_serve.c.
 *
 * The IPC calls do not fit sys_call6: a message needs eight argument
 * registers (rdi, rsi, rdx, r10, r8, r9, r12, r13) and comes back in six
 * (rax, rsi, rdx, r10, r8, r9, plus the sender's pid in rdi), so they
 * have their own trap, ipc_trap, below.
 */
#include <stddef.h>
#include <stdint.h>

#include <parley/errors.h>
#include <parley/ipc.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <parley/syscall.h>

/*
 * One IPC system call. r12 and r13 have no constraint letters, hence the
 * register variables. Every argument register is an output too: the
 * kernel writes a received message over them, and declaring them changed
 * keeps the compiler from assuming any survive. The received message is
 * stored only on success, so *out is left alone when the call fails.
 */
static long ipc_trap(long number, uint32_t handle, const struct ipc_msg *in, uint64_t timeout_ns,
                     struct ipc_extra *extra, struct ipc_msg *out, uint64_t *sender)
{
    register uint64_t r10 __asm__("r10") = in != NULL ? in->w[1] : 0;
    register uint64_t r8 __asm__("r8") = in != NULL ? in->w[2] : 0;
    register uint64_t r9 __asm__("r9") = in != NULL ? in->w[3] : 0;
    register uint64_t r12 __asm__("r12") = timeout_ns;
    register uint64_t r13 __asm__("r13") = (uint64_t)extra;
    uint64_t rdi = handle;
    uint64_t rsi = in != NULL ? in->tag : 0;
    uint64_t rdx = in != NULL ? in->w[0] : 0;
    long ret = number;

    __asm__ volatile("syscall"
                     : "+a"(ret), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9),
                       "+r"(r12), "+r"(r13)
                     :
                     : "rcx", "r11", "memory");
    if (ret < 0)
        return ret;
    if (out != NULL) {
        out->tag = rsi;
        out->w[0] = rdx;
        out->w[1] = r10;
        out->w[2] = r8;
        out->w[3] = r9;
    }
    if (sender != NULL)
        *sender = rdi;
    return ret;
}

long ipc_send(uint32_t handle, const struct ipc_msg *msg, uint64_t timeout_ns,
              struct ipc_extra *extra)
{
    return ipc_trap(SYS_IPC_SEND, handle, msg, timeout_ns, extra, NULL, NULL);
}

long ipc_receive(uint32_t handle, struct ipc_msg *out, uint64_t timeout_ns, struct ipc_extra *extra,
                 uint64_t *sender)
{
    return ipc_trap(SYS_IPC_RECEIVE, handle, NULL, timeout_ns, extra, out, sender);
}

long ipc_call(uint32_t handle, const struct ipc_msg *req, struct ipc_msg *reply,
              uint64_t timeout_ns, struct ipc_extra *extra)
{
    return ipc_trap(SYS_IPC_CALL, handle, req, timeout_ns, extra, reply, NULL);
}

long ipc_reply(const struct ipc_msg *reply, struct ipc_extra *extra)
{
    return ipc_trap(SYS_IPC_REPLY, 0, reply, IPC_POLL, extra, NULL, NULL);
}

long ipc_reply_receive(uint32_t handle, const struct ipc_msg *reply, struct ipc_msg *next,
                       uint64_t timeout_ns, struct ipc_extra *extra, uint64_t *sender)
{
    return ipc_trap(SYS_IPC_REPLY_RECEIVE, handle, reply, timeout_ns, extra, next, sender);
}

long ipc_reply_to(uint32_t reply_handle, const struct ipc_msg *reply, struct ipc_extra *extra)
{
    return ipc_trap(SYS_IPC_REPLY, reply_handle, reply, IPC_POLL, extra, NULL, NULL);
}

long reply_save(void)
{
    return sys_call6(SYS_REPLY_SAVE, 0, 0, 0, 0, 0, 0);
}

long handle_mint(uint32_t handle, uint32_t rights, uint32_t badge)
{
    return sys_call6(SYS_HANDLE_MINT, handle, rights, badge, 0, 0, 0);
}

long endpoint_create(void)
{
    return sys_call6(SYS_ENDPOINT_CREATE, 0, 0, 0, 0, 0, 0);
}

long handle_dup(uint32_t handle, uint32_t rights)
{
    return sys_call6(SYS_HANDLE_DUP, handle, rights, 0, 0, 0, 0);
}

long handle_close(uint32_t handle)
{
    return sys_call6(SYS_HANDLE_CLOSE, handle, 0, 0, 0, 0, 0);
}

long handle_info(uint32_t handle)
{
    return sys_call6(SYS_HANDLE_INFO, handle, 0, 0, 0, 0, 0);
}

long trace_set(uint32_t trace_handle, uint32_t pid, int on)
{
    return sys_call6(SYS_TRACE_SET, trace_handle, pid, on, 0, 0, 0);
}

long ipc_request(uint32_t handle, const struct ipc_msg *req, struct ipc_msg *reply,
                 uint64_t timeout_ns, struct ipc_extra *extra)
{
    long err = ipc_call(handle, req, reply, timeout_ns, extra);

    return err < 0 ? err : ipc_status(reply);
}
