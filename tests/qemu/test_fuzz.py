"""The system-call fuzzer: 20,000 random calls from alice's shell.

alice runs `fuzz -n 20000 -s 1` (programs/fuzz, docs/reliability.md).
It must end with its summary line, the kernel's counts back to baseline
by the fuzzer's rule (threads and processes exactly, kernel heap objects
at most one above: a console keeps a dead reader's saved reply until its
next key; free frames at most 64 below), and no panic on the serial
port. Once alice has typed again, a second `fuzz -n 0` must find the
kernel objects exactly where the first run started. Then bob logs in on
console 2 and works.
"""

import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

ALICE = r"alice@parley:/home/alice\$ *$"
# Spaces may fall at the end of a screen row.
SUMMARY = (r"(?m)^fuzz: (\d+) calls, seed (\d+), kernel objects before/after (\d+)/(\d+), "
           r"frames free before/after (\d+)/(\d+)").replace(" ", r"\s+")
OBJECT_SLACK = 1
FRAME_SLACK = 64


def summary(screen):
    """The summary's numbers, or None; a row filled to its last column continues on the next."""
    text = "".join(row if row[-1:] not in ("", " ") else row.rstrip() + "\n" for row in screen)
    found = re.search(SUMMARY, text)
    return [int(x) for x in found.groups()] if found else None


class FuzzTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(timeout=175)
        cls.m.wait_screen(r"(?m)^login: *$", timeout=60)
        cls.m.log_in(1, "alice")

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def run_fuzz(self, line, timeout):
        self.m.type_text("clear\n")
        self.m.wait_screen(ALICE, timeout=10)
        self.m.type_text(line + "\n")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            numbers = summary(self.m.screen())
            if numbers is not None:
                self.m.wait_screen(ALICE, timeout=10)
                return numbers
            time.sleep(0.5)
        self.fail(f"no summary from `{line}`:\n{self.m.screen_text()}")

    def test_fuzz(self):
        started = time.monotonic()
        calls, seed, objects_before, objects_after, frames_before, frames_after = \
            self.run_fuzz("fuzz -n 20000 -s 1", timeout=100)
        print(f"fuzz: 20000 calls in {time.monotonic() - started:.1f} s", file=sys.stderr)
        self.assertEqual((calls, seed), (20000, 1))
        self.assertGreater(objects_before, 0)
        self.assertLessEqual(objects_after, objects_before + OBJECT_SLACK, "kernel objects leaked")
        self.assertGreaterEqual(frames_after + FRAME_SLACK, frames_before, "frames leaked")
        self.assertNotIn("leak:", self.m.screen_text())
        self.assertNotIn("ended with status", self.m.screen_text())
        self.assertNotIn("PANIC", self.m.serial_text())

        # alice has typed since: the console has dropped the dead reader.
        again = self.run_fuzz("fuzz -n 0 -s 2", timeout=30)
        self.assertEqual(again[2], objects_before, "kernel objects did not come back exactly")

        self.m.log_in(2, "bob")
        self.m.run_line("echo bob-works; ls /", r"(?m)^bob-works\s*$", timeout=20, clear=True)
        self.m.wait_screen(r"(?m)^bin/", timeout=10)
        self.assertNotIn("PANIC", self.m.serial_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
