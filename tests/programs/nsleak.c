/*
 * nsleak N: derive namespaces and never NS_CLOSE them (docs/security.md,
 * "Servers"; tests/qemu/test_peer_closed.py).
 *
 * Derives a namespace with /bin read-only N times from its own, and
 * closes each handle with handle_close alone, as a client that dies
 * would: the vfs hears only the kernel's IPC_TAG_CLOSED. The last KEPT
 * stay open and the program exits holding them. Before the vfs
 * listened, each one kept a slot of its 256-entry table, and a handle
 * of the vfs's own for the mount, for good: after a few dozen nobody
 * could log in. Prints "nsleak: N namespaces, KEPT left open at exit: ok",
 * or where a derive failed.
 */
#include <stdio.h>
#include <stdlib.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/ipc_lib.h>

#define KEPT 8

int main(int argc, char **argv)
{
    long count = argc > 1 ? atoi(argv[1]) : 100;
    const char *const mounts[] = {"/bin=/bin:ro"};
    for (long i = 0; i < count; i++) {
        long h = ns_derive(mounts, 1);
        if (h < 0) {
            printf("nsleak: derive %ld of %ld failed: %s\n", i + 1, count, error_string((int)h));
            return 1;
        }
        if (i < count - KEPT)
            handle_close((uint32_t)h); /* no NS_CLOSE */
    }
    printf("nsleak: %ld namespaces, %d left open at exit: ok\n", count,
           count < KEPT ? (int)count : KEPT);
    return 0;
}
