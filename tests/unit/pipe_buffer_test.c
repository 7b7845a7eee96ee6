/*
 * Checks the pipe server's byte ring (servers/pipe/ring.c): bytes come
 * out in the order they went in across every wrap-around point, puts take
 * only what fits, gets give only what is there, peek leaves the bytes in
 * place, and a random mix of puts and gets matches a simple model (a
 * flat array) byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/pipe/ring.h"
#include "check.h"

#define SIZE 64

static void test_empty_and_full(void)
{
    uint8_t storage[SIZE], out[SIZE * 2], in[SIZE * 2];
    struct ring r;
    ring_init(&r, storage, sizeof(storage));
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)i;

    CHECK(ring_count(&r) == 0 && ring_room(&r) == SIZE);
    CHECK(ring_get(&r, out, 10) == 0);
    CHECK(ring_put(&r, in, SIZE * 2) == SIZE); /* only what fits */
    CHECK(ring_count(&r) == SIZE && ring_room(&r) == 0);
    CHECK(ring_put(&r, in, 1) == 0);
    CHECK(ring_get(&r, out, SIZE * 2) == SIZE); /* only what is there */
    CHECK(memcmp(out, in, SIZE) == 0);
    CHECK(ring_count(&r) == 0);
}

/* For every starting offset, a put that wraps comes back whole. */
static void test_wrap_at_every_offset(void)
{
    uint8_t storage[SIZE], in[SIZE], out[SIZE], pad[SIZE];
    for (size_t start = 0; start < SIZE; start++) {
        struct ring r;
        /* Put the head at `start` with one byte held (an empty ring restarts at 0). */
        memset(pad, 0, sizeof(pad));
        ring_init(&r, storage, sizeof(storage));
        ring_put(&r, pad, start + 1);
        ring_drop(&r, start);
        CHECKF(r.head == start, "start %zu", start);
        for (size_t i = 0; i < SIZE; i++)
            in[i] = (uint8_t)(start * 7 + i);
        size_t put = ring_put(&r, in, SIZE);
        CHECKF(put == SIZE - 1, "start %zu put %zu", start, put);
        uint8_t first;
        CHECK(ring_get(&r, &first, 1) == 1);
        CHECK(ring_get(&r, out, SIZE) == put);
        CHECKF(memcmp(out, in, put) == 0, "start %zu", start);
    }
}

static void test_peek_keeps_bytes(void)
{
    uint8_t storage[SIZE], out[8];
    struct ring r;
    ring_init(&r, storage, sizeof(storage));
    ring_put(&r, "abcdef", 6);
    CHECK(ring_peek(&r, out, 4) == 4 && memcmp(out, "abcd", 4) == 0);
    CHECK(ring_count(&r) == 6);
    CHECK(ring_drop(&r, 2) == 2);
    CHECK(ring_get(&r, out, 8) == 4 && memcmp(out, "cdef", 4) == 0);
    CHECK(ring_drop(&r, 5) == 0);
}

/* Random puts and gets against a flat model of the same stream. */
static void test_random_against_model(void)
{
    enum { TOTAL = 1 << 20 };
    uint8_t storage[1000];
    uint8_t *model = malloc(TOTAL), *got = malloc(TOTAL);
    size_t written = 0, read = 0;
    struct ring r;
    ring_init(&r, storage, sizeof(storage));
    srand(12345);
    for (size_t i = 0; i < TOTAL; i++)
        model[i] = (uint8_t)rand();
    while (read < TOTAL) {
        size_t n = (size_t)rand() % 1500;
        if (rand() & 1) {
            if (n > TOTAL - written)
                n = TOTAL - written;
            size_t room = ring_room(&r);
            size_t put = ring_put(&r, model + written, n);
            CHECK(put == (n < room ? n : room));
            written += put;
        } else {
            size_t held = ring_count(&r);
            size_t got_n = ring_get(&r, got + read, n);
            CHECK(got_n == (n < held ? n : held));
            read += got_n;
        }
        CHECK(ring_count(&r) == written - read);
    }
    CHECK(memcmp(model, got, TOTAL) == 0);
    free(model);
    free(got);
}

int main(void)
{
    test_empty_and_full();
    test_wrap_at_every_offset();
    test_peek_keeps_bytes();
    test_random_against_model();
    return check_finish("pipe_buffer_test");
}
