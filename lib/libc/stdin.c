/*
 * Standard input (see <stdio.h>): a buffer refilled from the target
 * stdin was given by the environment (stdout.c's stdio_setup) or by
 * stdio_redirect.
 *
 * A console gives one edited line per read (console_read_line), to which
 * the '\n' is added back; a file is read at a running offset from its
 * start; a pipe gives whatever its writers have sent. Before each refill
 * stdout is flushed, so a prompt shows before the program waits for the
 * answer. End of input stays reported until clearerr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/fs.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#include "stream.h"

/* The status a POSIX shell shows for a program ended by Ctrl-C (128 + SIGINT). */
#define INTERRUPT_STATUS 130

static struct libc_file in_file = {.kind = STREAM_NONE};

FILE *stdin = &in_file;

void stdin_attach(enum stream_kind kind, uint32_t handle)
{
    libc_lock_acquire(&in_file.lock);
    in_file.kind = kind;
    in_file.handle = handle;
    in_file.offset = 0;
    in_file.eof = in_file.error = false;
    in_file.pos = in_file.len = 0;
    libc_lock_release(&in_file.lock);
}

void stdin_close(void)
{
    libc_lock_acquire(&in_file.lock);
    if (in_file.kind == STREAM_PIPE)
        pipe_close(in_file.handle);
    in_file.kind = STREAM_NONE;
    libc_lock_release(&in_file.lock);
}

/* Reads more into the empty buffer; false at end of input or on an error. Lock held. */
static bool stdin_refill(void)
{
    struct libc_file *f = &in_file;
    long n = 0;
    if (f->eof || f->error)
        return false;
    fflush(stdout);
    switch (f->kind) {
    case STREAM_CONSOLE:
        n = console_read_line(f->handle, f->buf, sizeof(f->buf) - 1, 0);
        if (n == -E_INTR) {
            libc_lock_release(&f->lock); /* exit closes stdin, which takes the lock */
            exit(INTERRUPT_STATUS);
        }
        if (n >= 0)
            f->buf[n++] = '\n';
        else if (n == -E_CLOSED)
            n = 0; /* Ctrl-D on an empty line, or the console is gone */
        break;
    case STREAM_FILE:
        n = fs_read(f->handle, f->offset, f->buf, sizeof(f->buf));
        if (n > 0)
            f->offset += (uint64_t)n;
        break;
    case STREAM_PIPE:
        n = pipe_read(f->handle, f->buf, sizeof(f->buf));
        break;
    default:
        n = 0;
        break;
    }
    if (n < 0) {
        f->error = true;
        return false;
    }
    if (n == 0) {
        f->eof = true;
        return false;
    }
    f->pos = 0;
    f->len = (size_t)n;
    return true;
}

int fgetc(FILE *stream)
{
    stdio_setup();
    if (stream != stdin)
        return EOF;
    libc_lock_acquire(&in_file.lock);
    int c = EOF;
    if (in_file.pos < in_file.len || stdin_refill())
        c = (unsigned char)in_file.buf[in_file.pos++];
    libc_lock_release(&in_file.lock);
    return c;
}

int getc(FILE *stream)
{
    return fgetc(stream);
}

int getchar(void)
{
    return fgetc(stdin);
}

char *fgets(char *restrict buf, int size, FILE *restrict stream)
{
    stdio_setup();
    if (stream != stdin || size <= 0)
        return NULL;
    libc_lock_acquire(&in_file.lock);
    size_t n = 0;
    while (n + 1 < (size_t)size) {
        if (in_file.pos == in_file.len && !stdin_refill())
            break;
        /* Copy up to the next newline in one go. */
        size_t room = (size_t)size - 1 - n;
        size_t have = in_file.len - in_file.pos;
        size_t take = have < room ? have : room;
        const char *start = in_file.buf + in_file.pos;
        const char *newline = memchr(start, '\n', take);
        if (newline != NULL)
            take = (size_t)(newline - start) + 1;
        memcpy(buf + n, start, take);
        in_file.pos += take;
        n += take;
        if (newline != NULL)
            break;
    }
    libc_lock_release(&in_file.lock);
    if (n == 0)
        return NULL;
    buf[n] = '\0';
    return buf;
}

size_t fread_some(void *restrict buf, size_t size, FILE *restrict stream)
{
    stdio_setup();
    if (stream != stdin || size == 0)
        return 0;
    libc_lock_acquire(&in_file.lock);
    size_t n = 0;
    if (in_file.pos < in_file.len || stdin_refill()) {
        size_t have = in_file.len - in_file.pos;
        n = have < size ? have : size;
        memcpy(buf, in_file.buf + in_file.pos, n);
        in_file.pos += n;
    }
    libc_lock_release(&in_file.lock);
    return n;
}

size_t fread(void *restrict buf, size_t size, size_t count, FILE *restrict stream)
{
    stdio_setup();
    if (stream != stdin || size == 0 || count == 0)
        return 0;
    char *out = buf;
    size_t want = size * count, n = 0;
    libc_lock_acquire(&in_file.lock);
    while (n < want) {
        if (in_file.pos == in_file.len && !stdin_refill())
            break;
        size_t have = in_file.len - in_file.pos;
        size_t take = have < want - n ? have : want - n;
        memcpy(out + n, in_file.buf + in_file.pos, take);
        in_file.pos += take;
        n += take;
    }
    libc_lock_release(&in_file.lock);
    return n / size;
}

int feof(FILE *stream)
{
    return stream_state(stream)->eof;
}

int ferror(FILE *stream)
{
    return stream_state(stream)->error;
}

void clearerr(FILE *stream)
{
    FILE *f = stream_state(stream);
    libc_lock_acquire(&f->lock);
    f->eof = f->error = false;
    f->failure = 0;
    libc_lock_release(&f->lock);
}
