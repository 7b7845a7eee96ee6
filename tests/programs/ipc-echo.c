/*
 * The echo server, wired as ipc-echo@serve:EP: answers each TEST_ECHO call
 * with every word plus one, through ipc_serve, and exits when the last
 * client is gone (the receive gives -E_CLOSED), logging how many requests
 * it served.
 */
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>
#include <string.h>

#include "ipc_test.h"

struct echo_state {
    unsigned long served;
};

static long echo(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                 uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    struct echo_state *state = context;

    (void)sender;
    (void)reply_extra;
    ipc_extra_drop(extra); /* nothing is expected with an echo */
    for (int i = 0; i < 4; i++)
        reply->w[i] = request->w[i] + 1;
    state->served++;
    return 0;
}

static const struct ipc_handler handlers[] = {
    {TEST_ECHO, echo},
};

int main(void)
{
    struct echo_state state = {0};
    long info = handle_info(WIRED_HANDLE);

    if (info < 0 || info >> 32 != OBJECT_ENDPOINT || (info & RIGHT_RECEIVE) == 0 ||
        (info & RIGHT_SEND) != 0) {
        printf("ipc-echo: handle 1 is not a receive-only endpoint (info %ld)\n", info);
        return 1;
    }
    int err = ipc_serve(WIRED_HANDLE, handlers, 1, &state);
    printf("ipc-echo: served %lu requests, then %s\n", state.served,
           err == 0 ? "all clients were gone" : strerror(err));
    return err == 0 ? 0 : 1;
}
