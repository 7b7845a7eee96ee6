/*
 * The byte ring of ring.h. The held bytes are [head, head + count) modulo
 * size, so a copy in or out is at most two memcpy calls: up to the end of
 * the storage, then from its start.
 */
#include "ring.h"

#include <string.h>

void ring_init(struct ring *ring, void *storage, size_t size)
{
    ring->data = storage;
    ring->size = size;
    ring->head = 0;
    ring->count = 0;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

size_t ring_put(struct ring *ring, const void *src, size_t len)
{
    const uint8_t *in = src;
    size_t n = min_size(len, ring_room(ring));
    size_t tail = (ring->head + ring->count) % (ring->size ? ring->size : 1);
    size_t first = min_size(n, ring->size - tail);
    memcpy(ring->data + tail, in, first);
    memcpy(ring->data, in + first, n - first);
    ring->count += n;
    return n;
}

size_t ring_peek(const struct ring *ring, void *dst, size_t len)
{
    uint8_t *out = dst;
    size_t n = min_size(len, ring->count);
    size_t first = min_size(n, ring->size - ring->head);
    memcpy(out, ring->data + ring->head, first);
    memcpy(out + first, ring->data, n - first);
    return n;
}

size_t ring_drop(struct ring *ring, size_t len)
{
    size_t n = min_size(len, ring->count);
    ring->head = ring->size ? (ring->head + n) % ring->size : 0;
    ring->count -= n;
    if (ring->count == 0)
        ring->head = 0; /* an empty ring starts over: fewer split copies */
    return n;
}

size_t ring_get(struct ring *ring, void *dst, size_t len)
{
    return ring_drop(ring, ring_peek(ring, dst, len));
}
