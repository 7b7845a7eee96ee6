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
 *   sleep     waits two seconds before the next read (keys typed meanwhile
 *             must wait in the console's queue, not get lost)
 *   busy      a second thread reads the next line; a read from the main
 *             thread meanwhile must get -E_BUSY
 * Ctrl-C at the prompt shows `(interrupted)`; Ctrl-D ends it like quit.
 *
 * At the start it also sends the console malformed requests, each of
 * which must be refused with the right error, and logs
 * `termtest: protocol checks passed` (or what failed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/input.h>
#include <parley/sys.h>

#define CONSOLE 1
#define THREAD_STACK (64 * 1024)

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

static int check_failures;

/* Sends a raw request; the console must answer with status `want`. */
static void expect(const char *what, uint64_t tag, uint64_t w0, uint64_t w1,
                   struct ipc_extra *extra, long want)
{
    struct ipc_msg req = {.tag = tag, .w = {w0, w1}};
    struct ipc_msg reply;
    long got = ipc_request(CONSOLE, &req, &reply, IPC_FOREVER, extra);
    if (got != want) {
        check_failures++;
        printf("termtest: protocol check '%s' got %ld, wanted %ld\n", what, got, want);
    }
}

/* Requests a well-behaved client never sends; none may harm the console. */
static void protocol_checks(void)
{
    expect("write without its region", CONSOLE_WRITE, 1000, 0, NULL, -E_INVAL);
    expect("absurd write length", CONSOLE_WRITE, 1ull << 40, 0, NULL, -E_RANGE);
    long addr = sys_vm_reserve(4096, VM_READ | VM_WRITE);
    struct ipc_extra extra = {.send_mem = (uint64_t)addr, .send_mem_length = 4096};
    expect("region shorter than length", CONSOLE_WRITE, 5000, 0, &extra, -E_INVAL);
    expect("unknown tag", PARLEY_TAG(PROTO_CONSOLE, 99), 0, 0, NULL, -E_NOSYS);
    expect("key from a client", INPUT_KEY, 'x', 0, NULL, -E_PERM);
    expect("zero-length line", CONSOLE_READ_LINE, 0, 0, NULL, -E_INVAL);
    expect("over-long line", CONSOLE_READ_LINE, 0, CONSOLE_LINE_MAX + 1, NULL, -E_INVAL);
    expect("unknown read flags", CONSOLE_READ_LINE, 0x80, 10, NULL, -E_INVAL);
    expect("empty write", CONSOLE_WRITE, 0, 0, NULL, 0);
    if (check_failures == 0)
        printf("termtest: protocol checks passed\n");
}

static volatile int thread_done;

static void reader_thread(void *arg)
{
    (void)arg;
    static char other[128];
    long n = console_read_line(CONSOLE, other, sizeof(other), 0);
    printf("termtest: thread read %ld: %s\n", n, n >= 0 ? other : "");
    thread_done = 1;
    sys_thread_exit();
}

/* One reader waits on the console (a thread); a second one must be turned away. */
static void second_reader(void)
{
    char *stack = malloc(THREAD_STACK);
    if (stack == NULL)
        return;
    thread_done = 0;
    console_printf(CONSOLE, "thread> ");
    if (sys_thread_create(reader_thread, stack + THREAD_STACK, NULL) < 0)
        return;
    sys_sleep(200000000ull); /* until the thread's read waits */
    char buf[8];
    long err = console_read_line(CONSOLE, buf, sizeof(buf), 0);
    printf("termtest: second reader: %s\n", err < 0 ? strerror((int)err) : "got a line");
    while (!thread_done)
        sys_sleep(10000000ull);
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
    protocol_checks();

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
        } else if (strcmp(line, "sleep") == 0) {
            console_printf(CONSOLE, "sleeping\n");
            sys_sleep(2000000000ull);
            printf("termtest: awake\n");
        } else if (strcmp(line, "busy") == 0) {
            second_reader();
        } else {
            console_printf(CONSOLE, "you typed: %s\n", line);
        }
    }
    console_printf(CONSOLE, "termtest: bye\n");
    printf("termtest: got %d lines\n", lines);
    return 0;
}
