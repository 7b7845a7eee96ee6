/*
 * The test protocol: messages between Parley's IPC test and benchmark
 * programs (tests/programs/ipc-*). A reply's tag is its status: 0 or a
 * negative error.
 */
#ifndef PARLEY_PROTO_TEST_H
#define PARLEY_PROTO_TEST_H

#include <parley/proto/base.h>

#define TEST_ECHO PARLEY_TAG(PROTO_TEST, 1) /* w0..w3 -> reply w0+1..w3+1 */
#define TEST_XFER PARLEY_TAG(PROTO_TEST, 2) /* a region and/or handles; reply w0 = byte sum */
#define TEST_PING PARLEY_TAG(PROTO_TEST, 3) /* one-way message */
#define TEST_NULL PARLEY_TAG(PROTO_TEST, 4) /* benchmark: empty round trip */

#define PROTO_TEST_TAGS(X)                                                                         \
    X(TEST_ECHO, TEST_ECHO)                                                                        \
    X(TEST_XFER, TEST_XFER)                                                                        \
    X(TEST_PING, TEST_PING)                                                                        \
    X(TEST_NULL, TEST_NULL)

#endif
