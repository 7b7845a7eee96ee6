"""Every kernel log line on the serial port has the agreed shape.

The serial contract is `[<seconds, 6 decimals, width 12>] <level padded
to 5> <message>`, with levels debug, info, warn, error and panic; tools
and tests parse it, so a stray printf or a changed timestamp format must
fail here. We boot normally, wait for the memory summary (logged after
the banner), and check every line from the kernel's first log line on,
plus that the timestamps never go backwards.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

LINE = re.compile(parley.LOG_PREFIX + r"\S")


class LogFormatTest(unittest.TestCase):
    def test_every_serial_line_has_timestamp_and_level(self):
        with parley.Machine(timeout=60) as m:
            m.wait_serial(r"mem: frames total=", timeout=30)
            text = m.serial_text()

        # Only complete lines; anything before the kernel (firmware or
        # GRUB, if they ever print) is not the kernel's to format.
        lines = text.split("\n")[:-1]
        first = next((i for i, l in enumerate(lines) if l.startswith("[")), None)
        self.assertIsNotNone(first, f"no log lines in:\n{text}")
        kernel_lines = [l.rstrip("\r") for l in lines[first:]]
        self.assertGreaterEqual(len(kernel_lines), 3)

        bad = [l for l in kernel_lines if not LINE.match(l)]
        self.assertEqual(bad, [], "lines not in log format")

        stamps = [float(l[1:13]) for l in kernel_lines]
        self.assertEqual(stamps, sorted(stamps), "timestamps went backwards")


if __name__ == "__main__":
    unittest.main()
