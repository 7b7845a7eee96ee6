/*
 * cat [FILE...]: copies each file (or stdin, for "-" or no argument) to
 * stdout. A directory, a missing file or one that may not be read gives
 * one line, "cat: PATH: reason", and exit status 1.
 */
#include <stddef.h>

#include "common.h"

static void emit(const char *chunk, size_t len, void *arg)
{
    (void)arg;
    util_write(chunk, len);
}

int main(int argc, char **argv)
{
    util_start("cat");
    if (argc < 2) {
        long err = util_each_chunk("-", emit, NULL);
        return err < 0 ? util_fail("stdin", err) : 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        long err = util_each_chunk(argv[i], emit, NULL);
        if (err < 0)
            status = util_fail(argv[i], err);
    }
    return status;
}
