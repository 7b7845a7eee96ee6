/*
 * The console client of <parley/console.h>: each function is one or a
 * few calls to the console server, following its protocol header.
 *
 * Text moves in the message's three spare words when it fits
 * (CONSOLE_INLINE bytes) and otherwise in a memory region moved with the
 * call: the client reserves it, fills it and gives it away; the server
 * releases it when done. A long line read comes back the same way, in a
 * region that is now ours to release.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>

#define WRITE_CHUNK (64u * 1024) /* the most text moved in one region */
#define PRINTF_STACK 256
#define PAGE 4096u /* regions move whole pages: a region's length is a multiple of this */

/* Writes one piece of at most WRITE_CHUNK bytes; returns what the server wrote. */
static long write_piece(uint32_t console, const char *buf, size_t len)
{
    struct ipc_msg req = {.tag = CONSOLE_WRITE, .w = {len}};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    if (len <= CONSOLE_INLINE) {
        memcpy(&req.w[1], buf, len);
        long err = ipc_request(console, &req, &reply, IPC_FOREVER, NULL);
        return err < 0 ? err : (long)reply.w[0];
    }
    size_t region = (len + PAGE - 1) & ~(size_t)(PAGE - 1);
    long addr = vm_region_new(region);
    if (addr < 0)
        return addr;
    memcpy((void *)addr, buf, len);
    extra.send_mem = (uint64_t)addr;
    extra.send_mem_length = region;
    long err = ipc_call(console, &req, &reply, IPC_FOREVER, &extra);
    if (err < 0) {
        /* Not delivered: the region is still ours (or, if the server died holding it, gone). */
        sys_vm_release((void *)addr, region);
        return err;
    }
    ipc_extra_drop(&extra);
    err = ipc_status(&reply);
    return err < 0 ? err : (long)reply.w[0];
}

long console_write(uint32_t console, const void *buf, size_t len)
{
    const char *text = buf;
    size_t done = 0;
    while (done < len) {
        size_t piece = len - done < WRITE_CHUNK ? len - done : WRITE_CHUNK;
        long n = write_piece(console, text + done, piece);
        if (n < 0)
            return n;
        done += piece;
    }
    return (long)len;
}

int console_printf(uint32_t console, const char *fmt, ...)
{
    char small[PRINTF_STACK];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return -E_INVAL;
    if ((size_t)n < sizeof(small))
        return (int)console_write(console, small, (size_t)n);

    char *big = malloc((size_t)n + 1);
    if (big == NULL)
        return -E_NOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    long written = console_write(console, big, (size_t)n);
    free(big);
    return (int)written;
}

long console_read_line(uint32_t console, char *buf, size_t size, unsigned flags)
{
    if (buf == NULL || size < 2)
        return -E_INVAL;
    size_t max = size - 1 < CONSOLE_LINE_MAX ? size - 1 : CONSOLE_LINE_MAX;
    struct ipc_msg req = {.tag = CONSOLE_READ_LINE, .w = {flags, max}};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    long err = ipc_request(console, &req, &reply, IPC_FOREVER, &extra);
    if (err == 0 && reply.w[3] == CONSOLE_EOF) {
        err = -E_CLOSED;
    } else if (err == 0) {
        size_t len = reply.w[0] < max ? (size_t)reply.w[0] : max;
        if (len <= CONSOLE_INLINE) {
            memcpy(buf, &reply.w[1], len);
        } else if (extra.recv_mem != 0 && extra.recv_mem_length >= len) {
            memcpy(buf, (const void *)extra.recv_mem, len);
        } else {
            len = 0;
            err = -E_INVAL; /* the server broke the protocol */
        }
        buf[len] = '\0';
        if (err == 0)
            err = (long)len;
    }
    ipc_extra_drop(&extra);
    return err;
}

long console_read_key(uint32_t console, struct console_key *key)
{
    struct ipc_msg req = {.tag = CONSOLE_READ_KEY};
    struct ipc_msg reply;
    long err = ipc_request(console, &req, &reply, IPC_FOREVER, NULL);
    if (err < 0)
        return err;
    key->key = (uint32_t)reply.w[0];
    key->mods = (uint32_t)reply.w[1];
    key->ch = (uint32_t)reply.w[3];
    return 0;
}

long console_info(uint32_t console, struct console_info *info)
{
    struct ipc_msg req = {.tag = CONSOLE_INFO};
    struct ipc_msg reply;
    long err = ipc_request(console, &req, &reply, IPC_FOREVER, NULL);
    if (err < 0)
        return err;
    info->cols = (uint32_t)reply.w[0];
    info->rows = (uint32_t)reply.w[1];
    info->number = (uint32_t)reply.w[2];
    return 0;
}
