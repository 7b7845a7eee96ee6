/*
 * A byte ring: the buffer inside each pipe. Pure code with no system
 * calls, so tests/unit/pipe_buffer_test.c runs it on the build machine.
 *
 * Bytes go in at the tail and come out at the head in the order they
 * went in; a put takes only what fits and a get gives only what is
 * there, each returning how many bytes it moved. ring_peek copies without
 * taking, so a reader's bytes can stay put until their reply is known to
 * have been delivered (ring_drop then takes them).
 */
#ifndef SERVERS_PIPE_RING_H
#define SERVERS_PIPE_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
    uint8_t *data;
    size_t size;  /* capacity in bytes */
    size_t head;  /* index of the oldest byte */
    size_t count; /* bytes held */
};

/* Makes an empty ring over `size` bytes of storage (kept by the caller). */
void ring_init(struct ring *ring, void *storage, size_t size);

static inline size_t ring_count(const struct ring *ring)
{
    return ring->count;
}

static inline size_t ring_room(const struct ring *ring)
{
    return ring->size - ring->count;
}

/* Appends up to len bytes (as many as fit); returns how many. */
size_t ring_put(struct ring *ring, const void *src, size_t len);

/* Copies up to len of the oldest bytes to dst without taking them; returns how many. */
size_t ring_peek(const struct ring *ring, void *dst, size_t len);

/* Discards up to len of the oldest bytes; returns how many. */
size_t ring_drop(struct ring *ring, size_t len);

/* ring_peek then ring_drop. */
size_t ring_get(struct ring *ring, void *dst, size_t len);

#endif
