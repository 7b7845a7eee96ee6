/*
 * welcome: what a person finds on a virtual console until login and the
 * shell exist. It says what Parley is running, answers a few commands
 * and otherwise echoes lines back, so the console's line editing can be
 * tried. Handles: 1 = its console (use:console#N).
 */
#include <parley/console.h>
#include <parley/errors.h>
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdio.h>
#include <string.h>

#define CONSOLE 1

static void help(void)
{
    console_printf(CONSOLE, "Commands: help, uptime, free, whoami. Anything else is echoed.\n"
                            "Alt+F1..F4 switch consoles; Shift+PgUp/PgDn scroll back.\n");
}

static void run(const char *line)
{
    struct sysinfo info;
    if (strcmp(line, "help") == 0) {
        help();
    } else if (strcmp(line, "uptime") == 0) {
        sys_sysinfo(&info);
        console_printf(CONSOLE, "up %lu.%03lu s, %lu processes\n",
                       (unsigned long)(info.uptime_ns / 1000000000ull),
                       (unsigned long)(info.uptime_ns / 1000000ull % 1000),
                       (unsigned long)info.processes);
    } else if (strcmp(line, "free") == 0) {
        sys_sysinfo(&info);
        console_printf(CONSOLE, "memory: %lu KiB total, %lu KiB free\n",
                       (unsigned long)info.frames_total * 4, (unsigned long)info.frames_free * 4);
    } else if (strcmp(line, "whoami") == 0) {
        console_printf(CONSOLE, "nobody yet: login is not built\n");
    } else if (line[0] != '\0') {
        console_printf(CONSOLE, "%s\n", line);
    }
}

int main(void)
{
    struct console_info info;
    if (console_info(CONSOLE, &info) < 0) {
        printf("welcome: no console\n");
        return 1;
    }
    console_printf(CONSOLE,
                   "\nWelcome to Parley on console %u. Login and the shell come next;\n"
                   "for now this console echoes what you type.\n",
                   info.number);
    help();
    static char line[CONSOLE_LINE_MAX];
    for (;;) {
        console_printf(CONSOLE, "parley> ");
        long n = console_read_line(CONSOLE, line, sizeof(line), 0);
        if (n == -E_INTR)
            continue;
        if (n < 0) {
            console_printf(CONSOLE, "bye\n");
            return 0;
        }
        run(line);
    }
}
