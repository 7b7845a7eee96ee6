/*
 * fsleak N: open files and never FS_CLOSE them (docs/security.md,
 * "Servers"; tests/qemu/test_peer_closed.py).
 *
 * Opens the file "fsleak.data" in the current directory N times. Each
 * handle is closed with handle_close alone, as a client that dies in the
 * middle would leave it: the ramdisk hears only the kernel's
 * IPC_TAG_CLOSED. The last KEPT opens stay open and the program exits
 * holding them. Before the ramdisk listened, every open leaked one of
 * its 65,535 open objects for good. Prints one line:
 * "fsleak: N opens, KEPT left open at exit: ok", or where an open failed.
 */
#include <stdio.h>
#include <stdlib.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/ipc_lib.h>

#define KEPT 40
#define PATH "fsleak.data"

int main(int argc, char **argv)
{
    long count = argc > 1 ? atoi(argv[1]) : 1000;
    long made = ns_open(PATH, FS_RIGHT_READ | FS_RIGHT_WRITE | FS_O_CREATE);
    if (made < 0) {
        printf("fsleak: cannot make %s: %s\n", PATH, error_string((int)made));
        return 1;
    }
    file_close((uint32_t)made);
    for (long i = 0; i < count; i++) {
        long h = ns_open(PATH, FS_RIGHT_READ);
        if (h < 0) {
            printf("fsleak: open %ld of %ld failed: %s\n", i + 1, count, error_string((int)h));
            return 1;
        }
        if (i < count - KEPT)
            handle_close((uint32_t)h); /* no FS_CLOSE */
    }
    printf("fsleak: %ld opens, %d left open at exit: ok\n", count,
           count < KEPT ? (int)count : KEPT);
    return 0;
}
