/*
 * pipe-reader: the reading half of the pipe test (pipe_test.h). For each
 * scenario pipetest sends it a read end:
 *   bulk    reads in odd sizes until end of file and checks every byte of
 *           the 1 MiB against pattern_byte, and that end of file stays
 *   closed  reads the 10 bytes the writer sends first, then closes the
 *           end (the writer must get -E_CLOSED)
 *   stdio   makes the end its stdin and reads the writer's output with
 *           fgets, getchar and fread, up to end of file (feof)
 * It reports on the log with printf, its stdout being the log.
 */
#include <stdlib.h>
#include <string.h>

#include <parley/sys.h>

#include "pipe_test.h"

#define NAME "pipe-reader"

static void bulk(uint32_t end)
{
    static const size_t sizes[] = {1, 24, 1000, 65536, 200000, 25, 4097};
    static uint8_t buf[200000];
    uint64_t total = 0, wrong = 0, start = time_now_ns();
    long n = 0;
    for (int k = 0;; k++) {
        n = pipe_read(end, buf, sizes[k % (sizeof(sizes) / sizeof(sizes[0]))]);
        if (n <= 0)
            break;
        for (long i = 0; i < n; i++)
            wrong += buf[i] != pattern_byte(total + (uint64_t)i);
        total += (uint64_t)n;
    }
    uint64_t us = (time_now_ns() - start) / 1000;
    CHECK(NAME, n == 0);
    CHECK(NAME, total == BULK_BYTES);
    CHECK(NAME, wrong == 0);
    CHECK(NAME, pipe_read(end, buf, 10) == 0);
    CHECK(NAME, pipe_close(end) == 0);
    printf("pipe-reader: bulk: %lu bytes, %lu wrong, then end of file (%lu us)\n",
           (unsigned long)total, (unsigned long)wrong, (unsigned long)us);
}

static void closed(uint32_t end)
{
    char buf[10];
    size_t got = 0;
    while (got < sizeof(buf)) {
        long n = pipe_read(end, buf + got, sizeof(buf) - got);
        if (!CHECK(NAME, n > 0))
            break;
        got += (size_t)n;
    }
    CHECK(NAME, got == 10 && memcmp(buf, "0123456789", 10) == 0);
    CHECK(NAME, pipe_close(end) == 0);
    printf("pipe-reader: closed: read %zu bytes and closed\n", got);
}

static void stdio(uint32_t end)
{
    CHECK(NAME, stdio_redirect(stdin, "pipe", end) == 0);
    char line[64], want[64];
    int lines = 0;
    for (int i = 0; i < STDIO_LINES; i++) {
        snprintf(want, sizeof(want), "line %d\n", i);
        if (!CHECK(NAME, fgets(line, sizeof(line), stdin) != NULL && strcmp(line, want) == 0))
            break;
        lines++;
    }
    CHECK(NAME, fgets(line, sizeof(line), stdin) != NULL && strcmp(line, "to stderr\n") == 0);
    static uint8_t binary[STDIO_BINARY];
    int i = 0;
    for (; i < 5; i++) {
        int c = getchar();
        binary[i] = (uint8_t)c;
        CHECK(NAME, c != EOF);
    }
    size_t rest = fread(binary + i, 1, sizeof(binary) - (size_t)i, stdin);
    CHECK(NAME, rest == sizeof(binary) - (size_t)i);
    int wrong = 0;
    for (int k = 0; k < STDIO_BINARY; k++)
        wrong += binary[k] != pattern_byte((uint64_t)k);
    CHECK(NAME, wrong == 0);
    CHECK(NAME, !feof(stdin));
    CHECK(NAME, getchar() == EOF && feof(stdin) && !ferror(stdin));
    CHECK(NAME, fgets(line, sizeof(line), stdin) == NULL);
    printf("pipe-reader: stdio: %d lines, %zu binary bytes, %d wrong, then end of file\n", lines,
           rest + (size_t)i, wrong);
}

int main(void)
{
    for (long scenario = SCENARIO_BULK; scenario <= SCENARIO_STDIO; scenario++) {
        uint32_t end;
        long got = scenario_receive(&end);
        if (!CHECK(NAME, got == scenario))
            break;
        if (scenario == SCENARIO_BULK)
            bulk(end);
        else if (scenario == SCENARIO_CLOSED)
            closed(end);
        else
            stdio(end);
    }
    printf("pipe-reader: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
