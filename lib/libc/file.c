/*
 * The file library of <parley/file.h>: names resolved through the
 * namespace (the vfs, <parley/proto/ns.h>), programs started from files.
 *
 * Each ns_* function makes the path absolute against PWD, then makes one
 * call to the vfs with the path in the message words or, if longer than
 * FS_INLINE, in a memory region given away with the call. The vfs
 * normalises again: it trusts nothing a client sends.
 */
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>

#define PAGE 4096u

static uint32_t ns_current = NS_HANDLE;

uint32_t ns_use(uint32_t ns)
{
    uint32_t before = ns_current;
    ns_current = ns;
    return before;
}

long path_absolute(const char *path, char *out, size_t size)
{
    const char *pwd = getenv("PWD");
    return path_join(pwd != NULL ? pwd : "/", path, out, size);
}

/*
 * Calls the vfs with `length` bytes: in w1..w3 if they fit, else in a
 * region moved with the call. w0 = length | bits. Returns the kernel's
 * error or the vfs's status; *extra holds what came with the reply.
 */
static long ns_call(uint32_t ns, uint64_t tag, uint64_t bits, const void *bytes, size_t length,
                    struct ipc_msg *reply, struct ipc_extra *extra)
{
    struct ipc_msg req = {.tag = tag, .w = {length | bits}};
    return fs_call_with_bytes(ns, &req, 1, FS_INLINE, bytes, length, reply, extra);
}

/* A request about one path, relative to PWD; the reply's handles and memory are dropped. */
static long ns_path_call(uint64_t tag, const char *path, uint64_t bits, struct ipc_msg *reply)
{
    char absolute[FS_PATH_MAX + 1];
    long length = path_absolute(path, absolute, sizeof(absolute));
    if (length < 0)
        return length;
    struct ipc_extra extra;
    long err = ns_call(ns_current, tag, bits, absolute, (size_t)length, reply, &extra);
    ipc_extra_drop(&extra);
    return err;
}

/* The first handle that came with a successful reply; the rest are dropped. */
static long take_handle(long err, struct ipc_extra *extra)
{
    long handle = err < 0 ? err : -E_INVAL; /* success without a handle breaks the protocol */
    if (err == 0 && extra->recv_count > 0) {
        handle = extra->recv_handles[0];
        extra->recv_handles[0] = extra->recv_handles[--extra->recv_count];
    }
    ipc_extra_drop(extra);
    return handle;
}

long ns_open(const char *path, uint32_t flags)
{
    char absolute[FS_PATH_MAX + 1];
    long length = path_absolute(path, absolute, sizeof(absolute));
    if (length < 0)
        return length;
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = ns_call(ns_current, NS_OPEN, FS_PATH_WORD(0, 0, flags), absolute, (size_t)length,
                       &reply, &extra);
    return take_handle(err, &extra);
}

long ns_stat(const char *path, struct fs_stat *st)
{
    struct ipc_msg reply;
    long err = ns_path_call(NS_STAT, path, 0, &reply);
    return fs_stat_reply(err, &reply, st); /* the same reply as FS_STAT's */
}

long ns_readdir(const char *path, uint64_t index, struct fs_dirent *entry)
{
    if (index > UINT32_MAX)
        return -E_NOENT;
    char absolute[FS_PATH_MAX + 1];
    long length = path_absolute(path, absolute, sizeof(absolute));
    if (length < 0)
        return length;
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = ns_call(ns_current, NS_READDIR, FS_PATH_WORD(0, 0, index), absolute, (size_t)length,
                       &reply, &extra);
    return fs_readdir_reply(err, &reply, &extra, entry); /* the same reply as FS_READDIR's */
}

long ns_mkdir(const char *path, uint32_t mode)
{
    if (mode & ~FS_MODE_MASK)
        return -E_INVAL;
    struct ipc_msg reply;
    return ns_path_call(NS_MKDIR, path, FS_PATH_WORD(0, mode, 0), &reply);
}

long ns_unlink(const char *path)
{
    struct ipc_msg reply;
    return ns_path_call(NS_UNLINK, path, 0, &reply);
}

long ns_rmdir(const char *path)
{
    struct ipc_msg reply;
    return ns_path_call(NS_RMDIR, path, 0, &reply);
}

