/*
 * Checks the RTL8139 driver's ring logic (drivers/rtl8139/ring.c) against
 * a simulated card that writes frames the way the chip (and QEMU's model
 * of it) does: a 4-byte header (status, length with CRC), the frame, a
 * CRC, continuing at the ring's start when the end comes, the next
 * header at a 4-byte boundary. It checks that a frame crossing the ring's
 * end arrives intact, the CAPR arithmetic, that flagged frames are
 * counted and skipped, that nonsense lengths stop the reader, that a full
 * batch stops it without losing a frame, the batch reader and the
 * transmit padding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../drivers/rtl8139/ring.h"
#include "check.h"

#define BATCH_BYTES NIC_BATCH_BYTES

static uint8_t ring[RTL_RX_RING_BYTES + RTL_RX_RING_SLACK];
static uint8_t batch[BATCH_BYTES];

/* The simulated card: where it writes next. */
static uint32_t card_write;

static void card_put(const void *data, uint32_t length)
{
    for (uint32_t i = 0; i < length; i++)
        ring[(card_write + i) % RTL_RX_RING_BYTES] = ((const uint8_t *)data)[i];
    card_write = (card_write + length) % RTL_RX_RING_BYTES;
}

/* Writes one frame of `length` bytes (CRC not included) with the given header status. */
static void card_receive(const uint8_t *frame, uint32_t length, uint32_t status)
{
    uint32_t header = status | (length + RTL_CRC_BYTES) << 16;
    uint32_t crc = 0xDEADBEEF;
    card_put(&header, 4);
    card_put(frame, length);
    card_put(&crc, 4);
    card_write = ((card_write + 3) & ~3u) % RTL_RX_RING_BYTES;
}

/* A frame whose bytes depend on a seed, so frames cannot be confused with each other. */
static void make_frame(uint8_t *frame, uint32_t length, unsigned seed)
{
    for (uint32_t i = 0; i < length; i++)
        frame[i] = (uint8_t)(i * 7 + seed * 31 + 1);
}

static void start_at(struct rtl_rx_ring *r, uint32_t offset)
{
    memset(ring, 0xCC, sizeof(ring));
    r->base = ring;
    r->read = offset;
    card_write = offset;
    rtl_batch_reset(batch);
}

/* The index-th frame of the batch, or NULL. */
static const struct nic_frame *batch_frame(uint32_t index)
{
    struct rtl_batch_reader reader;
    const uint8_t *data;
    uint32_t length;
    if (rtl_batch_open(&reader, batch, sizeof(batch)) != 0)
        return NULL;
    for (uint32_t i = 0; rtl_batch_next(&reader, &data, &length); i++)
        if (i == index)
            return (const struct nic_frame *)data - 1;
    return NULL;
}

static void test_capr(void)
{
    CHECK(rtl_capr(0) == 0xFFF0);
    CHECK(rtl_capr(16) == 0);
    CHECK(rtl_capr(0x1234) == 0x1224);
    CHECK(rtl_capr(RTL_RX_RING_BYTES - 4) == 0xFFEC);
    CHECK(rtl_rx_next(0, 64) == 68);
    CHECK(rtl_rx_next(0, 65) == 72); /* rounded up to 4 */
    CHECK(rtl_rx_next(RTL_RX_RING_BYTES - 8, 64) == 60);
    CHECK(rtl_rx_pending(100, 100) == 0);
    CHECK(rtl_rx_pending(RTL_RX_RING_BYTES - 4, 8) == 12);
}

/* For starting points on both sides of the end, and every way of straddling it. */
static void test_frame_across_the_end(void)
{
    static const uint32_t lengths[] = {14, 60, 61, 300, 1514};
    for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
        uint32_t length = lengths[l];
        for (uint32_t back = 4; back <= length + 16; back += 4) {
            struct rtl_rx_ring r;
            struct rtl_rx_counters counters = {0};
            uint8_t frame[NIC_FRAME_MAX];
            uint32_t start = RTL_RX_RING_BYTES - back;
            start_at(&r, start);
            make_frame(frame, length, back);
            card_receive(frame, length, RTL_RX_ROK);

            enum rtl_rx_result result = rtl_rx_drain(&r, card_write, batch, BATCH_BYTES, &counters);
            const struct nic_frame *got = batch_frame(0);
            CHECKF(result == RTL_RX_DRAINED, "length %u start %u", length, start);
            CHECKF(got != NULL && got->length == length && memcmp(got + 1, frame, length) == 0,
                   "length %u start %u: frame not intact", length, start);
            CHECKF(r.read == card_write, "length %u start %u: read %u, card at %u", length, start,
                   r.read, card_write);
            CHECK(r.read == rtl_rx_next(start, length + RTL_CRC_BYTES));
            CHECK(counters.frames == 1 && counters.bytes == length && counters.errors == 0);
            CHECK(rtl_capr(r.read) == (uint16_t)(card_write - 16));
        }
    }
}

