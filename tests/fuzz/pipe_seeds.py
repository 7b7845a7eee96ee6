#!/usr/bin/env python3
"""Write the seed corpus for pipe_requests_fuzz: scripts of pipe requests.

    pipe_seeds.py OUTPUT_DIR

Each seed is a script in the record format pipe_requests_fuzz.c describes
at its top: a pipe made, written, read, duplicated and closed; readers
and writers kept waiting (one of them dying), with a write large enough
to need a region and to fill the ring; and a session whose pipes count
against it, closed by the kernel while its pipes live. They are written
here rather than committed because they are binary.
"""

import os
import struct
import sys

CREATE, READ, WRITE, CLOSE, DUP, STAT, SESSION, CLOSED_BY_CLIENT = range(8)
NONE, MAKER, MINTED = 0, 1, 2


RANDOM_TAG = 8


def request(tag, pid, badge, pick=0, w0=0, text=None, pages=0, handles=0, raw_tag=0):
    """One request record; `pick` chooses among the badges minted so far."""
    wide = w0 > 0xFFFF
    op = (0x80 if wide else 0) | (0x40 if text is not None else 0)
    op |= (0x20 if pages else 0) | (0x10 if handles else 0)
    out = bytes([op, tag])
    if tag == RANDOM_TAG:
        out += struct.pack("<Q", raw_tag)
    out += bytes([(pid - 1) | badge << 2])
    if badge == MINTED:
        out += bytes([pick])
    out += struct.pack("<I" if wide else "<H", w0)
    if text is not None:
        out += text.ljust(24, b"\0")[:24]
    if pages:
        out += struct.pack("<H", pages - 1)
    if handles:
        out += bytes([handles])
    return out


def waiter_dies(index):
    return bytes([12, index])


def kernel_closed(pick):
    return bytes([14, pick])


# After a PIPE_CREATE through no badge, minted badge 0 is the read end and 1 the write end.
basic = b"".join([
    request(CREATE, 1, NONE),
    request(WRITE, 1, MINTED, 1, 5, b"hello"),
    request(STAT, 1, MINTED, 0),
    request(READ, 2, MINTED, 0, 100),
    request(DUP, 1, MINTED, 1),
    request(CLOSE, 1, MINTED, 1),
    request(READ, 2, MINTED, 0, 100),
    request(CLOSE, 1, MINTED, 2),
    request(READ, 2, MINTED, 0, 100),
])

waiting = b"".join([
    request(CREATE, 1, MAKER),
    request(READ, 2, MINTED, 0, 16),
    request(READ, 3, MINTED, 0, 16),
    request(WRITE, 1, MINTED, 1, 10, b"0123456789"),
    waiter_dies(0),
    request(WRITE, 1, MINTED, 1, 70000, pages=18, handles=2),
    request(WRITE, 4, MINTED, 1, 3, b"abc"),
    request(READ, 2, MINTED, 0, 65536),
    request(READ, 2, MINTED, 0, 8000),
    kernel_closed(0),
])

# Badge 0 is the session's, 1 and 2 the ends of its pipe.
session = b"".join([
    request(SESSION, 1, NONE),
    request(CREATE, 2, MINTED, 0),
    request(SESSION, 2, MINTED, 0),
    request(CREATE, 2, MINTED, 1),
    kernel_closed(0),
    request(CREATE, 2, MINTED, 0),
    request(DUP, 2, MINTED, 2),
    request(CLOSED_BY_CLIENT, 3, MINTED, 1),
    request(RANDOM_TAG, 3, NONE, raw_tag=0x1234),
])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in (("basic", basic), ("waiting", waiting), ("session", session)):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
