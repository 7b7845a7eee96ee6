/*
 * What the ipc-* test programs share: which messages of the test
 * protocol each one speaks, a check helper that logs every failed
 * expectation, and the byte pattern of the regions they move.
 *
 * init wires the programs (run=NAME@serve:EP@use:EP...): the handles it
 * passes arrive as 1, 2, ... in the order of the @ suffixes.
 */
#ifndef IPC_TEST_H
#define IPC_TEST_H

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <stdio.h>
#include <string.h>

#define WIRED_HANDLE 1 /* the first handle init passes */

/*
 * The programs speak the test protocol of <parley/proto/test.h>:
 *   ipc-echo          TEST_ECHO: each reply word is the request word + 1
 *   ipc-bench-server  TEST_NULL: an empty reply
 *                     TEST_BOUNCE: the region that came is moved back
 *   ipc-xfer-server   TEST_NULL: a plain hello, once the refused transfer is over
 *                     TEST_XFER: an endpoint handle and a 64 KiB region,
 *                     answered with the byte sum in w0; then TEST_PING
 *                     (w0 = sum, w1 = the server's pid) is sent back on
 *                     the endpoint it was given
 *   ipc-dying-server  takes one TEST_ECHO and exits without answering
 */
#include <parley/proto/test.h>

/* Not in proto/test.h (yet): only the benchmark uses it. */
#define TEST_BOUNCE PARLEY_TAG(PROTO_TEST, 0x10)

#define XFER_REGION (64 * 1024)
#define XFER_REPLY_REGION 4096
#define XFER_REPLY_BYTE 0x5A

#define NS_PER_MS 1000000ull

/* Not every program checks things; unused is fine. */
__attribute__((unused)) static const char *test_name = "test";
__attribute__((unused)) static int test_checks;
__attribute__((unused)) static int test_failures;

/* Records one check: got must equal want, else a FAIL line is logged. */
static inline int expect(const char *what, long got, long want)
{
    test_checks++;
    if (got == want)
        return 1;
    test_failures++;
    printf("%s: FAIL %s: got %ld (%s), want %ld (%s)\n", test_name, what, got,
           got < 0 ? strerror((int)got) : "-", want, want < 0 ? strerror((int)want) : "-");
    return 0;
}

/* Records one check of a condition. */
static inline int expect_true(const char *what, int ok)
{
    test_checks++;
    if (ok)
        return 1;
    test_failures++;
    printf("%s: FAIL %s\n", test_name, what);
    return 0;
}

/* The byte at offset i of a test region: a pattern that catches shifted or swapped pages. */
static inline uint8_t pattern_byte(size_t i, unsigned seed)
{
    return (uint8_t)((i >> 12) * 131 + i * 7 + seed);
}

static inline void pattern_fill(uint8_t *p, size_t length, unsigned seed)
{
    for (size_t i = 0; i < length; i++)
        p[i] = pattern_byte(i, seed);
}

/* The number of bytes of p that differ from the pattern. */
static inline size_t pattern_errors(const uint8_t *p, size_t length, unsigned seed)
{
    size_t wrong = 0;
    for (size_t i = 0; i < length; i++)
        wrong += p[i] != pattern_byte(i, seed);
    return wrong;
}

static inline uint64_t byte_sum(const uint8_t *p, size_t length)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < length; i++)
        sum += p[i];
    return sum;
}

#endif
