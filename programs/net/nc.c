/*
 * nc HOST PORT, nc -l PORT: a TCP connection joined to stdin and
 * stdout. The first form connects to HOST (a name or dotted address);
 * the second listens on PORT (below 1024 only for root), takes the
 * first connection that comes and stops listening.
 *
 * Two threads copy: a second thread stdin -> connection, the main
 * thread connection -> stdout. There is no half-close in /net, so
 * stdin's end (Ctrl-D, the end of a file or pipe) cannot be passed on:
 * nc stops sending and keeps copying the connection to stdout until the
 * peer closes it, then exits 0. A peer closing first ends nc too.
 *
 * The stdin thread reads the console, file or pipe itself rather than
 * through stdio: stdio holds its stdin lock while it waits, and exit()
 * takes that lock, so exiting with a read pending would hang. When the
 * peer closes, nc exits even with a console read of its own still
 * waiting: the console drops a read whose caller has gone when the
 * shell reads next. Ctrl-C during a console read ends nc with status 130.
 *
 * Errors: "nc: HOST:PORT: connection refused" (host not found, timed
 * out, network is down ...), "nc: port PORT: address already in use"
 * (permission denied for a port below 1024), and once connected
 * "nc: connection reset by peer"; each exits 1. A malformed command line
 * exits 2.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>
#include <parley/file.h>
#include <parley/net.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#include "tool.h"

#define HANDLE_STDIN 1
#define BUFFER (64 * 1024)
#define STACK_SIZE (64 * 1024)
/* Longer than the server's own connect timeout, so that its -E_TIMEOUT is what we see. */
#define DIAL_TIMEOUT_NS (NET_CONNECT_TIMEOUT_NS + 5000000000ull)
#define INTERRUPT_STATUS 130 /* what a shell shows after Ctrl-C */
#define USAGE "HOST PORT | nc -l PORT"

enum input_kind { INPUT_NONE, INPUT_CONSOLE, INPUT_FILE, INPUT_PIPE };

static uint32_t conn;
static enum input_kind input;
static volatile bool finishing;   /* main is on its way out: the stdin thread stays quiet */
static bool failed;               /* an error has been reported (by either thread) */

static enum input_kind input_kind(void)
{
    const char *kind = getenv("STDIN");
    if (kind == NULL)
        return INPUT_NONE;
    if (strcmp(kind, "console") == 0)
        return INPUT_CONSOLE;
    if (strcmp(kind, "file") == 0)
        return INPUT_FILE;
    if (strcmp(kind, "pipe") == 0)
        return INPUT_PIPE;
    return INPUT_NONE;
}

/* The next piece of stdin: bytes read, 0 at its end, -E_INTR for Ctrl-C, or an error. */
static long input_read(char *buf, size_t size, uint64_t *offset)
{
    long n = 0;
    switch (input) {
    case INPUT_CONSOLE:
        n = console_read_line(HANDLE_STDIN, buf, size - 1, 0);
        if (n >= 0)
            buf[n++] = '\n'; /* the console gives the line without it */
        else if (n == -E_CLOSED)
            n = 0; /* Ctrl-D on an empty line */
        break;
    case INPUT_FILE:
        n = file_read(HANDLE_STDIN, *offset, buf, size);
        if (n > 0)
            *offset += (uint64_t)n;
        break;
    case INPUT_PIPE:
        n = pipe_read(HANDLE_STDIN, buf, size);
        break;
    case INPUT_NONE:
        break;
    }
    return n;
}

/* Reports err unless the other thread already reported one; returns 1. */
static int fail_once(const char *what, long err)
{
    if (!__atomic_exchange_n(&failed, true, __ATOMIC_SEQ_CST))
        tool_net_fail(what, err);
    return 1;
}

/* Copies stdin to the connection until stdin ends; a failed send ends nc. */
static void reader_main(void *arg)
{
    (void)arg;
    static char buf[BUFFER];
    uint64_t offset = 0;
    for (;;) {
        long n = input_read(buf, sizeof(buf), &offset);
        if (n == -E_INTR)
            exit(INTERRUPT_STATUS);
        if (n < 0 && !finishing)
            fail_once("stdin", n); /* keep the connection's output coming all the same */
        if (n <= 0 || finishing)
            break;
        long err = net_write(conn, buf, (size_t)n);
        if (err < 0 && !finishing)
            exit(fail_once(NULL, err));
        if (err < 0)
            break;
    }
    sys_thread_exit();
}

/* Ends nc with status; a console read of the stdin thread may still wait (see the top). */
static _Noreturn void finish(int status)
{
    finishing = true;
    exit(__atomic_load_n(&failed, __ATOMIC_SEQ_CST) ? 1 : status); /* a stdin error counts too */
}

/* Copies the connection to stdout until the peer closes it. */
static int copy_to_stdout(void)
{
    static char buf[BUFFER];
    for (;;) {
        long n = net_read(conn, buf, sizeof(buf), NET_FOREVER);
        if (n == 0)
            return 0;
        if (n < 0)
            return fail_once(NULL, n);
        long err = tool_write_stdout(buf, (size_t)n);
        if (err < 0)
            return fail_once("stdout", err);
    }
}

/* Makes the connection: dials HOST PORT, or listens on PORT and takes one caller. */
static long open_connection(int argc, char **argv)
{
    unsigned long port;
    char what[300];
    if (argc == 3 && strcmp(argv[1], "-l") == 0) {
        if (!tool_number(argv[2], 1, 65535, &port))
            return tool_usage(USAGE);
        snprintf(what, sizeof(what), "port %lu", port);
        long listener = net_listen((unsigned)port);
        if (listener < 0)
            return tool_net_fail(what, listener);
        long accepted = net_accept((uint32_t)listener);
        net_close((uint32_t)listener);
        if (accepted < 0)
            return tool_net_fail(what, accepted);
        conn = (uint32_t)accepted;
        return 0;
    }
    if (argc != 3 || argv[1][0] == '-' || argv[1][0] == '\0' ||
        !tool_number(argv[2], 1, 65535, &port))
        return tool_usage(USAGE);
    snprintf(what, sizeof(what), "%.255s:%lu", argv[1], port);
    if (strchr(argv[1], '/') != NULL)
        return tool_fail(what, -E_INVAL); /* it would name a path below /net/tcp */
    long dialled = net_dial(argv[1], (unsigned)port, DIAL_TIMEOUT_NS);
    if (dialled < 0)
        return tool_net_fail(what, dialled);
    conn = (uint32_t)dialled;
    return 0;
}

int main(int argc, char **argv)
{
    tool_start("nc");
    input = input_kind();
    long status = open_connection(argc, argv);
    if (status != 0)
        return (int)status;

    char *stack = malloc(STACK_SIZE);
    long tid = stack != NULL ? sys_thread_create(reader_main, stack + STACK_SIZE, NULL) : -E_NOMEM;
    if (tid < 0) {
        net_close(conn);
        return tool_fail("cannot start a thread", tid);
    }
    int result = copy_to_stdout();
    finishing = true; /* before the close, which fails a send under way */
    net_close(conn);
    finish(result);
}
