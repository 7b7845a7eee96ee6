#!/usr/bin/env python3
"""Build Parley's boot image: a cpio archive in the "newc" format.

    mkbootimage.py -o OUT.cpio ARCHIVE_NAME=HOST_PATH ...

Each argument puts the host file HOST_PATH into the archive under
ARCHIVE_NAME (for example bin/init=build/init/init.elf). The kernel finds
init in this archive and init finds the other programs, both through
lib/common/cpio.c.

The output depends only on the names and the file contents, so a rebuild
gives the same bytes: entries are sorted by name, and inode numbers are
counted from 1 while times, owners and devices are all 0. Directories that
the names imply (bin for bin/init) are written first, with mode 040755;
files under bin/ get mode 0100755 and all others 0100644. The archive ends
with the usual TRAILER!!! entry. The file is written under a temporary
name and renamed, so an interrupted run never leaves a half-written image.
"""

import argparse
import os
import sys

HEADER_MAGIC = b"070701"
TRAILER = "TRAILER!!!"
MODE_DIRECTORY = 0o040755
MODE_PROGRAM = 0o100755
MODE_FILE = 0o100644


def fail(message):
    print(f"mkbootimage: {message}", file=sys.stderr)
    sys.exit(1)


def pad4(data):
    """Zero bytes that bring a length of len(data) up to a multiple of 4."""
    return b"\0" * (-len(data) % 4)


def entry_bytes(ino, mode, nlink, name, data):
    """One newc entry: header, padded name, padded data."""
    encoded = name.encode("utf-8") + b"\0"
    fields = [
        ino,  # c_ino
        mode,  # c_mode
        0,  # c_uid
        0,  # c_gid
        nlink,  # c_nlink
        0,  # c_mtime
        len(data),  # c_filesize
        0,  # c_devmajor
        0,  # c_devminor
        0,  # c_rdevmajor
        0,  # c_rdevminor
        len(encoded),  # c_namesize, counting the NUL
        0,  # c_check, unused by newc
    ]
    header = HEADER_MAGIC + b"".join(b"%08x" % f for f in fields)
    head = header + encoded
    return head + pad4(head) + data + pad4(data)


def check_name(name):
    """Refuses names the kernel's lookup could never match or that are unsafe."""
    if not name:
        fail("empty archive name")
    if name.startswith("/"):
        fail(f"{name}: archive names are relative (write bin/init, not /bin/init)")
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        fail(f"{name}: empty, '.' or '..' path component in archive name")
    if name == TRAILER:
        fail(f"{name}: this name marks the end of the archive")
    if "\0" in name:
        fail(f"{name!r}: NUL in archive name")


def parse_inputs(specs):
    """Turns NAME=PATH arguments into {name: path}, checking each one."""
    files = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not path:
            fail(f"{spec}: expected ARCHIVE_NAME=HOST_PATH")
        check_name(name)
        if name in files:
            fail(f"{name}: named twice ({files[name]} and {path})")
        if not os.path.exists(path):
            fail(f"{name}: input file {path} does not exist")
        if not os.path.isfile(path):
            fail(f"{name}: input {path} is not a regular file")
        files[name] = path
    return files


def implied_directories(names):
    """Every proper prefix directory of the given names (a/b for a/b/c)."""
    dirs = set()
    for name in names:
        parts = name.split("/")
        for i in range(1, len(parts)):
            dirs.add("/".join(parts[:i]))
    clash = dirs & set(names)
    if clash:
        fail(f"{sorted(clash)[0]}: used both as a file and as a directory")
    return sorted(dirs)


def build_archive(files):
    out = bytearray()
    ino = 1
    for d in implied_directories(files):
        out += entry_bytes(ino, MODE_DIRECTORY, 2, d, b"")
        ino += 1
    for name in sorted(files):
        try:
            with open(files[name], "rb") as f:
                data = f.read()
        except OSError as e:
            fail(f"{name}: cannot read {files[name]}: {e.strerror}")
        mode = MODE_PROGRAM if name.startswith("bin/") else MODE_FILE
        out += entry_bytes(ino, mode, 1, name, data)
        ino += 1
    out += entry_bytes(0, 0, 1, TRAILER, b"")
    return bytes(out)


def write_atomically(path, data):
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        fail(f"cannot write {path}: {e.strerror}")


def main():
    parser = argparse.ArgumentParser(
        description="Write a newc cpio boot image for Parley.")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.cpio",
                        help="the archive to write")
    parser.add_argument("inputs", nargs="*", metavar="ARCHIVE_NAME=HOST_PATH",
                        help="a host file and its name in the archive")
    args = parser.parse_args()
    write_atomically(args.output, build_archive(parse_inputs(args.inputs)))


if __name__ == "__main__":
    main()