static void test_error_frames_are_counted_and_skipped(void)
{
    struct rtl_rx_ring r;
    struct rtl_rx_counters counters = {0};
    uint8_t frame[100];
    start_at(&r, 0);
    make_frame(frame, sizeof(frame), 1);
    card_receive(frame, sizeof(frame), RTL_RX_CRC);              /* ROK clear */
    card_receive(frame, sizeof(frame), RTL_RX_ROK | RTL_RX_FAE); /* ROK with an error bit */
    card_receive(frame, 64, RTL_RX_ROK | RTL_RX_RUNT);
    make_frame(frame, sizeof(frame), 2);
    card_receive(frame, sizeof(frame), RTL_RX_ROK);

    CHECK(rtl_rx_drain(&r, card_write, batch, BATCH_BYTES, &counters) == RTL_RX_DRAINED);
    CHECK(counters.errors == 3);
    CHECK(counters.frames == 1);
    CHECK(((struct nic_batch *)batch)->count == 1);
    const struct nic_frame *got = batch_frame(0);
    CHECK(got != NULL && got->length == sizeof(frame) && memcmp(got + 1, frame, 100) == 0);
    CHECK(r.read == card_write);
}

/* Writes a bare header with a given length field, as a confused card (or a lost reader) might. */
static void card_header(uint32_t status, uint32_t length_field)
{
    uint32_t header = status | length_field << 16;
    card_put(&header, 4);
    uint8_t filler[64] = {0};
    card_put(filler, sizeof(filler));
}

static void test_bad_lengths_are_refused(void)
{
    static const uint32_t bad[] = {0,      4,     RTL_RX_LENGTH_MIN - 1, RTL_RX_LENGTH_MAX + 1,
                                   0x1000, 0xFFFF};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct rtl_rx_ring r;
        struct rtl_rx_counters counters = {0};
        start_at(&r, 1024);
        card_header(RTL_RX_ROK, bad[i]);
        CHECKF(rtl_rx_drain(&r, card_write, batch, BATCH_BYTES, &counters) == RTL_RX_BROKEN,
               "length %u", bad[i]);
        CHECKF(r.read == 1024 && counters.errors == 1 && counters.frames == 0, "length %u", bad[i]);
        CHECK(((struct nic_batch *)batch)->count == 0);
    }

    /* The limits themselves are fine: a bare header and a full-size frame. */
    struct rtl_rx_ring r;
    struct rtl_rx_counters counters = {0};
    uint8_t frame[NIC_FRAME_MAX];
    start_at(&r, 0);
    make_frame(frame, sizeof(frame), 3);
    card_receive(frame, 14, RTL_RX_ROK);
    card_receive(frame, NIC_FRAME_MAX, RTL_RX_ROK);
    CHECK(rtl_rx_drain(&r, card_write, batch, BATCH_BYTES, &counters) == RTL_RX_DRAINED);
    CHECK(counters.frames == 2 && counters.errors == 0);
}

static void test_unfinished_frames_wait(void)
{
    struct rtl_rx_ring r;
    struct rtl_rx_counters counters = {0};
    uint8_t frame[200];
    start_at(&r, 0);
    make_frame(frame, sizeof(frame), 4);

    /* Early receive: the card marks a frame it is still copying with length 0xFFF0. */
    card_header(0, RTL_RX_LENGTH_EARLY);
    CHECK(rtl_rx_drain(&r, card_write, batch, BATCH_BYTES, &counters) == RTL_RX_DRAINED);
    CHECK(r.read == 0 && counters.errors == 0);

    /* A header whose frame is not all behind the write pointer yet. */
    start_at(&r, 0);
    card_receive(frame, sizeof(frame), RTL_RX_ROK);
    CHECK(rtl_rx_drain(&r, 100, batch, BATCH_BYTES, &counters) == RTL_RX_DRAINED);
    CHECK(r.read == 0 && counters.frames == 0);
    CHECK(rtl_rx_drain(&r, card_write, batch, BATCH_BYTES, &counters) == RTL_RX_DRAINED);
    CHECK(r.read == card_write && counters.frames == 1);
}

/* A batch that fills stops the reader at the first frame that does not fit; nothing is lost. */
static void test_full_batch(void)
{
    struct rtl_rx_ring r;
    struct rtl_rx_counters counters = {0};
    uint8_t frame[NIC_FRAME_MAX];
    const uint32_t frames = 40, small = 4096; /* a small batch holds only a couple of frames */
    start_at(&r, RTL_RX_RING_BYTES - 3000);
    for (unsigned i = 0; i < frames; i++) {
        make_frame(frame, sizeof(frame), i);
        card_receive(frame, sizeof(frame), RTL_RX_ROK);
    }
    uint32_t seen = 0, rounds = 0;
    for (;;) {
        enum rtl_rx_result result = rtl_rx_drain(&r, card_write, batch, small, &counters);
        const struct nic_batch *header = (const struct nic_batch *)batch;
        CHECK(header->used <= small);
        for (uint32_t i = 0; i < header->count; i++, seen++) {
            const struct nic_frame *got = batch_frame(i);
            make_frame(frame, sizeof(frame), seen);
            CHECKF(got != NULL && got->length == NIC_FRAME_MAX &&
                       memcmp(got + 1, frame, NIC_FRAME_MAX) == 0,
                   "frame %u", seen);
        }
        rtl_batch_reset(batch);
        rounds++;
        if (result != RTL_RX_FULL || rounds > frames)
            break;
    }
    CHECK(seen == frames);
    CHECK(rounds > 1);
    CHECK(counters.frames == frames && r.read == card_write);
}

