/*
 * Standard output and standard error, and stdio_setup, which points the
 * streams where the environment says (see <stdio.h>).
 *
 * Bytes collect in stdout's buffer and are sent by stream_emit to the
 * target: the kernel log (one SYS_LOG per line, the '\n' itself not sent
 * since the log ends each entry, so a line is cut at LOG_MAX_LENGTH), a
 * console (on each '\n'), or a file or pipe (when the buffer fills).
 *
 * stderr has a target of its own when the environment names one (STDERR
 * and STDERR_HANDLE, as the shell gives every program its console) and
 * is then sent at once, after whatever stdout has waiting, so the two
 * keep their order on a shared screen. Without one it writes through
 * stdout's buffer and flushes it, as before there was a separate stderr.
 *
 * A write to a pipe whose readers are all gone ends the program at once
 * with status 141, as SIGPIPE does on POSIX (`cat big | head` stops cat);
 * any other failed write is remembered, and exit() reports it and makes
 * a successful status 1 (stdio_exit), so no program loses output quietly.
 *
 * Like the rest of the C library the streams set themselves up on first
 * use (any stdio call, or exit): stdio_setup reads STDIN, STDOUT and
 * STDERR with getenv, from the environment crt0 recorded.
 *
 * printf formats into a stack buffer first and, only for output longer
 * than that, into a malloc'd one of the exact size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>
#include <parley/fs.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#include "common/format.h"
#include "stream.h"

/* The status a POSIX shell shows for a process ended by SIGPIPE. */
#define PIPE_GONE_STATUS 141

static struct libc_file out_file = {.kind = STREAM_LOG};
static struct libc_file err_file = {.kind = STREAM_LOG};
static bool err_own; /* stderr has its own target; else it shares stdout's */

const char *libc_program;

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
    if (err == -E_CLOSED && f->kind == STREAM_PIPE)
        sys_exit(PIPE_GONE_STATUS); /* nobody will ever read what we write */
    if (err < 0 && f->failure == 0)
        f->failure = err;
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

/* Sends what stdout has waiting. */
static bool out_flush(void)
{
    libc_lock_acquire(&out_file.lock);
    if (out_file.len > 0)
        stream_emit(&out_file);
    bool ok = !out_file.error;
    libc_lock_release(&out_file.lock);
    return ok;
}

/* Writes to stdout or stderr; false if the target failed (now or before). */
static bool stream_write(FILE *stream, const char *s, size_t n)
{
    stdio_setup();
    if (stream == &err_file && err_own) {
        out_flush();
        libc_lock_acquire(&err_file.lock);
        stream_put(&err_file, s, n);
        if (err_file.len > 0)
            stream_emit(&err_file);
        bool ok = !err_file.error;
        libc_lock_release(&err_file.lock);
        return ok;
    }
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
    if (stream == &err_file && err_own)
        return err_file.error ? EOF : 0; /* sent as written */
    return out_flush() ? 0 : EOF;
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

/* Points an output stream at a target, sending what was buffered for the old one first. */
static void stream_attach(struct libc_file *f, enum stream_kind kind, uint32_t handle)
{
    libc_lock_acquire(&f->lock);
    if (f->len > 0)
        stream_emit(f);
    f->kind = kind;
    f->handle = handle;
    f->error = false;
    f->failure = 0;
    libc_lock_release(&f->lock);
}

int stdio_redirect(FILE *stream, const char *kind, unsigned handle)
{
    stdio_setup();
    int k = stream_kind_named(kind);
    if (k < 0)
        return -E_INVAL;
    if (stream == stdout) {
        stream_attach(&out_file, (enum stream_kind)k, handle);
        return 0;
    }
    if (stream == stderr) {
        out_flush();
        stream_attach(&err_file, (enum stream_kind)k, handle);
        err_own = true;
        return 0;
    }
    if (stream == stdin && k != STREAM_LOG) {
        fflush(stdout);
        stdin_attach((enum stream_kind)k, handle);
        return 0;
    }
    return -E_INVAL;
}

struct libc_file *stream_state(FILE *stream)
{
    return stream == &err_file && !err_own ? &out_file : stream;
}

/* The handle number in the environment variable key; 0 if none or not a number. */
static uint32_t handle_named(const char *key)
{
    const char *value = getenv(key);
    if (value == NULL || *value == '\0')
        return 0;
    char *end;
    unsigned long n = strtoul(value, &end, 10);
    return *end == '\0' && n <= UINT32_MAX ? (uint32_t)n : 0;
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
        const char *err = getenv("STDERR");
        int out_kind = out != NULL ? stream_kind_named(out) : -1;
        int in_kind = in != NULL ? stream_kind_named(in) : -1;
        int err_kind = err != NULL ? stream_kind_named(err) : -1;
        uint32_t err_handle = handle_named("STDERR_HANDLE");
        if (out_kind >= 0)
            stream_attach(&out_file, (enum stream_kind)out_kind, STREAM_HANDLE_STDOUT);
        if (in_kind > STREAM_LOG)
            stdin_attach((enum stream_kind)in_kind, STREAM_HANDLE_STDIN);
        if (err_kind == STREAM_LOG || (err_kind > STREAM_LOG && err_handle != 0)) {
            stream_attach(&err_file, (enum stream_kind)err_kind, err_handle);
            err_own = true;
        }
        __atomic_store_n(&done, true, __ATOMIC_RELEASE);
    }
    libc_lock_release(&lock);
}

/* "NAME: write error: reason" on stderr, or in the log when stderr is stdout's failed target. */
static void report_failure(long failure)
{
    const char *name = libc_program != NULL ? libc_program : "program";
    const char *slash = strrchr(name, '/');
    if (slash != NULL)
        name = slash + 1;
    if (err_own) {
        fprintf(stderr, "%s: write error: %s\n", name, error_string((int)failure));
        return;
    }
    char line[LOG_MAX_LENGTH];
    int n = snprintf(line, sizeof(line), "%s: write error: %s", name, error_string((int)failure));
    if (n > 0)
        sys_log(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

long stdio_exit(void)
{
    out_flush();
    libc_lock_acquire(&out_file.lock);
    long failure = out_file.error ? out_file.failure : 0;
    if (out_file.kind == STREAM_PIPE) {
        pipe_close(out_file.handle);
        out_file.kind = STREAM_LOG; /* anything printed from here on still goes somewhere */
    }
    libc_lock_release(&out_file.lock);
    stdin_close();
    if (failure < 0)
        report_failure(failure);
    return failure;
}
