/*
 * readleak: exit while a thread waits in console_read_line
 * (docs/security.md, "Servers"; tests/qemu/test_peer_closed.py).
 *
 * A second thread asks the console for a line; once it has waited a
 * while, the program ends. The console server still holds that read's
 * saved reply, whose caller is gone (SYS_HANDLE_INFO says -E_CLOSED):
 * it must drop it when the shell reads next. Before, the shell's read
 * got -E_BUSY and the shell logged out. Prints
 * "readleak: a thread waits for a line; exiting".
 */
#include <stdio.h>
#include <stdlib.h>

#include <parley/console.h>
#include <parley/sys.h>

#define HANDLE_CONSOLE 1
#define STACK_SIZE (16 * 1024)
#define WAIT_NS 200000000ull /* long enough for the read to reach the console */

static volatile int started;

static void reader(void *arg)
{
    (void)arg;
    static char line[64];
    started = 1;
    long n = console_read_line(HANDLE_CONSOLE, line, sizeof(line), 0);
    printf("readleak: the read came back (%ld): it should have waited\n", n);
    sys_thread_exit();
}

int main(void)
{
    void *stack = malloc(STACK_SIZE);
    if (stack == NULL || sys_thread_create(reader, (char *)stack + STACK_SIZE, NULL) < 0) {
        printf("readleak: cannot start the reader thread\n");
        return 1;
    }
    while (!started)
        sys_yield();
    sys_sleep(WAIT_NS);
    printf("readleak: a thread waits for a line; exiting\n");
    fflush(stdout);
    sys_exit(0);
}
