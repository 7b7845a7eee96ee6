/*
 * The 16550 UART at COM1 (I/O port 0x3F8), polled.
 *
 * Polling keeps the log usable from any context, including exception
 * handlers and panics with interrupts off. 115200 baud, 8 data bits,
 * no parity, one stop bit. If no UART answers the loopback check the
 * log is silently dropped rather than hanging the boot.
 */
#include "arch/serial.h"

#include <stdbool.h>

#include "arch/cpu.h"

#define COM1 0x3F8
#define UART_DATA 0
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control; bit 7 selects the divisor latch */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define LSR_THR_EMPTY 0x20

static bool serial_present;

void serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80); /* divisor latch on */
    outb(COM1 + UART_DATA, 1);   /* 115200 / 1 */
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, 0x03); /* 8N1, latch off */
    outb(COM1 + UART_FCR, 0xC7); /* FIFOs on, cleared, 14-byte threshold */
    outb(COM1 + UART_MCR, 0x1E); /* loopback mode for the self-check */
    outb(COM1 + UART_DATA, 0xAE);
    serial_present = inb(COM1 + UART_DATA) == 0xAE;
    outb(COM1 + UART_MCR, 0x0F); /* normal operation, DTR/RTS/OUT1/OUT2 */
}

static void serial_put(char c)
{
    for (int spins = 0; spins < 100000; spins++) {
        if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
            break;
        cpu_pause();
    }
    outb(COM1 + UART_DATA, (uint8_t)c);
}

void serial_write(const char *text, size_t length)
{
    if (!serial_present)
        return;
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\n')
            serial_put('\r');
        serial_put(text[i]);
    }
}
