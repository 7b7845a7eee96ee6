/*
 * The auth client (see auth_client.h). A request's strings go one after
 * another in w1..w3 when they fit, else in a one-page region moved with
 * the call; the region is wiped first, since it holds passwords.
 */
#include "auth_client.h"

#include <stdbool.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>

#define PAGE 4096u

/* Sends `count` strings with the request; *extra holds what came with the reply. */
static long call_with_strings(uint32_t auth, uint64_t tag, const char *const *strings, int count,
                              struct ipc_msg *reply, struct ipc_extra *extra)
{
    size_t length[3] = {0, 0, 0}, total = 0;
    static const size_t max[3] = {AUTH_NAME_MAX, AUTH_PASSWORD_MAX, AUTH_PASSWORD_MAX};
    for (int i = 0; i < count; i++) {
        length[i] = strlen(strings[i]);
        if (length[i] > max[i])
            return -E_RANGE;
        total += length[i];
    }
    struct ipc_msg req = {.tag = tag, .w = {AUTH_LENGTHS(length[0], length[1], length[2])}};
    char *out = (char *)&req.w[1];
    memset(extra, 0, sizeof(*extra));
    if (total > AUTH_INLINE) {
        long region = sys_vm_reserve(PAGE, VM_READ | VM_WRITE);
        if (region < 0)
            return region;
        out = (char *)region;
        extra->send_mem = (uint64_t)region;
        extra->send_mem_length = PAGE;
    }
    for (int i = 0; i < count; i++) {
        memcpy(out, strings[i], length[i]);
        out += length[i];
    }
    long err = ipc_call(auth, &req, reply, IPC_FOREVER, extra);
    memset(&req, 0, sizeof(req));
    if (err < 0) {
        if (extra->send_mem != 0) {
            memset((void *)extra->send_mem, 0, PAGE);
            sys_vm_release((void *)extra->send_mem, PAGE);
        }
        memset(extra, 0, sizeof(*extra));
        return err;
    }
    return ipc_status(reply);
}

/* Copies a string of the reply into out (AUTH_PATH_MAX + 1 bytes). */
static bool copy_field(char *out, const char *from, size_t length)
{
    if (length > AUTH_PATH_MAX || memchr(from, '\0', length) != NULL)
        return false;
    memcpy(out, from, length);
    out[length] = '\0';
    return true;
}

long auth_login(uint32_t auth, const char *name, const char *password, struct auth_user *user)
{
    const char *strings[] = {name, password};
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = call_with_strings(auth, AUTH_LOGIN, strings, 2, &reply, &extra);
    if (err == 0) {
        size_t home = AUTH_LENGTH(reply.w[1], 0), shell = AUTH_LENGTH(reply.w[1], 1);
        const char *bytes = (const char *)&reply.w[2];
        if (home + shell > AUTH_REPLY_INLINE)
            bytes = extra.recv_mem != 0 && extra.recv_mem_length >= home + shell
                        ? (const char *)extra.recv_mem
                        : NULL;
        user->uid = (uint32_t)reply.w[0];
        if (bytes == NULL || !copy_field(user->home, bytes, home) ||
            !copy_field(user->shell, bytes + home, shell))
            err = -E_INVAL; /* the server broke the protocol */
    }
    ipc_extra_drop(&extra);
    return err;
}

long auth_passwd(uint32_t auth, const char *name, const char *old_password,
                 const char *new_password)
{
    const char *strings[] = {name, old_password, new_password};
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = call_with_strings(auth, AUTH_PASSWD, strings, 3, &reply, &extra);
    ipc_extra_drop(&extra);
    return err;
}

long auth_mint(uint32_t auth, uint32_t uid)
{
    struct ipc_msg req = {.tag = AUTH_MINT, .w = {uid}};
    struct ipc_msg reply;
    struct ipc_extra extra = {0};
    long err = ipc_request(auth, &req, &reply, IPC_FOREVER, &extra);
    long handle = err < 0 ? err : -E_INVAL;
    if (err == 0 && extra.recv_count > 0) {
        handle = extra.recv_handles[0];
        extra.recv_handles[0] = extra.recv_handles[--extra.recv_count];
    }
    ipc_extra_drop(&extra);
    return handle;
}
