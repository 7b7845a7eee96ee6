/*
 * pipefill N | pipefill drain: short pipe writes that wait, each with a
 * memory region attached that it does not need (docs/security.md,
 * "Servers"; tests/qemu/test_peer_closed.py).
 *
 * The writer, N times: fills its stdout pipe (PIPE_BUFFER bytes), then
 * sends a short PIPE_WRITE (its bytes inline, in the message words) with
 * a 64 KiB region attached, four pages of it touched. The pipe is full, so
 * the write waits in the pipe server until the drain reads. The server
 * must give back a region it does not keep: before it did, every such
 * write left one mapped in the pipe server for good, so any user could
 * fill the server's address space and the machine's frames with them.
 * The writer counts kernel objects and free frames after a first round
 * and after the last and
 * prints one line through the pipe:
 *   "pipefill: N writes, W waited, objects +K, frames -F: ok" (or
 *   WRONG), W counting the writes that found the pipe full.
 *
 * The drain reads its stdin every 20 ms, so the pipe stays full for a
 * while, and copies what it reads to its stdout without the NUL bytes of
 * the fills: the writer's line is what reaches the screen.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#define HANDLE_STDOUT 2
#define REGION (64u * 1024)
#define TOUCHED 4       /* pages of each region with a frame */
#define SLACK_OBJECTS 8 /* the system's own coming and going meanwhile */
#define SLACK_FRAMES 16

static uint8_t fill[PIPE_BUFFER];

static int drain(void)
{
    static char buf[PIPE_BUFFER];
    for (;;) {
        sys_sleep(20000000ull);
        size_t n = fread_some(buf, sizeof(buf), stdin);
        if (n == 0)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (buf[i] != '\0')
                putchar(buf[i]);
        fflush(stdout);
    }
}

/* One short write of 8 NUL bytes with a fresh region attached; 0 or an error. */
static long short_write_with_region(void)
{
    long region = sys_vm_reserve(REGION, VM_READ | VM_WRITE);
    if (region < 0)
        return region;
    for (size_t at = 0; at < TOUCHED * 4096; at += 4096)
        ((volatile uint8_t *)region)[at] = 1;
    struct ipc_msg request = {.tag = PIPE_WRITE, .w = {8}}, reply;
    struct ipc_extra extra = {.send_mem = (uint64_t)region, .send_mem_length = REGION};
    long status = ipc_request(HANDLE_STDOUT, &request, &reply, IPC_FOREVER, &extra);
    if (status < 0)
        sys_vm_release((void *)region, REGION); /* it may not have moved */
    return status;
}

static int write_side(long rounds)
{
    struct sysinfo before, after;
    long waited = 0;
    for (long i = 0; i <= rounds; i++) {
        if (i == 1)
            sys_sysinfo(&before); /* after a first round, once both sides are warm */
        /* The drain's waiting read takes the first fill at once; top the pipe up while it sleeps.
         */
        long put = 0;
        struct pipe_stat st = {0};
        for (int tries = 0; put >= 0 && tries < 4; tries++) {
            put = pipe_stat(HANDLE_STDOUT, &st);
            if (put < 0 || st.buffered == PIPE_BUFFER)
                break;
            put = pipe_write(HANDLE_STDOUT, fill, PIPE_BUFFER - st.buffered);
        }
        if (put >= 0 && st.buffered == PIPE_BUFFER)
            waited += i > 0; /* full now: the short write waits, unless the drain is quick */
        long status = put < 0 ? put : short_write_with_region();
        if (status < 0) {
            printf("\npipefill: round %ld of %ld: %s\n", i + 1, rounds, error_string((int)status));
            return 1;
        }
    }
    sys_sysinfo(&after);
    long objects = (long)after.kernel_allocations - (long)before.kernel_allocations;
    long frames = (long)before.frames_free - (long)after.frames_free;
    bool ok = objects <= SLACK_OBJECTS && frames <= SLACK_FRAMES && waited * 2 >= rounds;
    printf("\npipefill: %ld writes, %ld waited, objects %+ld, frames %+ld: %s\n", rounds, waited,
           objects, -frames, ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "drain") == 0)
        return drain();
    long rounds = argc == 2 ? atoi(argv[1]) : 0;
    const char *out = getenv("STDOUT");
    if (rounds <= 0 || out == NULL || strcmp(out, "pipe") != 0) {
        fprintf(stderr, "usage: pipefill N | pipefill drain\n");
        return 2;
    }
    return write_side(rounds);
}
