/*
 * hostctl: the host's control line, on the second serial port (COM2).
 *
 * Handles, in the order init grants them (etc/services):
 *   1  ports 0x2F8-0x2FF, the 16550 UART of COM2
 *   2  the trace capability (SYS_TRACE_SET)
 *
 * tools/web's bridge is the only thing connected to COM2: QEMU joins the
 * port to a unix socket in the bridge's private directory, and nothing in
 * the guest but this process has the ports. So the page's "trace on"
 * button can switch the kernel's IPC trace without any guest user being
 * able to, and the statistics panel gets the guest's own figures. Lines
 * from the host, each ended by '\n':
 *
 *   trace on     switch the IPC trace on for every process; "ok trace on"
 *   trace off    switch it off; "ok trace off"
 *   stats        the report of report.c: sys, proc..., end
 *   ping         "pong" (the bridge's check that the line works)
 *
 * Anything else gets "error unknown command"; an overlong line is thrown
 * away up to its end and gets "error line too long". The process polls
 * the UART every POLL_NS instead of taking its interrupt: the interrupt
 * would show up in the very IPC trace it controls (a notify per command),
 * a few polls a second cost nothing, and it needs no IRQ capability. A
 * machine without COM2 (the tests' QEMU has one serial port) reads 0xFF
 * from every register; hostctl then says so and waits for ever, so it
 * neither spins nor ends (init's services never end).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <parley/portio.h>

#include "report.h"

#define HANDLE_PORTS 1
#define HANDLE_TRACE 2

#define COM2 0x2F8
#define UART_DATA 0    /* receive buffer / transmit holding register */
#define UART_IER 1     /* interrupt enable: 0, we poll */
#define UART_FCR 2     /* FIFO control */
#define UART_LCR 3     /* line control: 8N1, divisor latch */
#define UART_MCR 4     /* modem control: DTR and RTS */
#define UART_LSR 5     /* line status */
#define UART_SCRATCH 7 /* a byte of scratch: tells a UART from nothing */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

#define POLL_NS 20000000ull /* 50 polls a second: a command waits at most 20 ms */
#define WRITE_SPINS 100000  /* status reads before dropping a byte nobody takes */
#define COMMAND_MAX 64

/* True if a 16550 answers at COM2: its scratch register keeps what we write. */
static bool uart_present(void)
{
    outb(COM2 + UART_SCRATCH, 0x5A);
    if (inb(COM2 + UART_SCRATCH) != 0x5A)
        return false;
    outb(COM2 + UART_SCRATCH, 0xA5);
    return inb(COM2 + UART_SCRATCH) == 0xA5;
}

static void uart_init(void)
{
    outb(COM2 + UART_IER, 0x00);
    outb(COM2 + UART_LCR, 0x80); /* divisor latch on */
    outb(COM2 + UART_DATA, 1);   /* 115200 / 1 */
    outb(COM2 + UART_IER, 0);
    outb(COM2 + UART_LCR, 0x03); /* 8N1, latch off */
    outb(COM2 + UART_FCR, 0xC7); /* FIFOs on, cleared, 14-byte threshold */
    outb(COM2 + UART_MCR, 0x03); /* DTR, RTS; OUT2 off: no interrupts */
}

static void uart_put(uint8_t byte)
{
    for (int i = 0; i < WRITE_SPINS; i++) {
        if (inb(COM2 + UART_LSR) & LSR_THR_EMPTY) {
            outb(COM2 + UART_DATA, byte);
            return;
        }
    }
}

static void line_send(const char *line, size_t length)
{
    for (size_t i = 0; i < length; i++)
        uart_put((uint8_t)line[i]);
    uart_put('\n');
}

static void say(const char *text)
{
    line_send(text, strlen(text));
}

static void trace_switch(bool on)
{
    long err = trace_set(HANDLE_TRACE, 0, on);
    if (err < 0) {
        char line[80];
        int n = snprintf(line, sizeof(line), "error trace %s", error_string((int)err));
        line_send(line, (size_t)n);
        return;
    }
    printf("hostctl: IPC trace switched %s by the host\n", on ? "on" : "off");
    say(on ? "ok trace on" : "ok trace off");
}

static void command_run(const char *command)
{
    if (strcmp(command, "trace on") == 0)
        trace_switch(true);
    else if (strcmp(command, "trace off") == 0)
        trace_switch(false);
    else if (strcmp(command, "stats") == 0)
        report_write(line_send);
    else if (strcmp(command, "ping") == 0)
        say("pong");
    else if (command[0] != '\0')
        say("error unknown command");
}

/* Reads what the UART holds, running each complete line. */
static void uart_poll(void)
{
    static char command[COMMAND_MAX];
    static size_t length;
    static bool overlong;
    while (inb(COM2 + UART_LSR) & LSR_DATA_READY) {
        char c = (char)inb(COM2 + UART_DATA);
        if (c == '\r')
            continue;
        if (c != '\n') {
            if (length + 1 < sizeof(command))
                command[length++] = c;
            else
                overlong = true;
            continue;
        }
        command[length] = '\0';
        if (overlong)
            say("error line too long");
        else
            command_run(command);
        length = 0;
        overlong = false;
    }
}

int main(void)
{
    long err = sys_ioport_enable(HANDLE_PORTS);
    if (err < 0) {
        printf("hostctl: cannot use the COM2 ports: %s\n", error_string((int)err));
        return 1;
    }
    if (!uart_present()) {
        printf("hostctl: no UART at COM2; no host control line\n");
        for (;;)
            sys_sleep(3600ull * 1000000000ull);
    }
    uart_init();
    printf("hostctl: ready on COM2\n");
    say("hello hostctl");
    for (;;) {
        uart_poll();
        sys_sleep(POLL_NS);
    }
}
