/*
 * libFuzzer target for the TCP/IP server's parser of names below /net
 * (servers/net/names.c): any bytes, as a client could send them in an
 * FS_OPEN, must parse or be refused without reading past `length`, and
 * what parses must be a well-formed name.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/net/names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly `size` bytes, so ASan sees any read past the end. */
    char *path = malloc(size ? size : 1);
    if (path == NULL)
        return 0;
    memcpy(path, data, size);
    struct net_name name;
    if (net_name_parse(path, size, &name) == 0) {
        if (strlen(name.host) > NET_HOST_MAX)
            abort();
        if ((name.kind == NET_TCP || name.kind == NET_UDP || name.kind == NET_LISTEN) &&
            name.port == 0)
            abort();
    }
    free(path);
    return 0;
}
