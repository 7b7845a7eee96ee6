/*
 * pipe-writer: the writing half of the pipe test (pipe_test.h). For each
 * scenario pipetest sends it a write end:
 *   bulk    1 MiB of pattern_byte in writes of odd sizes (1 byte to
 *           300 KB, inline and in regions), then closes the end
 *   closed  writes 10 bytes, then keeps writing until the reader's close
 *           makes a write fail with -E_CLOSED
 *   stdio   makes the end its stdout and writes with printf, puts,
 *           putchar, fputs, fprintf(stderr) and fwrite; exit() flushes
 *           and closes the end, which the reader sees as end of file
 */
#include <stdlib.h>
#include <string.h>

#include <parley/sys.h>

#include "pipe_test.h"

#define NAME "pipe-writer"

static void bulk(uint32_t end)
{
    static const size_t sizes[] = {1, 7, 24, 25, 4096, 65536, 100000, 300000, 3};
    uint8_t *data = malloc(BULK_BYTES);
    for (uint32_t i = 0; i < BULK_BYTES; i++)
        data[i] = pattern_byte(i);
    size_t done = 0;
    for (int k = 0; done < BULK_BYTES; k++) {
        size_t n = sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];
        if (n > BULK_BYTES - done)
            n = BULK_BYTES - done;
        long written = pipe_write(end, data + done, n);
        if (!CHECK(NAME, written == (long)n)) {
            printf("pipe-writer: write of %zu at %zu: %ld\n", n, done, written);
            break;
        }
        done += n;
    }
    free(data);
    CHECK(NAME, pipe_close(end) == 0);
    printf("pipe-writer: bulk: wrote %zu bytes and closed\n", done);
}

static void closed(uint32_t end)
{
    static char chunk[4096];
    CHECK(NAME, pipe_write(end, "0123456789", 10) == 10);
    long err = 0;
    size_t total = 10;
    while (total < 4 * BULK_BYTES) {
        err = pipe_write(end, chunk, sizeof(chunk));
        if (err < 0)
            break;
        total += sizeof(chunk);
    }
    CHECK(NAME, err == -E_CLOSED);
    printf("pipe-writer: closed: a write after the reader closed: %s\n", error_string((int)err));
    CHECK(NAME, pipe_close(end) == 0);
}

static _Noreturn void stdio(uint32_t end)
{
    printf("pipe-writer: stdio: %d checks, %d failed before writing to stdout=pipe\n", checks,
           failures);
    stdio_redirect(stdout, "pipe", end);
    for (int i = 0; i < STDIO_LINES; i++) {
        if (i % 4 == 0) {
            char line[32];
            snprintf(line, sizeof(line), "line %d", i);
            puts(line);
        } else if (i % 4 == 1) {
            printf("line %d\n", i);
        } else if (i % 4 == 2) {
            fprintf(stdout, "line %d", i);
            putchar('\n');
        } else {
            char line[32];
            snprintf(line, sizeof(line), "line %d\n", i);
            fputs(line, stdout);
        }
    }
    fprintf(stderr, "to stderr\n");
    static uint8_t binary[STDIO_BINARY];
    for (int i = 0; i < STDIO_BINARY; i++)
        binary[i] = pattern_byte((uint64_t)i);
    fwrite(binary, 1, sizeof(binary), stdout);
    exit(0); /* flushes stdout and closes the pipe end */
}

int main(void)
{
    for (;;) {
        uint32_t end;
        long scenario = scenario_receive(&end);
        if (scenario == SCENARIO_BULK)
            bulk(end);
        else if (scenario == SCENARIO_CLOSED)
            closed(end);
        else if (scenario == SCENARIO_STDIO)
            stdio(end);
        else
            break;
    }
    printf("pipe-writer: no more scenarios\n");
    return 1;
}
