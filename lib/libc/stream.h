/*
 * The standard streams' private side, shared by stdout.c (stdout and
 * stderr, start-up and exit) and stdin.c (stdin).
 *
 * A stream is a target (which protocol, through which handle) and a
 * buffer: for output, bytes waiting to be sent; for input, bytes received
 * and not yet read ([pos, len)). Every stream has a lock so threads'
 * output does not mix within a call.
 */
#ifndef LIBC_STREAM_H
#define LIBC_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "libc.h"

/* What a stream reaches. */
enum stream_kind {
    STREAM_NONE,    /* nothing: input is at end, output is dropped */
    STREAM_LOG,     /* the kernel log (SYS_LOG), one entry per line */
    STREAM_CONSOLE, /* a console handle (<parley/console.h>) */
    STREAM_FILE,    /* a file handle (<parley/fs.h>) */
    STREAM_PIPE,    /* a pipe end (<parley/pipe.h>) */
};

#define STREAM_BUFFER 4096

/* Fixed handle numbers of the process environment (docs/files-and-users.md). */
#define STREAM_HANDLE_STDIN 1
#define STREAM_HANDLE_STDOUT 2

struct libc_file {
    struct libc_lock lock;
    enum stream_kind kind;
    uint32_t handle;
    uint64_t offset; /* input from a file: where the next read starts */
    bool eof, error;
    long failure; /* output: the first error a write gave (0: none), for exit's report */
    size_t pos, len;
    char buf[STREAM_BUFFER];
};

/* The kind an environment value or stdio_redirect names; -1 if none. */
int stream_kind_named(const char *name);

/* Points stdin at a target (stdin.c). */
void stdin_attach(enum stream_kind kind, uint32_t handle);

/* Closes stdin's pipe end, if it is one (stdin.c; at exit). */
void stdin_close(void);

/*
 * Points stdin and stdout where the environment's STDIN and STDOUT say,
 * the first time it is called; every stdio entry point calls it.
 */
void stdio_setup(void);

/* The stream whose state feof, ferror and clearerr see for stream (stderr may share stdout's). */
struct libc_file *stream_state(FILE *stream);

/*
 * Flushes stdout and closes the pipe ends stdin and stdout hold (exit.c).
 * Returns the error stdout's writes gave and nobody cleared (clearerr),
 * after saying so on stderr as "NAME: write error: reason"; 0 if none.
 */
long stdio_exit(void);

/* argv[0], recorded by crt0 for messages the library writes itself (NULL if none). */
extern const char *libc_program;

#endif
