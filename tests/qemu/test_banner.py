"""The kernel announces itself quickly on both consoles.

Boots build/parley.iso as shipped and checks that the `Parley X.Y.Z`
banner reaches the serial log as a proper info-level log line and is drawn
on line 0 of the VGA text screen, both within 10 seconds of starting QEMU
(measured from just before the process is spawned, so GRUB and firmware
time count too). A kernel that stops early, loses its serial or VGA
console, or boots much slower than it should fails here.
"""

import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

BUDGET_SECONDS = 10.0
BANNER = r"Parley \d+\.\d+\.\d+"


class BannerTest(unittest.TestCase):
    def test_banner_on_serial_and_screen_within_10s(self):
        with parley.Machine(timeout=60) as m:
            line = m.wait_serial(f"^{parley.LOG_PREFIX}{BANNER}",
                                 timeout=BUDGET_SECONDS)
            serial_s = time.monotonic() - m.started_at
            self.assertTrue(line.group(0).split("] ", 1)[1].startswith("info "),
                            f"banner is not an info line: {line.group(0)!r}")

            # \A: the banner must be on the first screen line.
            left = max(0.0, BUDGET_SECONDS - serial_s)
            m.wait_screen(rf"\A[^\n]*{BANNER}", timeout=left)
            screen_s = time.monotonic() - m.started_at

        self.assertLess(serial_s, BUDGET_SECONDS)
        self.assertLess(screen_s, BUDGET_SECONDS)
        print(f"banner: serial {serial_s:.2f}s, screen {screen_s:.2f}s "
              f"after QEMU start")


if __name__ == "__main__":
    unittest.main()
