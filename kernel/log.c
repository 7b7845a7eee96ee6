/*
 * Kernel log formatting. Each line gets the time since boot, from the
 * TSC, and a level word, so the serial log reads like a transcript.
 */
#include "log.h"

#include <stdarg.h>

#include "arch/serial.h"
#include "arch/tsc.h"
#include "arch/vga.h"
#include "common/format.h"

static const char *const level_names[] = {"debug", "info", "warn", "error", "panic"};
static enum log_level screen_level = LOG_INFO;

void log_set_screen_level(enum log_level level)
{
    screen_level = level;
}

static void log_emit(enum log_level level, const char *text, int length)
{
    serial_write(text, (size_t)length);
    if (level >= screen_level)
        vga_write(text, (size_t)length, level >= LOG_WARN ? 0x0E : VGA_NORMAL);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
    char line[512];
    uint64_t us = tsc_micros_since_boot();
    int n = ksnprintf(line, sizeof(line), "[%5lu.%06lu] %-5s ", us / 1000000, us % 1000000,
                      level_names[level]);
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    va_list ap;
    va_start(ap, fmt);
    n += kvsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    line[n] = '\0';
    log_emit(level, line, n);
}

void log_raw(const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    size_t n = kvformat(text, sizeof(text), fmt, ap);
    va_end(ap);
    serial_write(text, n);
}
