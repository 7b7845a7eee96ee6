#!/usr/bin/env python3
"""Write the seed corpus for elf_fuzz: a few small ELF64 executables.

    elf_seeds.py OUTPUT_DIR

Seeds that elf_parse() accepts (and a couple it refuses for one reason
only) give the fuzzer a running start: mutating a valid header reaches the
segment checks at once, where random bytes would almost never get past
the magic. The files are generated rather than committed so the
repository holds no binaries.
"""

import os
import struct
import sys

PT_LOAD, PT_INTERP, PT_NOTE, PT_GNU_STACK = 1, 3, 4, 0x6474E551
R, W, X = 4, 2, 1


def elf(entry, phdrs, size, e_type=2):
    """An ELF64 x86-64 file of `size` bytes with the given program headers,
    each (type, flags, offset, vaddr, filesz, memsz), right after the header."""
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    header = ident + struct.pack("<HHIQQQIHHHHHH", e_type, 62, 1, entry, 64, 0, 0,
                                 64, 56, len(phdrs), 64, 0, 0)
    table = b"".join(struct.pack("<IIQQQQQQ", t, f, off, va, va, fs, ms, 0x1000)
                     for t, f, off, va, fs, ms in phdrs)
    data = header + table
    # Recognisable filler instead of zeros, for the fuzzer to splice from.
    return data + bytes((i * 7) & 0xFF for i in range(size - len(data)))


SEEDS = {
    "text-only": elf(0x400080, [(PT_LOAD, R | X, 0, 0x400000, 0x100, 0x100)], 0x100),
    "text-data-bss": elf(0x400100, [
        (PT_NOTE, R, 0x120, 0x400120, 0x20, 0x20),
        (PT_LOAD, R | X, 0, 0x400000, 0x180, 0x180),
        (PT_LOAD, R | W, 0x180, 0x401180, 0x40, 0x2000),
        (PT_GNU_STACK, R | W, 0, 0, 0, 0),
    ], 0x1c0),
    "sixteen-segments": elf(0x400000, [
        (PT_LOAD, R | X if i == 0 else R, 0x10 * i, 0x400000 + 0x1000 * i + 0x10 * i, 0x10,
         0x10)
        for i in range(16)
    ], 0x400),
    "interp": elf(0x400000, [
        (PT_INTERP, R, 0x100, 0x400100, 0x1c, 0x1c),
        (PT_LOAD, R | X, 0, 0x400000, 0x120, 0x120),
    ], 0x120),
    "pie": elf(0x1000, [(PT_LOAD, R | X, 0, 0x10000, 0x100, 0x100)], 0x100, e_type=3),
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: elf_seeds.py OUTPUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
