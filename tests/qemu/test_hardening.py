"""A user's hostile programs cannot crash, freeze or fool the kernel.

As a user would: alice logs in on console 1 and runs, from her shell,
the attack programs of tests/programs (docs/security.md, "Kernel"):

- nt-flags: system calls with RFLAGS.NT, AC and DF set while another of
  its threads spins (NT once reached ring 0 and the next iretq panicked);
- bigregion: a 16 TiB reservation moved in a message, to a thread that
  takes any length and to the vfs with NS_STAT (once a freeze of
  minutes), and a receiver's region limit;
- kdefects: the small defects, one check each (ipc_extra leak, address
  space reuse and its bound, lazy bss, spawn's argv limit and handle
  move, IPC_POLL calls, a freed endpoint, SYS_LOG newlines).

Then bob logs in on console 2 and runs a command within a few seconds,
and the serial log shows no panic, and every line kdefects logged,
forged ones included, carries its pid:name prefix.
"""

import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

ALICE = r"alice@parley:/home/alice\$ *$"


class HardeningTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(timeout=170)
        cls.m.wait_serial(r"auth: ready", timeout=60)
        cls.m.log_in(1, "alice", "alice", ALICE)

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def run_attack(self, line, result, timeout=30):
        """Runs `line` from alice's cleared screen; returns the match of `result` and the screen."""
        return self.m.run_on(1, line, result, ALICE, timeout), self.m.screen_text()

    def test_1_user_flags_never_reach_the_kernel(self):
        match, screen = self.run_attack(
            "nt-flags", r"nt-flags: \d+ calls with NT, AC and DF set: (ok|WRONG)")
        self.assertEqual(match.group(1), "ok", screen)
        self.assertNotIn("PANIC", self.m.serial_text())

    def test_2_huge_regions_cost_what_they_hold(self):
        match, screen = self.run_attack("bigregion",
                                        r"bigregion: slowest step (\d+) ms: (ok|FAIL)")
        self.assertEqual(match.group(2), "ok", screen)
        self.assertNotIn("FAIL", screen)

    def test_3_small_kernel_defects(self):
        match, screen = self.run_attack("kdefects", r"kdefects: (\d+) checks, (\d+) failed")
        self.assertEqual(match.group(2), "0", screen)
        self.assertGreaterEqual(int(match.group(1)), 19, screen)
        log = self.m.wait_serial(r"kernel: forged line", timeout=10) and self.m.serial_text()
        lines = [l for l in log.splitlines() if "forged line" in l or "log line one" in l]
        self.assertEqual(len(lines), 2, log)
        for line in lines:
            self.assertRegex(line, rf"^{parley.LOG_PREFIX}\d+:kdefects: ", log)
        self.assertNotIn("\x1b", log)

    def test_4_bob_logs_in_and_works_at_once(self):
        start = time.monotonic()
        self.m.log_in(2, "bob", "bob", r"bob@parley:/home/bob\$ *$", timeout=20)
        self.m.run_line("echo bob-is-fine", r"(?m)^bob-is-fine\s*$", timeout=5)
        self.assertLess(time.monotonic() - start, 30)

    def test_5_nothing_panicked(self):
        log = self.m.serial_text()
        self.assertNotIn("PANIC", log)
        self.assertNotRegex(log, r"unhandled .* in kernel mode")


if __name__ == "__main__":
    unittest.main()
