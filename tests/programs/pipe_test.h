/*
 * What the pipe test programs share (tests/qemu/test_pipes.py): how
 * pipetest hands pipe ends to pipe-writer and pipe-reader, the scenarios,
 * the byte pattern of the bulk transfer, and a check helper that logs
 * every failed expectation.
 *
 * init wires them: pipetest gets use:pipe (1), use:pa (2) and use:pb (3);
 * pipe-writer serves pa and pipe-reader serves pb (their handle 1).
 * pipetest makes each scenario's pipe and sends one end to each helper
 * with TEST_XFER (w0 = scenario, the end moved with it); a helper answers
 * at once, runs the scenario, then takes the next message.
 */
#ifndef PIPE_TEST_H
#define PIPE_TEST_H

#include <stdint.h>
#include <stdio.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/pipe.h>
#include <parley/proto/test.h>

#define SCENARIO_BULK 1   /* 1 MiB in odd-sized writes and reads, then end of file */
#define SCENARIO_CLOSED 2 /* the reader takes 10 bytes and closes; the writer gets -E_CLOSED */
#define SCENARIO_STDIO 3  /* printf, puts, stderr, fwrite into stdout=pipe; fgets, getchar, fread  \
                           */

#define BULK_BYTES (1u << 20)
#define STDIO_LINES 1000
#define STDIO_BINARY 10000

static inline uint8_t pattern_byte(uint64_t i)
{
    return (uint8_t)(i * 31 + i / 251);
}

static int checks, failures;

/* Logs a failed expectation with the line it is on; returns whether it held. */
#define CHECK(name, cond) check_report(name, (cond) != 0, #cond, __LINE__)

static inline int check_report(const char *name, int ok, const char *text, int line)
{
    checks++;
    if (!ok) {
        failures++;
        printf("%s: FAIL line %d: %s\n", name, line, text);
    }
    return ok;
}

/* Waits for the next scenario; stores the end that came with it. Returns the scenario or an error.
 */
static inline long scenario_receive(uint32_t *end)
{
    struct ipc_msg msg;
    struct ipc_extra extra = {0};
    long err = ipc_receive(1, &msg, IPC_FOREVER, &extra, NULL);
    if (err < 0)
        return err;
    struct ipc_msg ok = {.tag = extra.recv_count == 1 ? 0 : (uint64_t)-E_INVAL};
    ipc_reply(&ok, NULL);
    if (extra.recv_count != 1) {
        ipc_extra_drop(&extra);
        return -E_INVAL;
    }
    *end = extra.recv_handles[0];
    return (long)msg.w[0];
}

#endif
