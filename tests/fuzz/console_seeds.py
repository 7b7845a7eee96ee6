#!/usr/bin/env python3
"""Write the seed corpus for console_requests_fuzz: scripts of console requests and keys.

    console_seeds.py OUTPUT_DIR

Each seed is a script in the record format console_requests_fuzz.c
describes at its top: text written with escape sequences and a line read
and typed with editing keys; a key read waiting and keys typed ahead;
Ctrl-C sent to an interrupt endpoint, which is then replaced and
removed; consoles switched and scrolled back; and a reader that dies
while it waits. They are written here rather than committed because
they are binary.
"""

import os
import struct
import sys

WRITE, READ_LINE, READ_KEY, INFO, SET_INTERRUPT = range(5)

# Indexes into fuzz_keys and fuzz_texts in console_requests_fuzz.c.
KEY_A, KEY_Z, ENTER, BACKSPACE, CTRL_C, CTRL_D = 0, 1, 3, 4, 7, 8
LEFT, HOME, F2, PAGE_UP = 12, 14, 19, 24
HELLO, COLOURS, CURSOR_FAR, LONG = 0, 3, 6, 14
MOD_SHIFT, MOD_ALT = 1, 4


def request(tag, console, w0=0, w1=0, text=None, handles=None):
    """A request from a client of virtual console `console` (1-4)."""
    op = (0x40 if text is not None else 0) | (0x10 if handles is not None else 0)
    out = bytes([op, tag, console << 2]) + struct.pack("<H", w0)
    if text is not None:
        out += bytes([text])
    else:
        out += struct.pack("<H", w1)
    if handles is not None:
        out += bytes([handles])
    return out


def key(pick, mods=0):
    return bytes([10, pick, mods])


def waiter_dies(index):
    return bytes([13, index])


def write(directory, name, *records):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(b"".join(records))


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    write(directory, "line",
          request(WRITE, 1, text=COLOURS), request(WRITE, 1, text=LONG),
          request(READ_LINE, 1, 0, 80), key(KEY_A), key(KEY_Z), key(LEFT), key(BACKSPACE),
          request(WRITE, 1, text=HELLO), key(HOME), key(KEY_A), key(ENTER),
          request(READ_LINE, 1, 1, 2), key(KEY_A), key(KEY_Z), key(KEY_A), key(ENTER),
          request(READ_LINE, 1, 0, 80), key(CTRL_D), request(INFO, 1))
    write(directory, "keys",
          request(READ_KEY, 1), key(KEY_A), key(KEY_Z), key(ENTER),
          request(READ_KEY, 1), request(READ_LINE, 1, 0, 30), request(READ_KEY, 1),
          key(KEY_A), request(READ_KEY, 2))
    write(directory, "interrupt",
          request(SET_INTERRUPT, 1, handles=1), key(CTRL_C), bytes([0]),
          key(CTRL_C), bytes([6]), request(SET_INTERRUPT, 1, handles=1),
          key(CTRL_C), bytes([7]), request(SET_INTERRUPT, 1, handles=1),
          request(SET_INTERRUPT, 1, handles=0), request(READ_LINE, 1, 0, 10), key(CTRL_C))
    write(directory, "switch",
          request(WRITE, 2, text=LONG), request(WRITE, 2, text=CURSOR_FAR),
          request(READ_LINE, 2, 0, 100), key(F2, MOD_ALT), key(KEY_A),
          key(PAGE_UP, MOD_SHIFT), request(WRITE, 2, text=LONG), key(PAGE_UP, MOD_SHIFT),
          key(ENTER), key(F2 - 1, MOD_ALT))
    write(directory, "dead",
          request(READ_LINE, 1, 0, 10), waiter_dies(0), request(READ_KEY, 1),
          waiter_dies(0), key(KEY_A), request(READ_KEY, 1))


if __name__ == "__main__":
    main()