long ns_rename(const char *from, const char *to)
{
    static char both[2 * (FS_PATH_MAX + 1)];
    long from_length = path_absolute(from, both, FS_PATH_MAX + 1);
    if (from_length < 0)
        return from_length;
    long to_length = path_absolute(to, both + from_length + 1, FS_PATH_MAX + 1);
    if (to_length < 0)
        return to_length;
    struct ipc_msg reply;
    struct ipc_extra extra;
    long err = ns_call(ns_current, NS_RENAME, 0, both, (size_t)(from_length + 1 + to_length),
                       &reply, &extra);
    ipc_extra_drop(&extra);
    return err;
}

long ns_derive(const char *const mounts[], size_t count)
{
    return ns_derive_owned(mounts, count, NS_OWNER_NONE);
}

long ns_derive_owned(const char *const mounts[], size_t count, uint32_t owner)
{
    static char spec[NS_SPEC_MAX + 1];
    size_t length = 0;
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(mounts[i]);
        if (length + n + 1 > NS_SPEC_MAX)
            return -E_RANGE;
        memcpy(spec + length, mounts[i], n);
        length += n;
        spec[length++] = '\n';
    }
    if (length == 0)
        return -E_INVAL;
    struct ipc_msg reply;
    struct ipc_extra extra;
    uint64_t bits = owner == NS_OWNER_NONE ? 0 : NS_DERIVE_OWNER(owner);
    long err = ns_call(ns_current, NS_DERIVE, bits, spec, length - 1, &reply, &extra);
    return take_handle(err, &extra);
}

long ns_close(uint32_t ns)
{
    struct ipc_msg req = {.tag = NS_CLOSE}, reply;
    long err = ipc_request(ns, &req, &reply, IPC_FOREVER, NULL);
    long closed = handle_close(ns);
    return err < 0 ? err : closed;
}

long file_read(uint32_t file, uint64_t offset, void *buf, size_t len)
{
    return fs_read(file, offset, buf, len);
}

long file_write(uint32_t file, uint64_t offset, const void *buf, size_t len)
{
    return fs_write(file, offset, buf, len);
}

long file_close(uint32_t file)
{
    return fs_close(file);
}

/* argv, a NULL, envp (or environ), a NULL: the layout SPAWN_ENV wants; NULL if too many. */
static const char **spawn_strings(const char *const argv[], const char *const envp[])
{
    static const char *all[2 * SPAWN_MAX_ARGS + 2];
    const char *const *env = envp != NULL ? envp : (const char *const *)environ;
    size_t n = 0;
    for (size_t i = 0; argv[i] != NULL; i++) {
        if (i == SPAWN_MAX_ARGS)
            return NULL;
        all[n++] = argv[i];
    }
    all[n++] = NULL;
    for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
        if (i == SPAWN_MAX_ARGS)
            return NULL;
        all[n++] = env[i];
    }
    all[n] = NULL;
    return all;
}

long spawn_path(const char *path, const char *const argv[], const char *const envp[],
                const uint32_t *handles, uint32_t count)
{
    return spawn_path_flags(path, argv, envp, handles, count, 0);
}

long spawn_path_flags(const char *path, const char *const argv[], const char *const envp[],
                      const uint32_t *handles, uint32_t count, uint64_t flags)
{
    const char **strings = spawn_strings(argv, envp);
    if (strings == NULL)
        return -E_2BIG;
    long file = ns_open(path, FS_RIGHT_READ);
    if (file < 0)
        return file;
    struct fs_stat st;
    long err = fs_stat((uint32_t)file, &st);
    if (err == 0 && st.type == FS_TYPE_DIR)
        err = -E_ISDIR;
    else if (err == 0 && (st.size == 0 || st.size > SPAWN_MAX_IMAGE))
        err = -E_NOEXEC;
    size_t size = err == 0 ? (st.size + PAGE - 1) & ~(size_t)(PAGE - 1) : 0;
    long image = err == 0 ? sys_vm_reserve(size, VM_READ | VM_WRITE) : err;
    if (image < 0) {
        fs_close((uint32_t)file);
        return image;
    }
    long got = fs_read((uint32_t)file, 0, (void *)image, st.size);
    fs_close((uint32_t)file);
    long pid = got < 0                    ? got
               : (uint64_t)got != st.size ? -E_NOEXEC /* it shrank under us */
                                          : sys_spawn_flags((const void *)image, st.size, strings,
                                                            handles, count, SPAWN_ENV | flags);
    sys_vm_release((void *)image, size);
    return pid;
}
