/*
 * The pipe client: what programs call to use pipes from the pipe server
 * (protocol in <parley/proto/pipe.h>).
 *
 * A pipe is two kinds of handle: read ends and write ends. pipe_create
 * asks the server (through an unbadged handle to it, such as init's
 * use:pipe) for a new pipe and its two ends. Ends can be passed to other
 * processes like any handle; close each with pipe_close, which tells the
 * server and then closes the handle (the server also closes an end when
 * the last handle carrying it is closed, by close or exit, but
 * pipe_close closes it for every copy at once). A reader sees end of
 * file once every write end is closed
 * and the buffer is empty; a writer gets -E_CLOSED once every read end is
 * closed.
 *
 * Every function returns a negative error code from <parley/errors.h> on
 * failure: the kernel's or the server's.
 */
#ifndef PARLEY_PIPE_H
#define PARLEY_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include <parley/proto/pipe.h>

/*
 * A session handle for one login's pipes (login's, for each shell);
 * through an unbadged or maker handle only. Returns the handle.
 */
long pipe_session(uint32_t server);

/* Makes a pipe; stores its read end in ends[0] and its write end in ends[1]; returns 0. */
long pipe_create(uint32_t server, uint32_t ends[2]);

/*
 * Reads up to len bytes into buf, waiting while the pipe is empty; returns
 * how many, or 0 at end of file.
 */
long pipe_read(uint32_t end, void *buf, size_t len);

/* Writes all len bytes, waiting while the pipe is full; returns len. */
long pipe_write(uint32_t end, const void *buf, size_t len);

/* A new end of the same kind and pipe, closed on its own; returns its handle. */
long pipe_dup(uint32_t end);

struct pipe_stat {
    uint32_t number;           /* the pipe's number, for messages */
    uint32_t kind;             /* PIPE_END_READ or PIPE_END_WRITE */
    uint64_t buffered;         /* bytes waiting to be read */
    uint32_t readers, writers; /* open ends */
};

long pipe_stat(uint32_t end, struct pipe_stat *st);

/* Closes the end at the server, then the handle; returns 0. */
long pipe_close(uint32_t end);

#endif
