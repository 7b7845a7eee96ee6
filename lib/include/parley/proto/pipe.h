/*
 * The pipe protocol: byte streams between processes, served by the pipe
 * server (servers/pipe). A pipe is a 64 KiB buffer with read ends and
 * write ends; the shell makes one for each `|`, and a program sees its
 * ends as stdin and stdout (STDIN=pipe, STDOUT=pipe in its environment).
 *
 * Every end is a capability: a send handle to the server minted with a
 * badge naming that end (which pipe, which kind, and a generation so a
 * closed end's badge never names a new one). The server trusts only the
 * badge. An unbadged handle (init's use:pipe) may only make pipes and
 * sessions; so may one badged PIPE_BADGE_MAKER (login's). A session
 * handle (PIPE_SESSION: login makes one for each user's shell, so every
 * program of a login has a copy) may only make pipes, and they count
 * against that session: at most PIPE_SESSION_PIPES pipes and
 * PIPE_SESSION_ENDS ends (PIPE_DUP's too) at once, -E_QUOTA beyond, so
 * one user cannot take the tables from the others. A badged handle
 * cannot be minted, so no user can forge an end's or a session's badge.
 * Handles carry RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER; copies of
 * a handle (handle_dup, spawn) are the same end, so closing through one
 * closes it for all. PIPE_DUP makes a second end that is closed on its
 * own.
 *
 * An end is closed by PIPE_CLOSE, or when the last handle carrying its
 * badge is closed (the kernel tells the server with IPC_TAG_CLOSED, e.g.
 * when every process holding it has exited), whichever comes first. The
 * C library still closes stdin and stdout at exit when they are pipes,
 * and the shell the ends a finished child held, so peers hear at once.
 *
 * Every request is a call; every reply's tag is its status: 0 or a
 * negative error from parley/errors.h (-E_BADHANDLE: a closed end;
 * -E_PERM: the wrong kind of end, PIPE_CREATE through an end, or
 * PIPE_SESSION through an end or a session; -E_NOSPC: too many pipes,
 * ends or sessions in the server; -E_QUOTA: the session's share is used; -E_BUSY: too many callers
 * waiting on one pipe; -E_RANGE: a length of 0 or over PIPE_IO_MAX).
 *
 *   PIPE_CREATE  (unbadged or maker handle) reply: two handles moved, the read end
 *                first, then the write end (pass an ipc_extra); w0 = the
 *                pipe's number (for messages)
 *   PIPE_READ    w0 = most bytes wanted (1..PIPE_IO_MAX), on a read end.
 *                Waits while the pipe is empty and a write end is open.
 *                reply: w0 = bytes read; 0 = end of file (every write end
 *                closed and the buffer empty); the bytes in w1..w3 when
 *                w0 <= PIPE_INLINE, else in a region moved with the reply
 *   PIPE_WRITE   w0 = length (1..PIPE_IO_MAX), on a write end; the bytes
 *                in w1..w3 when length <= PIPE_INLINE, else in a region
 *                moved with the call. Waits while the buffer is full;
 *                writers are served in order, so one write's bytes are
 *                never interleaved with another's.
 *                reply: w0 = length (all of it was taken); -E_CLOSED
 *                when every read end is closed (also while waiting; the
 *                bytes not yet taken are lost)
 *   PIPE_CLOSE   closes the end; callers waiting through it get
 *                -E_CLOSED. The client then closes its handle.
 *   PIPE_DUP     reply: a handle moved to a new end of the same kind and
 *                pipe
 *   PIPE_SESSION (unbadged or maker handle) reply: a session handle moved,
 *                badged for a new session. The session ends when the
 *                last handle carrying its badge is closed; its pipes
 *                count against it until they are gone
 *   PIPE_STAT    reply: w0 = the pipe's number, w1 = PIPE_END_READ or
 *                PIPE_END_WRITE, w2 = bytes buffered, w3 = open read ends
 *                | open write ends << 32
 *
 * A caller that would wait forever on itself gets -E_AGAIN instead: a
 * write that finds the buffer full when the last process to read the pipe
 * is the writer itself, or a read that finds it empty when the last
 * process to write it is the reader itself (the server sees processes,
 * not threads, so two threads of one process must not rely on waiting
 * for each other through a pipe).
 */
#ifndef PARLEY_PROTO_PIPE_H
#define PARLEY_PROTO_PIPE_H

#include <parley/proto/base.h>

/* A pipe maker's badge: slot bits 0, so never an end's (init/services: use:pipe#0x80000000). */
#define PIPE_BADGE_MAKER 0x80000000u

#define PIPE_CREATE PARLEY_TAG(PROTO_PIPE, 1)
#define PIPE_READ PARLEY_TAG(PROTO_PIPE, 2)
#define PIPE_WRITE PARLEY_TAG(PROTO_PIPE, 3)
#define PIPE_CLOSE PARLEY_TAG(PROTO_PIPE, 4)
#define PIPE_DUP PARLEY_TAG(PROTO_PIPE, 5)
#define PIPE_STAT PARLEY_TAG(PROTO_PIPE, 6)
#define PIPE_SESSION PARLEY_TAG(PROTO_PIPE, 7)

#define PROTO_PIPE_TAGS(X)                                                                         \
    X(PIPE_CREATE, PIPE_CREATE)                                                                    \
    X(PIPE_READ, PIPE_READ)                                                                        \
    X(PIPE_WRITE, PIPE_WRITE)                                                                      \
    X(PIPE_CLOSE, PIPE_CLOSE)                                                                      \
    X(PIPE_DUP, PIPE_DUP)                                                                          \
    X(PIPE_STAT, PIPE_STAT)                                                                        \
    X(PIPE_SESSION, PIPE_SESSION)

#define PIPE_END_READ 0u
#define PIPE_END_WRITE 1u

#define PIPE_BUFFER (64u * 1024) /* bytes a pipe holds */
#define PIPE_INLINE 24           /* bytes in w1..w3 */
#define PIPE_IO_MAX (1u << 20)   /* bytes moved by one PIPE_READ or PIPE_WRITE */
#define PIPE_SESSION_PIPES 12    /* pipes of one session at once */
#define PIPE_SESSION_ENDS 48     /* ends of one session's pipes at once */

#endif
