/*
 * termtest: a small interactive program on a virtual console, for
 * tests/qemu/test_console.py. Handle 1 is its console (a badged send
 * handle to the console server).
 *
 * It prints the prompt `termtest> `, reads a line and answers
 * `you typed: <line>`, logging each line as `termtest: line N (L): <line>`.
 * A few lines are commands that exercise the console further:
 *   quit      ends it; it logs `termtest: got N lines`
 *   secret    the next line is read without echo (a password); only its
 *             length is shown, the log gets the text
 *   lines N   writes N numbered lines in one write (a region), for scrolling
 *   ansi      writes colours, cursor movement and unknown sequences
 *   key       reads one raw key press and shows it
 * Ctrl-C at the prompt shows `(interrupted)`; Ctrl-D ends it like quit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>

#define CONSOLE 1

static char line[CONSOLE_LINE_MAX + 1];

/* Writes `count` numbered lines with one console_write. */
static void many_lines(long count)
{
    if (count <= 0 || count > 10000)
        count = 100;
    size_t size = (size_t)count * 32;
    char *text = malloc(size);
    if (text == NULL)
        return;
    size_t used = 0;
    for (long i = 1; i <= count; i++)
        used += (size_t)snprintf(text + used, size - used, "numbered line %ld of %ld\n", i, count);
    long n = console_write(CONSOLE, text, used);
    printf("termtest: wrote %ld lines (%zu bytes): %ld\n", count, used, n);
    free(text);
}

static void ansi_demo(void)
{
    console_printf(CONSOLE, "\033[31mred\033[0m \033[1;32mbold-green\033[0m "
                            "\033[44mon-blue\033[0m \033[93mbright-yellow\033[0m\n");
    /* Unknown and private sequences must vanish, not print. */
    console_printf(CONSOLE,
                   "ansi[\033[?25l\033[5q\033[>1;2c\033)0\033[99;99;99;99;99;99;99;99;99;99Z]ok\n");
    console_printf(CONSOLE, "abcdef\033[3D\033[KXY\n");
}

static void read_key(void)
{
    struct console_key key;
    console_printf(CONSOLE, "press a key: ");
    long err = console_read_key(CONSOLE, &key);
    if (err < 0) {
        console_printf(CONSOLE, "read_key failed: %s\n", strerror((int)err));
        return;
    }
    console_printf(CONSOLE, "key 0x%x mods 0x%x char 0x%x\n", key.key, key.mods, key.ch);
    printf("termtest: key 0x%x mods 0x%x char 0x%x\n", key.key, key.mods, key.ch);
}

int main(void)
{
    struct console_info info;
    long err = console_info(CONSOLE, &info);
    if (err < 0) {
        printf("termtest: console_info failed: %s\n", strerror((int)err));
        return 1;
    }
    printf("termtest: on console %u (%ux%u)\n", info.number, info.cols, info.rows);

    int lines = 0;
    int secret = 0;
    for (;;) {
        console_printf(CONSOLE, secret ? "password: " : "termtest> ");
        long n = console_read_line(CONSOLE, line, sizeof(line), secret ? CONSOLE_NO_ECHO : 0);
        if (n == -E_INTR) {
            console_printf(CONSOLE, "(interrupted)\n");
            printf("termtest: interrupted\n");
            continue;
        }
        if (n == -E_CLOSED) {
            printf("termtest: end of input\n");
            break;
        }
        if (n < 0) {
            printf("termtest: read failed: %s\n", strerror((int)n));
            break;
        }
        lines++;
        printf("termtest: line %d (%ld): %s\n", lines, n, line);
        if (secret) {
            secret = 0;
            console_printf(CONSOLE, "secret accepted (%ld characters)\n", n);
        } else if (strcmp(line, "quit") == 0) {
            break;
        } else if (strcmp(line, "secret") == 0) {
            secret = 1;
        } else if (strncmp(line, "lines ", 6) == 0) {
            many_lines(strtol(line + 6, NULL, 10));
        } else if (strcmp(line, "ansi") == 0) {
            ansi_demo();
        } else if (strcmp(line, "key") == 0) {
            read_key();
        } else {
            console_printf(CONSOLE, "you typed: %s\n", line);
        }
    }
    console_printf(CONSOLE, "termtest: bye\n");
    printf("termtest: got %d lines\n", lines);
    return 0;
}
