/* head [-n N] [FILE...]: prints the first N lines (10 by default) of each file or stdin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "text.h"

static void take(const char *chunk, size_t len, void *arg)
{
    util_write(chunk, head_take(chunk, len, arg));
}

/* As take, then done once the lines are out: the writer upstream of a pipe need not finish. */
static void take_stdin(const char *chunk, size_t len, void *arg)
{
    take(chunk, len, arg);
    if (*(uint64_t *)arg == 0)
        exit(0); /* closes stdin: a writer to it ends too */
}

int main(int argc, char **argv)
{
    util_start("head");
    int first = 1, status = 0;
    uint64_t lines = 10;
    if (argc > 1 && strncmp(argv[1], "-n", 2) == 0) {
        const char *number = argv[1][2] != '\0' ? argv[1] + 2 : (argc > 2 ? argv[2] : "");
        char *end;
        lines = strtoull(number, &end, 10);
        if (*number == '\0' || *end != '\0')
            return util_usage("usage: head [-n N] [FILE...]");
        first = argv[1][2] != '\0' ? 2 : 3;
    }
    if (first >= argc) {
        uint64_t left = lines;
        long err = lines > 0 ? util_each_chunk("-", take_stdin, &left) : 0;
        return err < 0 ? util_fail("stdin", err) : 0;
    }
    for (int i = first; i < argc; i++) {
        uint64_t left = lines;
        if (argc - first > 1)
            printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
        long err = util_each_chunk(argv[i], take, &left);
        if (err < 0)
            status = util_fail(argv[i], err);
    }
    return status;
}
