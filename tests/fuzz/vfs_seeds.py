#!/usr/bin/env python3
"""Write the seed corpus for vfs_requests_fuzz: scripts of namespace requests.

    vfs_seeds.py OUTPUT_DIR

Each seed is a script in the format vfs_requests_fuzz.c describes at its
top: a setup byte, then records, each followed by the file server's
answers to the calls the vfs makes for it. The seeds derive a namespace
and use it (open, stat, readdir, mkdir, rename, close); make a session,
a namespace derived from it and more after the session is closed, until
the session is full; list
the synthetic directory above two mounts; and do it all without the
TCP/IP server's handle 4. They are written here rather than committed
because they are binary.
"""

import os
import struct
import sys

OPEN, STAT, READDIR, MKDIR, UNLINK, RMDIR, RENAME, DERIVE, CLOSE, CLOSED_BY_CLIENT = range(10)
ROOT, MINTED = 0, 1

# Indexes into fuzz_texts in vfs_requests_fuzz.c.
SLASH, NET, A, A_B, HOME_ALICE = 0, 1, 2, 3, 5
ROOT_RW, A_RW, NET_RW, A_AND_A_B = 10, 12, 14, 19

NS_SESSION_MAX = 32  # as in <parley/proto/ns.h>
OK = bytes([0])  # a file server's answer: success
STAT_OK = OK + bytes(10)  # FS_STAT's: success, a size (2 bytes) and a stat word (8)


def request(tag, badge=ROOT, pick=0, text=None, second=None, join="\n", flags=0, mode=0o755):
    """One request record; `pick` chooses among the badges minted so far."""
    op = 0x40 if text is not None else 0
    out = bytes([op, tag, badge << 2])
    if badge == MINTED:
        out += bytes([pick])
    out += struct.pack("<H", mode) + bytes([flags])
    if text is not None:
        if second is None:
            out += bytes([text])
        else:
            out += bytes([text | (0x40 if join == "\n" else 0x80), second])
    return out


def kernel_closed(pick):
    return bytes([14, pick])


def write(directory, name, setup, *records):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(bytes([setup]) + b"".join(records))


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    write(directory, "derive", 1,
          request(DERIVE, text=ROOT_RW), OK,
          request(OPEN, MINTED, 0, A_B, flags=1), OK,
          request(STAT, MINTED, 0, SLASH), OK, STAT_OK, OK,
          request(READDIR, MINTED, 0, A), OK, OK, bytes([30, 1]), OK,
          request(MKDIR, MINTED, 0, A), OK,
          request(RENAME, MINTED, 0, A, A_B, join="\0"), OK,
          request(UNLINK, MINTED, 0, A_B), OK,
          request(CLOSE, MINTED, 0), OK)
    write(directory, "session", 1,
          request(DERIVE, text=ROOT_RW), OK,
          request(DERIVE, MINTED, 0, A_RW), OK,
          request(CLOSE, MINTED, 0), OK,
          request(DERIVE, MINTED, 1, A_RW), OK,
          request(DERIVE, MINTED, 2, A_RW), OK,
          kernel_closed(1), OK,
          request(DERIVE, MINTED, 2, A_RW), OK)
    write(directory, "synthetic", 1,
          request(DERIVE, text=A_RW, second=NET_RW), OK, OK,
          request(STAT, MINTED, 0, SLASH),
          request(READDIR, MINTED, 0, SLASH),
          request(READDIR, MINTED, 0, SLASH, flags=1),
          request(DERIVE, ROOT, 0, A_AND_A_B), OK, OK,
          request(STAT, ROOT, 0, NET), OK, STAT_OK, OK)
    write(directory, "nonet", 0,
          request(DERIVE, text=ROOT_RW), OK,
          request(DERIVE, MINTED, 0, A_RW), OK,
          request(OPEN, MINTED, 1, A_B, flags=3), OK,
          request(CLOSE, MINTED, 1), OK,
          request(CLOSE, MINTED, 0), OK)
    # A closed session whose member derives until the session is full.
    full = [request(DERIVE, MINTED, 1, A_RW) + OK for _ in range(NS_SESSION_MAX)]
    write(directory, "quota", 1,
          request(DERIVE, text=ROOT_RW), OK,
          request(DERIVE, MINTED, 0, A_RW), OK,
          request(CLOSE, MINTED, 0), OK, *full)


if __name__ == "__main__":
    main()
