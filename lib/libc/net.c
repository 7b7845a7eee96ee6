/*
 * The network client library (<parley/net.h>): /net names opened through
 * the namespace, then fs requests straight to the TCP/IP server on the
 * handle (<parley/proto/net.h> says what each one means there).
 *
 * Opening never waits for the network; FS_STAT on the new handle does,
 * and its status is the connection's outcome, so net_dial is an open and
 * a stat with the caller's timeout. Reads are fs reads whose offset the
 * server ignores, given a timeout the same way.
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/fs.h>
#include <parley/ipc_lib.h>
#include <parley/net.h>
#include <parley/sys.h>

#define NET_NAME_MAX 300

/* Opens /net/<kind>/<name> for reading and writing. */
static long open_name(const char *kind, const char *name)
{
    char path[NET_NAME_MAX];
    if ((size_t)snprintf(path, sizeof(path), "/net/%s/%s", kind, name) >= sizeof(path))
        return -E_RANGE;
    return ns_open(path, FS_RIGHT_READ | FS_RIGHT_WRITE);
}

/* Waits up to timeout_ns for the object behind handle to be ready (FS_STAT); w0 in *value. */
static long wait_ready(uint32_t handle, uint64_t timeout_ns, uint64_t *value)
{
    struct ipc_msg req = {.tag = FS_STAT}, reply;
    long err = ipc_request(handle, &req, &reply, timeout_ns, NULL);
    if (err == 0 && value != NULL)
        *value = reply.w[0];
    return err;
}

long net_dial(const char *host, unsigned port, uint64_t timeout_ns)
{
    char name[NET_NAME_MAX];
    if (port == 0 || port > 65535 || host[0] == '\0')
        return -E_INVAL;
    if ((size_t)snprintf(name, sizeof(name), "%s:%u", host, port) >= sizeof(name))
        return -E_RANGE;
    long conn = open_name("tcp", name);
    if (conn < 0)
        return conn;
    long err = wait_ready((uint32_t)conn, timeout_ns, NULL);
    if (err < 0) {
        net_close((uint32_t)conn);
        return err;
    }
    return conn;
}

long net_listen(unsigned port)
{
    char name[16];
    if (port == 0 || port > 65535)
        return -E_INVAL;
    snprintf(name, sizeof(name), ":%u", port);
    long listener = open_name("tcp", name);
    if (listener < 0)
        return listener;
    long err = wait_ready((uint32_t)listener, NET_FOREVER, NULL);
    if (err < 0) {
        net_close((uint32_t)listener);
        return err;
    }
    return listener;
}

long net_accept(uint32_t listener)
{
    return fs_open(listener, "accept", FS_RIGHT_READ | FS_RIGHT_WRITE);
}

long net_read(uint32_t conn, void *buf, size_t len, uint64_t timeout_ns)
{
    if (len == 0)
        return 0;
    if (len > FS_IO_MAX)
        len = FS_IO_MAX;
    struct ipc_msg req = {.tag = FS_READ, .w = {0, len}}, reply;
    struct ipc_extra extra = {0};
    long err = ipc_request(conn, &req, &reply, timeout_ns, &extra);
    if (err < 0) {
        ipc_extra_drop(&extra);
        return err;
    }
    size_t n = reply.w[0] < len ? reply.w[0] : len;
    if (n <= FS_INLINE && extra.recv_mem == 0) {
        memcpy(buf, &reply.w[1], n);
    } else if (extra.recv_mem != 0 && extra.recv_mem_length >= n) {
        memcpy(buf, (const void *)extra.recv_mem, n);
    } else {
        n = 0;
        err = -E_INVAL; /* the server broke the protocol */
    }
    ipc_extra_drop(&extra);
    return err < 0 ? err : (long)n;
}

long net_write(uint32_t conn, const void *buf, size_t len)
{
    const char *bytes = buf;
    size_t done = 0;
    while (done < len) {
        long n = file_write(conn, 0, bytes + done, len - done);
        if (n < 0)
            return n;
        if (n == 0)
            return -E_CLOSED;
        done += (size_t)n;
    }
    return (long)len;
}

long net_close(uint32_t conn)
{
    return file_close(conn);
}

long net_parse_address(const char *text, uint32_t *address)
{
    uint32_t bytes[4];
    const char *p = text;
    for (int i = 0; i < 4; i++) {
        if (*p < '0' || *p > '9')
            return -E_INVAL;
        uint32_t v = 0;
        int digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 4) {
            v = v * 10 + (uint32_t)(*p++ - '0');
            digits++;
        }
        if (v > 255 || digits > 3)
            return -E_INVAL;
        bytes[i] = v;
        if (i < 3 && *p++ != '.')
            return -E_INVAL;
    }
    if (*p != '\0')
        return -E_INVAL;
    /* Network byte order in memory: the first byte lowest on x86. */
    *address = bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24;
    return 0;
}

void net_format_address(uint32_t address, char out[16])
{
    snprintf(out, 16, "%u.%u.%u.%u", address & 0xFF, address >> 8 & 0xFF, address >> 16 & 0xFF,
             address >> 24);
}

long net_resolve(const char *name, uint32_t *address)
{
    if (net_parse_address(name, address) == 0)
        return 0;
    long obj = open_name("dns", name);
    if (obj < 0)
        return obj;
    uint64_t value = 0;
    long err = wait_ready((uint32_t)obj, NET_FOREVER, &value);
    net_close((uint32_t)obj);
    if (err == 0)
        *address = (uint32_t)value;
    return err;
}
