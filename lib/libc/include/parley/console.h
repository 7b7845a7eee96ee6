/*
 * The console client: what programs call to use a terminal on one of the
 * console server's virtual consoles (protocol in <parley/proto/console.h>).
 *
 * `console` is a send handle to the console server, minted by init with
 * the badge of the virtual console it stands for. Every function returns
 * a negative error code from <parley/errors.h> on failure: the kernel's
 * (-E_CLOSED if the server is gone, -E_BADHANDLE...) or the server's.
 */
#ifndef PARLEY_CONSOLE_H
#define PARLEY_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include <parley/proto/console.h>
#include <parley/proto/input.h>

/* One key press, as CONSOLE_READ_KEY reports it (see input.h). */
struct console_key {
    uint32_t key;  /* a character code, or KEY_* */
    uint32_t mods; /* MOD_* held */
    uint32_t ch;   /* the character it types with those modifiers, or 0 */
};

struct console_info {
    uint32_t cols, rows;
    uint32_t number; /* which virtual console, 1-based */
};

/*
 * Writes len bytes (text with the ANSI subset of docs/protocols.md);
 * returns len. Short text travels in the message, longer text in memory
 * regions of up to 64 KiB each.
 */
long console_write(uint32_t console, const void *buf, size_t len);

/* printf to the console; returns the bytes written. */
int console_printf(uint32_t console, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/*
 * Reads one line typed on the console, edited there (Backspace, Delete,
 * Left/Right, Home/End, Ctrl-U), echoed unless flags has CONSOLE_NO_ECHO.
 * Stores up to size - 1 characters and a NUL in buf (the console stops
 * taking characters at that length) and returns the length, without the
 * newline. Returns -E_INTR when Ctrl-C was pressed, and -E_CLOSED at the
 * end of input: Ctrl-D on an empty line, or the console server gone.
 * -E_BUSY if another read is already waiting on this console.
 */
long console_read_line(uint32_t console, char *buf, size_t size, unsigned flags);

/* Waits for one key press on the console and stores it in *key; returns 0. */
long console_read_key(uint32_t console, struct console_key *key);

/* The console's size and number; returns 0. */
long console_info(uint32_t console, struct console_info *info);

#endif
