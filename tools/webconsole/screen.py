"""The VGA text screen as a page draws it.

The console server writes 80x25 cells of (character, attribute) at
physical 0xB8000. The cursor's position lives in the CRT controller,
which only the guest can read, so the console also writes it just past
the screen (servers/console/vga.c): cell 2000 holds CURSOR_MAGIC, cell
2001 the cursor's cell or 0xFFFF when it is hidden. The bridge copies
SCREEN_BYTES from guest memory (QMP pmemsave) and sends the page the
rows as text (code page 437 decoded here, by the harness's table) and
the attribute bytes, which the page turns into colours.
"""

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "harness"))
from parley import SCREEN_COLS, SCREEN_ROWS, VGA_TEXT_BASE, cp437_text  # noqa: E402

CELLS = SCREEN_COLS * SCREEN_ROWS
CURSOR_MAGIC = 0x5043
SCREEN_BYTES = (CELLS + 2) * 2  # the cells, then the cursor mirror
BASE = VGA_TEXT_BASE


def cursor(data):
    """The cursor's cell number, or None when hidden or not (yet) mirrored."""
    if len(data) < SCREEN_BYTES:
        return None
    magic, cell = struct.unpack_from("<HH", data, CELLS * 2)
    if magic != CURSOR_MAGIC or cell >= CELLS:
        return None
    return cell


def rows(data):
    """The screen's text, one string per row, as the VGA font draws it."""
    text = cp437_text(data[0:CELLS * 2:2])
    return [text[r * SCREEN_COLS:(r + 1) * SCREEN_COLS] for r in range(SCREEN_ROWS)]