static void test_batch_reader(void)
{
    uint8_t region[256];
    struct nic_batch *header = (struct nic_batch *)region;
    struct rtl_batch_reader reader;
    const uint8_t *data;
    uint32_t length;

    rtl_batch_reset(region);
    CHECK(rtl_batch_open(&reader, region, sizeof(region)) == 0);
    CHECK(!rtl_batch_next(&reader, &data, &length));

    /* Two frames, 20 and 30 bytes. */
    struct nic_frame *f = (struct nic_frame *)(region + 8);
    f->length = 20;
    memset(f + 1, 0x11, 20);
    uint32_t second = nic_next_frame(8, 20);
    f = (struct nic_frame *)(region + second);
    f->length = 30;
    memset(f + 1, 0x22, 30);
    header->count = 2;
    header->used = nic_next_frame(second, 30);
    CHECK(rtl_batch_open(&reader, region, sizeof(region)) == 0);
    CHECK(rtl_batch_next(&reader, &data, &length) && length == 20 && data[0] == 0x11);
    CHECK(rtl_batch_next(&reader, &data, &length) && length == 30 && data[29] == 0x22);
    CHECK(!rtl_batch_next(&reader, &data, &length));

    /* A count beyond what is used, and a frame running past the used part. */
    header->count = 3;
    CHECK(rtl_batch_open(&reader, region, sizeof(region)) == 0);
    CHECK(rtl_batch_next(&reader, &data, &length) && rtl_batch_next(&reader, &data, &length));
    CHECK(!rtl_batch_next(&reader, &data, &length) && reader.count - reader.index == 1);
    header->count = 2;
    f->length = 200;
    CHECK(rtl_batch_open(&reader, region, sizeof(region)) == 0);
    CHECK(rtl_batch_next(&reader, &data, &length));
    CHECK(!rtl_batch_next(&reader, &data, &length));

    /* Headers that do not fit their region. */
    header->used = sizeof(region) + 1;
    CHECK(rtl_batch_open(&reader, region, sizeof(region)) < 0);
    header->used = 4;
    CHECK(rtl_batch_open(&reader, region, sizeof(region)) < 0);
    CHECK(rtl_batch_open(&reader, region, 4) < 0);
    CHECK(rtl_batch_open(&reader, NULL, 0) < 0);
}

static void test_tx_padding(void)
{
    uint8_t buffer[RTL_TX_BUFFER_BYTES], frame[NIC_FRAME_MAX + 1];
    make_frame(frame, sizeof(frame), 5);

    memset(buffer, 0xAA, sizeof(buffer));
    CHECK(rtl_tx_fill(buffer, frame, 20) == NIC_FRAME_MIN);
    CHECK(memcmp(buffer, frame, 20) == 0);
    int zeros = 1;
    for (uint32_t i = 20; i < NIC_FRAME_MIN; i++)
        zeros &= buffer[i] == 0;
    CHECK(zeros);
    CHECK(buffer[NIC_FRAME_MIN] == 0xAA); /* nothing written past the minimum */

    CHECK(rtl_tx_fill(buffer, frame, 14) == NIC_FRAME_MIN);
    CHECK(rtl_tx_fill(buffer, frame, 60) == 60);
    CHECK(rtl_tx_fill(buffer, frame, NIC_FRAME_MAX) == NIC_FRAME_MAX);
    CHECK(memcmp(buffer, frame, NIC_FRAME_MAX) == 0);
    CHECK(rtl_tx_fill(buffer, frame, 13) == 0);
    CHECK(rtl_tx_fill(buffer, frame, NIC_FRAME_MAX + 1) == 0);
    CHECK(rtl_tx_fill(buffer, frame, 0) == 0);

    CHECK((rtl_tx_command(60) & RTL_TSD_SIZE_MASK) == 60);
    CHECK((rtl_tx_command(1514) & RTL_TSD_OWN) == 0);
}

int main(void)
{
    test_capr();
    test_frame_across_the_end();
    test_error_frames_are_counted_and_skipped();
    test_bad_lengths_are_refused();
    test_unfinished_frames_wait();
    test_full_batch();
    test_batch_reader();
    test_tx_padding();
    return check_finish("rtl8139_ring_test");
}
