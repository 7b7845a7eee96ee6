/*
 * The protocol between ipc-paths and ipc-paths-server (test_ipc_fastpath.py).
 * Every request is a call; the reply tag is 0 unless said otherwise.
 */
#ifndef IPC_PATHS_H
#define IPC_PATHS_H

#include <parley/proto/test.h>

#define PATHS_ECHO PARLEY_TAG(PROTO_TEST, 0x20)    /* w0+1, w1^0x5555, the badge, 3*w3+w2 */
#define PATHS_GIVE PARLEY_TAG(PROTO_TEST, 0x21)    /* replies with a 2-page region of 0xA5 */
#define PATHS_HANDLE PARLEY_TAG(PROTO_TEST, 0x22)  /* replies with a new endpoint handle */
#define PATHS_SAVE PARLEY_TAG(PROTO_TEST, 0x23)    /* answered later, through a saved reply */
#define PATHS_SUM PARLEY_TAG(PROTO_TEST, 0x24)     /* a region: reply w0 = its byte sum */
#define PATHS_BADRECV PARLEY_TAG(PROTO_TEST, 0x25) /* reply_receive on a bad handle */
#define PATHS_EXIT PARLEY_TAG(PROTO_TEST, 0x26)    /* the server exits without replying */

#define PATHS_REGION 8192
#define PATHS_BYTE 0xA5

#endif
