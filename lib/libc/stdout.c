/*
 * Standard output and standard error, and stdio_setup, which points the
 * streams where the environment says (see <stdio.h>).
 *
 * Bytes collect in stdout's buffer and are sent by stream_emit to the
 * target: the kernel log (one SYS_LOG per line, the '\n' itself not sent
 * since the log ends each entry, so a line is cut at LOG_MAX_LENGTH), a
 * console (on each '\n'), or a file or pipe (when the buffer fills).
 * stderr is not a buffer of its own: it writes through stdout's, then
 * flushes, so the two keep their order on the one target.
 *
 * Like the rest of the C library the streams set themselves up on first
 * use (any stdio call, or exit): stdio_setup reads STDIN and STDOUT with
 * getenv, from the environment crt0 recorded.
 *
 * printf formats into a stack buffer first and, only for output longer
 * than that, into a malloc'd one of the exact size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/fs.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#include "common/format.h"
#include "stream.h"

static struct libc_file out_file = {.kind = STREAM_LOG};
static struct libc_file err_file = {.kind = STREAM_LOG};

FILE *stdout = &out_file;
FILE *stderr = &err_file;

/* Sends the buffered bytes to the target. Called with the lock held. */
static void stream_emit(struct libc_file *f)
{
    long err = 0;
    switch (f->kind) {
    case STREAM_LOG:
        err = sys_log(f->buf, f->len);
        break;
    case STREAM_CONSOLE:
        err = console_write(f->handle, f->buf, f->len);
        break;
    case STREAM_FILE:
        err = fs_write(f->handle, FS_APPEND, f->buf, f->len);
        break;
    case STREAM_PIPE:
        err = pipe_write(f->handle, f->buf, f->len);
        break;
    case STREAM_NONE:
        break;
    }
    if (err < 0)
        f->error = true;
    f->len = 0;
}

/* Adds n bytes to the buffer, sending as the target's buffering says. Called with the lock held. */
static void stream_put(struct libc_file *f, const char *s, size_t n)
{
    size_t limit = f->kind == STREAM_LOG ? LOG_MAX_LENGTH : sizeof(f->buf);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && f->kind == STREAM_LOG) {
            stream_emit(f);
            continue;
        }
        f->buf[f->len++] = s[i];
        if (f->len == limit || (s[i] == '\n' && f->kind == STREAM_CONSOLE))
            stream_emit(f);
    }
}

/* Writes to stdout or stderr; false if the target failed (now or before). */
static bool stream_write(FILE *stream, const char *s, size_t n)
{
    stdio_setup();
    struct libc_file *f = stream == &err_file ? &out_file : stream;
    if (f != &out_file) {
        if (stream != NULL)
            stream->error = true; /* stdin is not for writing */
        return false;
    }
    libc_lock_acquire(&f->lock);
    stream_put(f, s, n);
    if (stream == &err_file && f->len > 0)
        stream_emit(f);
    bool ok = !f->error;
    libc_lock_release(&f->lock);
    return ok;
}

int fflush(FILE *stream)
{
    stdio_setup();
    if (stream != NULL && stream != &out_file && stream != &err_file)
        return 0; /* stdin: nothing to send */
    libc_lock_acquire(&out_file.lock);
    if (out_file.len > 0)
        stream_emit(&out_file);
    bool ok = !out_file.error;
    libc_lock_release(&out_file.lock);
    return ok ? 0 : EOF;
}

void stdout_flush(void)
{
    fflush(stdout);
}

int vfprintf(FILE *restrict stream, const char *restrict fmt, va_list ap)
{
    char small[256];
    va_list again;
    int n;
    bool ok;

    va_copy(again, ap);
    n = kvsnprintf(small, sizeof(small), fmt, ap);
    if ((size_t)n < sizeof(small)) {
        ok = stream_write(stream, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big != NULL) {
            kvsnprintf(big, (size_t)n + 1, fmt, again);
            ok = stream_write(stream, big, (size_t)n);
            free(big);
        } else {
            /* Out of memory: better the start of the text than none. */
            n = sizeof(small) - 1;
            ok = stream_write(stream, small, (size_t)n);
        }
    }
    va_end(again);
    return ok ? n : EOF;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *restrict stream, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stream, fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

/* One lock around both parts keeps other threads' output out of the line. */
int puts(const char *s)
{
    stdio_setup();
    libc_lock_acquire(&out_file.lock);
    stream_put(&out_file, s, strlen(s));
    stream_put(&out_file, "\n", 1);
    bool ok = !out_file.error;
    libc_lock_release(&out_file.lock);
    return ok ? 1 : EOF;
}

int fputs(const char *restrict s, FILE *restrict stream)
{
    return stream_write(stream, s, strlen(s)) ? 1 : EOF;
}

int fputc(int c, FILE *stream)
{
    char ch = (char)c;
    return stream_write(stream, &ch, 1) ? (unsigned char)c : EOF;
}

int putc(int c, FILE *stream)
{
    return fputc(c, stream);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

size_t fwrite(const void *restrict buf, size_t size, size_t count, FILE *restrict stream)
{
    if (size == 0 || count == 0)
        return 0;
    return stream_write(stream, buf, size * count) ? count : 0;
}

int stream_kind_named(const char *name)
{
    static const struct {
        const char *name;
        enum stream_kind kind;
    } kinds[] = {{"console", STREAM_CONSOLE},
                 {"file", STREAM_FILE},
                 {"pipe", STREAM_PIPE},
                 {"log", STREAM_LOG}};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(name, kinds[i].name) == 0)
            return (int)kinds[i].kind;
    return -1;
}

/* Points stdout at a target, sending what was buffered for the old one first. */
static void stdout_attach(enum stream_kind kind, uint32_t handle)
{
    libc_lock_acquire(&out_file.lock);
    if (out_file.len > 0)
        stream_emit(&out_file);
    out_file.kind = kind;
    out_file.handle = handle;
    out_file.error = false;
    libc_lock_release(&out_file.lock);
}

int stdio_redirect(FILE *stream, const char *kind, unsigned handle)
{
    stdio_setup();
    int k = stream_kind_named(kind);
    if (k < 0)
        return -E_INVAL;
    if (stream == stdout) {
        stdout_attach((enum stream_kind)k, handle);
        return 0;
    }
    if (stream == stdin && k != STREAM_LOG) {
        fflush(stdout);
        stdin_attach((enum stream_kind)k, handle);
        return 0;
    }
    return -E_INVAL;
}

void stdio_setup(void)
{
    static struct libc_lock lock;
    static bool done;
    if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
        return;
    libc_lock_acquire(&lock);
    if (!done) {
        const char *out = getenv("STDOUT");
        const char *in = getenv("STDIN");
        int out_kind = out != NULL ? stream_kind_named(out) : -1;
        int in_kind = in != NULL ? stream_kind_named(in) : -1;
        if (out_kind >= 0)
            stdout_attach((enum stream_kind)out_kind, STREAM_HANDLE_STDOUT);
        if (in_kind > STREAM_LOG)
            stdin_attach((enum stream_kind)in_kind, STREAM_HANDLE_STDIN);
        __atomic_store_n(&done, true, __ATOMIC_RELEASE);
    }
    libc_lock_release(&lock);
}

void stdio_exit(void)
{
    fflush(stdout);
    libc_lock_acquire(&out_file.lock);
    if (out_file.kind == STREAM_PIPE) {
        pipe_close(out_file.handle);
        out_file.kind = STREAM_LOG; /* anything printed from here on still goes somewhere */
    }
    libc_lock_release(&out_file.lock);
    stdin_close();
}
