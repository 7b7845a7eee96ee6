/*
 * Standard output. Until there is a console server, a program's output
 * goes to the kernel log one line per SYS_LOG call, so bytes collect in a
 * line buffer that is sent when a '\n' arrives (the '\n' itself is not
 * sent: the log ends each entry), when LOG_MAX_LENGTH bytes are waiting,
 * and at exit. Pointing output somewhere else later means changing only
 * stdout_emit.
 *
 * printf formats into a stack buffer first and, only for output longer
 * than that, into a malloc'd one of the exact size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/sys.h>

#include "common/format.h"
#include "libc.h"

static struct {
    struct libc_lock lock;
    size_t len;
    char buf[LOG_MAX_LENGTH];
} out;

/* Sends the buffered bytes as one log line. Called with the lock held. */
static void stdout_emit(void)
{
    sys_log(out.buf, out.len);
    out.len = 0;
}

/* Adds n bytes to the line buffer. Called with the lock held. */
static void stdout_put(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            stdout_emit();
            continue;
        }
        out.buf[out.len++] = s[i];
        if (out.len == sizeof(out.buf))
            stdout_emit();
    }
}

static void stdout_write(const char *s, size_t n)
{
    libc_lock_acquire(&out.lock);
    stdout_put(s, n);
    libc_lock_release(&out.lock);
}

void stdout_flush(void)
{
    libc_lock_acquire(&out.lock);
    if (out.len > 0)
        stdout_emit();
    libc_lock_release(&out.lock);
}

int vprintf(const char *restrict fmt, va_list ap)
{
    char small[256];
    va_list again;
    int n;

    va_copy(again, ap);
    n = kvsnprintf(small, sizeof(small), fmt, ap);
    if ((size_t)n < sizeof(small)) {
        stdout_write(small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big != NULL) {
            kvsnprintf(big, (size_t)n + 1, fmt, again);
            stdout_write(big, (size_t)n);
            free(big);
        } else {
            /* Out of memory: better the start of the text than none. */
            n = sizeof(small) - 1;
            stdout_write(small, (size_t)n);
        }
    }
    va_end(again);
    return n;
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* One lock around both parts keeps other threads' output out of the line. */
int puts(const char *s)
{
    libc_lock_acquire(&out.lock);
    stdout_put(s, strlen(s));
    stdout_put("\n", 1);
    libc_lock_release(&out.lock);
    return 1;
}

int putchar(int c)
{
    char ch = (char)c;

    stdout_write(&ch, 1);
    return (unsigned char)c;
}
