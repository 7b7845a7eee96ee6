/*
 * The receive ring and transmit buffers of the RTL8139 (see ring.h). No
 * port I/O and no system calls, so the host unit test builds this file
 * as it is.
 */
#include "ring.h"

#include <string.h>

#include <parley/errors.h>

#define RING_MASK (RTL_RX_RING_BYTES - 1u)

uint16_t rtl_capr(uint32_t read)
{
    /* The card adds 16 to what is written, modulo the ring: 0 is written as 0xFFF0. */
    return (uint16_t)(read - RTL_CAPR_OFFSET);
}

uint32_t rtl_rx_pending(uint32_t read, uint32_t write)
{
    return (write - read) & RING_MASK;
}

uint32_t rtl_rx_next(uint32_t read, uint32_t length)
{
    return ((read + RTL_RX_HEADER + length + 3u) & ~3u) & RING_MASK;
}

void rtl_rx_copy(const uint8_t *ring, uint32_t from, void *out, uint32_t length)
{
    from &= RING_MASK;
    uint32_t first = RTL_RX_RING_BYTES - from;
    if (first > length)
        first = length;
    memcpy(out, ring + from, first);
    memcpy((uint8_t *)out + first, ring, length - first);
}

void rtl_batch_reset(void *batch)
{
    struct nic_batch *header = batch;
    header->count = 0;
    header->used = (uint32_t)sizeof(*header);
}

/* A header's length is believable: at least an Ethernet header and CRC, at most 1518. */
static bool length_sane(uint32_t length)
{
    return length >= RTL_RX_LENGTH_MIN && length <= RTL_RX_LENGTH_MAX;
}

/* The card said the frame is good: ROK set and no error bit. */
static bool status_good(uint32_t status)
{
    return (status & RTL_RX_ROK) != 0 && (status & RTL_RX_ERRORS) == 0;
}

enum rtl_rx_result rtl_rx_drain(struct rtl_rx_ring *ring, uint32_t write, void *batch,
                                uint32_t batch_bytes, struct rtl_rx_counters *counters)
{
    struct nic_batch *header = batch;
    for (;;) {
        uint32_t pending = rtl_rx_pending(ring->read, write);
        if (pending < RTL_RX_HEADER)
            return RTL_RX_DRAINED;
        uint32_t word;
        rtl_rx_copy(ring->base, ring->read, &word, sizeof(word));
        uint32_t status = word & 0xFFFFu, length = word >> 16;
        if (length == RTL_RX_LENGTH_EARLY)
            return RTL_RX_DRAINED; /* still coming in: the next interrupt finds it done */
        if (!length_sane(length)) {
            counters->errors++;
            return RTL_RX_BROKEN;
        }
        if (pending < RTL_RX_HEADER + length)
            return RTL_RX_DRAINED; /* the card has not written all of it yet */
        if (!status_good(status)) {
            counters->errors++;
            ring->read = rtl_rx_next(ring->read, length);
            continue;
        }
        uint32_t bytes = length - RTL_CRC_BYTES;
        uint32_t next = nic_next_frame(header->used, bytes);
        if (next > batch_bytes)
            return RTL_RX_FULL;
        struct nic_frame *frame = (struct nic_frame *)((uint8_t *)batch + header->used);
        frame->length = (uint16_t)bytes;
        frame->reserved = 0;
        rtl_rx_copy(ring->base, ring->read + RTL_RX_HEADER, frame + 1, bytes);
        header->used = next;
        header->count++;
        counters->frames++;
        counters->bytes += bytes;
        ring->read = rtl_rx_next(ring->read, length);
    }
}

int rtl_batch_open(struct rtl_batch_reader *reader, const void *region, uint64_t region_bytes)
{
    const struct nic_batch *header = region;
    if (region == NULL || region_bytes < sizeof(*header) || header->used < sizeof(*header) ||
        header->used > region_bytes)
        return -E_INVAL;
    reader->base = region;
    reader->used = header->used;
    reader->count = header->count;
    reader->index = 0;
    reader->at = (uint32_t)sizeof(*header);
    return 0;
}

bool rtl_batch_next(struct rtl_batch_reader *reader, const uint8_t **data, uint32_t *length)
{
    if (reader->index >= reader->count ||
        (uint64_t)reader->at + sizeof(struct nic_frame) > reader->used)
        return false;
    const struct nic_frame *frame = (const struct nic_frame *)(reader->base + reader->at);
    if ((uint64_t)reader->at + sizeof(*frame) + frame->length > reader->used)
        return false;
    *data = (const uint8_t *)(frame + 1);
    *length = frame->length;
    reader->index++;
    reader->at = nic_next_frame(reader->at, frame->length);
    return true;
}

uint32_t rtl_tx_fill(uint8_t *buffer, const uint8_t *frame, uint32_t length)
{
    if (length < RTL_TX_FRAME_MIN || length > NIC_FRAME_MAX)
        return 0;
    memcpy(buffer, frame, length);
    if (length >= NIC_FRAME_MIN)
        return length;
    /* The card sends what it is given; a short frame must reach the 60-byte minimum itself. */
    memset(buffer + length, 0, NIC_FRAME_MIN - length);
    return NIC_FRAME_MIN;
}

uint32_t rtl_tx_command(uint32_t length)
{
    return (length & RTL_TSD_SIZE_MASK) | RTL_TSD_THRESHOLD;
}
