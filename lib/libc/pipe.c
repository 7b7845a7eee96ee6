/*
 * The pipe client of <parley/pipe.h>: each function is one or a few calls
 * to the pipe server, following <parley/proto/pipe.h>.
 *
 * Bytes travel in the message's spare words when they fit (PIPE_INLINE)
 * and otherwise in a memory region: a writer reserves it, fills it and
 * gives it away with the call; a reader gets one back with the reply and
 * releases it after copying. Transfers bigger than PIPE_IO_MAX go in
 * pieces.
 */
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#define PAGE 4096u /* regions move whole pages */

long pipe_create(uint32_t server, uint32_t ends[2])
{
    struct ipc_msg req = {.tag = PIPE_CREATE};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    long err = ipc_request(server, &req, &reply, IPC_FOREVER, &extra);
    if (err == 0 && extra.recv_count == 2) {
        ends[0] = extra.recv_handles[0];
        ends[1] = extra.recv_handles[1];
        return 0;
    }
    ipc_extra_drop(&extra);
    return err < 0 ? err : -E_INVAL; /* success without two handles breaks the protocol */
}

long pipe_session(uint32_t server)
{
    struct ipc_msg req = {.tag = PIPE_SESSION};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    long err = ipc_request(server, &req, &reply, IPC_FOREVER, &extra);
    if (err == 0 && extra.recv_count == 1)
        return extra.recv_handles[0];
    ipc_extra_drop(&extra);
    return err < 0 ? err : -E_INVAL; /* success without a handle breaks the protocol */
}

long pipe_read(uint32_t end, void *buf, size_t len)
{
    if (len == 0)
        return 0;
    struct ipc_msg req = {.tag = PIPE_READ, .w = {len < PIPE_IO_MAX ? len : PIPE_IO_MAX}};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    long err = ipc_request(end, &req, &reply, IPC_FOREVER, &extra);
    if (err == 0) {
        size_t n = reply.w[0];
        if (n > req.w[0]) {
            err = -E_INVAL;
        } else if (n <= PIPE_INLINE) {
            memcpy(buf, &reply.w[1], n);
            err = (long)n;
        } else if (extra.recv_mem != 0 && extra.recv_mem_length >= n) {
            memcpy(buf, (const void *)extra.recv_mem, n);
            err = (long)n;
        } else {
            err = -E_INVAL; /* the server broke the protocol */
        }
    }
    ipc_extra_drop(&extra);
    return err;
}

/* Writes one piece of at most PIPE_IO_MAX bytes. */
static long write_piece(uint32_t end, const char *buf, size_t len)
{
    struct ipc_msg req = {.tag = PIPE_WRITE, .w = {len}};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    if (len <= PIPE_INLINE) {
        memcpy(&req.w[1], buf, len);
        return ipc_request(end, &req, &reply, IPC_FOREVER, NULL);
    }
    size_t size = (len + PAGE - 1) & ~(size_t)(PAGE - 1);
    long addr = vm_region_new(size);
    if (addr < 0)
        return addr;
    memcpy((void *)addr, buf, len);
    extra.send_mem = (uint64_t)addr;
    extra.send_mem_length = size;
    long err = ipc_call(end, &req, &reply, IPC_FOREVER, &extra);
    if (err < 0) {
        /* Not delivered: the region is still ours (or gone with a server that died holding it). */
        sys_vm_release((void *)addr, size);
        return err;
    }
    ipc_extra_drop(&extra);
    return ipc_status(&reply);
}

long pipe_write(uint32_t end, const void *buf, size_t len)
{
    const char *bytes = buf;
    for (size_t done = 0; done < len;) {
        size_t piece = len - done < PIPE_IO_MAX ? len - done : PIPE_IO_MAX;
        long err = write_piece(end, bytes + done, piece);
        if (err < 0)
            return err;
        done += piece;
    }
    return (long)len;
}

long pipe_dup(uint32_t end)
{
    struct ipc_msg req = {.tag = PIPE_DUP};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    long err = ipc_request(end, &req, &reply, IPC_FOREVER, &extra);
    if (err == 0 && extra.recv_count == 1)
        return extra.recv_handles[0];
    ipc_extra_drop(&extra);
    return err < 0 ? err : -E_INVAL;
}

long pipe_stat(uint32_t end, struct pipe_stat *st)
{
    struct ipc_msg req = {.tag = PIPE_STAT};
    struct ipc_msg reply;
    long err = ipc_request(end, &req, &reply, IPC_FOREVER, NULL);
    if (err < 0)
        return err;
    st->number = (uint32_t)reply.w[0];
    st->kind = (uint32_t)reply.w[1];
    st->buffered = reply.w[2];
    st->readers = (uint32_t)reply.w[3];
    st->writers = (uint32_t)(reply.w[3] >> 32);
    return 0;
}

long pipe_close(uint32_t end)
{
    struct ipc_msg req = {.tag = PIPE_CLOSE};
    struct ipc_msg reply;
    long err = ipc_request(end, &req, &reply, IPC_FOREVER, NULL);
    handle_close(end);
    return err;
}
