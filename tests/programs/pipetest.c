/*
 * pipetest: drives the pipe test (tests/qemu/test_pipes.py; pipe_test.h
 * has the wiring). First it checks the pipe server's rules on pipes whose
 * both ends it holds itself: rights of each kind of end, PIPE_STAT and
 * PIPE_DUP, end of file once the write ends are closed, -E_CLOSED for a
 * write with no reader, a closed end's badge refused, and -E_AGAIN where
 * it would wait for itself forever. Then it makes one pipe per scenario
 * and hands its ends to pipe-writer and pipe-reader, which check the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "pipe_test.h"

#define HANDLE_PIPE 1
#define HANDLE_WRITER 2
#define HANDLE_READER 3
#define NAME "pipetest"

static void check_ends_alone(void)
{
    uint32_t ends[2];
    static char buf[80000];
    CHECK(NAME, pipe_create(HANDLE_PIPE, ends) == 0);
    uint32_t r = ends[0], w = ends[1];

    /* Each end does only its own job; only the unbadged handle makes pipes. */
    CHECK(NAME, pipe_read(w, buf, 1) == -E_PERM);
    CHECK(NAME, pipe_write(r, "x", 1) == -E_PERM);
    CHECK(NAME, pipe_create(r, ends) == -E_PERM);
    CHECK(NAME, pipe_read(r, buf, 0) == 0); /* nothing asked, nothing sent */

    struct pipe_stat st;
    CHECK(NAME, pipe_write(w, "hello", 5) == 5);
    CHECK(NAME, pipe_stat(r, &st) == 0 && st.kind == PIPE_END_READ && st.buffered == 5 &&
                    st.readers == 1 && st.writers == 1);
    CHECK(NAME, pipe_read(r, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);

    /* Waiting for itself: refused instead of hanging. */
    CHECK(NAME, pipe_read(r, buf, 10) == -E_AGAIN); /* the only writer so far is the reader */
    memset(buf, 'z', sizeof(buf));
    CHECK(NAME, pipe_write(w, buf, 70000) == -E_AGAIN); /* more than fits; it reads it itself */
    CHECK(NAME, pipe_write(w, buf, 1000) == 1000);      /* what fits is fine */

    /* A second write end; end of file only once both are closed. */
    long w2 = pipe_dup(w);
    CHECK(NAME, w2 > 0);
    CHECK(NAME, pipe_stat(r, &st) == 0 && st.writers == 2);
    long copy = handle_dup(w, RIGHT_SEND);
    CHECK(NAME, pipe_close(w) == 0);
    CHECK(NAME, pipe_write((uint32_t)copy, "x", 1) == -E_BADHANDLE); /* a closed end stays closed */
    handle_close((uint32_t)copy);
    CHECK(NAME, pipe_read(r, buf, sizeof(buf)) == 1000);
    CHECK(NAME, pipe_write((uint32_t)w2, "abc", 3) == 3);
    CHECK(NAME, pipe_close((uint32_t)w2) == 0);
    CHECK(NAME, pipe_read(r, buf, 2) == 2 && memcmp(buf, "ab", 2) == 0);
    CHECK(NAME, pipe_read(r, buf, 10) == 1 && buf[0] == 'c');
    CHECK(NAME, pipe_read(r, buf, 10) == 0); /* end of file */
    CHECK(NAME, pipe_read(r, buf, 10) == 0); /* and it stays so */
    CHECK(NAME, pipe_close(r) == 0);

    /* No reader left: a write fails at once. */
    CHECK(NAME, pipe_create(HANDLE_PIPE, ends) == 0);
    CHECK(NAME, pipe_close(ends[0]) == 0);
    CHECK(NAME, pipe_write(ends[1], "x", 1) == -E_CLOSED);
    CHECK(NAME, pipe_close(ends[1]) == 0);
}

/* Sends one end to a helper with the scenario number (the end moves). */
static void hand_over(uint32_t helper, long scenario, uint32_t end)
{
    struct ipc_msg req = {.tag = TEST_XFER, .w = {(uint64_t)scenario}};
    struct ipc_msg reply;
    struct ipc_extra extra = {.send_handles = {end}, .send_count = 1};
    CHECK(NAME, ipc_request(helper, &req, &reply, IPC_FOREVER, &extra) == 0);
}

int main(void)
{
    check_ends_alone();
    for (long scenario = SCENARIO_BULK; scenario <= SCENARIO_STDIO; scenario++) {
        uint32_t ends[2];
        if (!CHECK(NAME, pipe_create(HANDLE_PIPE, ends) == 0))
            break;
        hand_over(HANDLE_WRITER, scenario, ends[1]);
        hand_over(HANDLE_READER, scenario, ends[0]);
    }
    printf("pipetest: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
