"""Clients that leave without closing: every server frees what they held.

As a user would: alice logs in on console 1 and runs, from her shell,
the programs of tests/programs that leave their state behind
(docs/security.md, "Servers"), each more times over than the server's
table has entries:

- fsleak: files opened through the vfs and closed with handle_close
  alone, never FS_CLOSE, the last 40 held at exit (the ramdisk's 65,535
  open objects);
- nsleak: namespaces derived and dropped the same way, never NS_CLOSE
  (the vfs's 256 namespaces, and a handle of the vfs's own per mount);
- pipeleak: write ends of its stdout pipe made with PIPE_DUP and left
  open at exit, so `pipeleak N | cat` finishes only if the pipe server
  closes them (the pipe server's 256 ends);
- pipefill: short writes that wait in a full pipe, each with a memory
  region it does not need attached; the server must give every region
  back (no kernel object or frame more afterwards);
- readleak: exits while a thread waits in console_read_line; the shell
  must still read its next line (once it got -E_BUSY and logged out).

Then bob logs in on console 2 and works (ls, a file written and read
back with cat, a pipe), and the serial log shows no panic.
"""

import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

ALICE = r"alice@parley:/home/alice\$ *$"
BOB = r"bob@parley:/home/bob\$ *$"

FILE_RUNS, FILE_OPENS = 4, 17000  # 68,000 opens: more than 65,535 open objects
SPACE_RUNS, SPACES = 12, 25  # 300 namespaces: more than 256, each run within a session's 32
REGION_WRITES = 64  # short writes that wait with a region attached
PIPE_RUNS, PIPE_ENDS = 8, 40  # 320 ends: more than 256, each run within a session's 48


class PeerClosedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(timeout=175)
        cls.m.wait_serial(r"auth: ready", timeout=60)
        cls.m.log_in(1, "alice", "alice", ALICE)

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def run_alice(self, line, result, timeout=30):
        """Runs `line` on alice's cleared screen; waits for `result`, then her prompt."""
        return self.m.run_on(1, line, result, ALICE, timeout)

    def test_1_open_files_of_leavers_are_closed(self):
        start = time.monotonic()
        for _ in range(FILE_RUNS):
            match = self.run_alice(f"fsleak {FILE_OPENS}", r"fsleak: (.*)$", timeout=60)
            self.assertEqual(match.group(1).strip(),
                             f"{FILE_OPENS} opens, 40 left open at exit: ok",
                             self.m.screen_text())
        print(f"\n{FILE_RUNS * FILE_OPENS} leaked opens in {time.monotonic() - start:.1f} s")

    def test_2_namespaces_of_leavers_are_freed(self):
        for _ in range(SPACE_RUNS):
            match = self.run_alice(f"nsleak {SPACES}", r"nsleak: (.*)$")
            self.assertEqual(match.group(1).strip(),
                             f"{SPACES} namespaces, 8 left open at exit: ok",
                             self.m.screen_text())

    def test_3_pipe_ends_of_leavers_are_closed(self):
        for _ in range(PIPE_RUNS):
            # The prompt comes back only once cat has seen end of file.
            match = self.run_alice(f"pipeleak {PIPE_ENDS} | cat", r"pipeleak: (.*)$")
            self.assertEqual(match.group(1).strip(),
                             f"{PIPE_ENDS} write ends made, none closed: ok",
                             self.m.screen_text())

    def test_3b_short_writes_give_their_regions_back(self):
        # Each of the writes waits in the pipe server with a region it does
        # not need; kept, 64 of them were 64 areas and 256 frames for good.
        match = self.run_alice(f"pipefill {REGION_WRITES} | pipefill drain",
                               r"pipefill: (.*)$", timeout=60)
        found = re.match(r"(\d+) writes, (\d+) waited, objects ([+-]\d+), frames ([+-]\d+): (\w+)", match.group(1).strip())
        self.assertIsNotNone(found, self.m.screen_text())
        self.assertEqual(found.group(5), "ok", self.m.screen_text())
        self.assertGreaterEqual(int(found.group(2)), REGION_WRITES // 2)

    def test_4_a_dead_reader_leaves_the_console_usable(self):
        self.run_alice("readleak", r"readleak: a thread waits for a line; exiting")
        self.m.run_line("echo shell-still-reads", r"(?m)^shell-still-reads\s*$", timeout=10)
        self.m.wait_screen(ALICE, timeout=10)
        self.run_alice("readleak", r"readleak: a thread waits for a line; exiting")
        self.m.run_line("ls", r"(?m)^fsleak\.data\s*$", timeout=10)
        self.assertNotIn("logged out", self.m.screen_text())

    def test_5_one_user_cannot_fill_the_tables(self):
        # tablebomb holds every namespace / end its session may have;
        # meanwhile bob logs in and uses namespaces and a pipe. The ends
        # are made through tablebomb's stdout pipe, so cat shows its lines
        # (each as it comes: cat reads what the pipe has, fread_some).
        for kind, command, expect in (
                ("ns", "tablebomb ns", r"tablebomb: ns: (\d+), then (.*)$"),
                ("pipe", "tablebomb pipe | cat", r"tablebomb: ends: (\d+), then (.*)$")):
            self.m.send_key("alt-f1")
            self.m.run_line("clear", ALICE)
            found = self.m.run_line(command, expect, timeout=30)
            self.m.wait_screen(r"tablebomb: holding", timeout=10)
            self.assertEqual(found.group(2).strip(), "quota exceeded", self.m.screen_text())
            if kind == "ns":
                self.assertTrue(20 <= int(found.group(1)) < 32, found.group(0))
            else:
                self.assertEqual(int(found.group(1)), 48, "a session's share of ends")
            self.m.log_in(2, "bob", "bob", BOB, timeout=20)
            self.m.run_line("echo bob-pipe | cat", r"(?m)^bob-pipe\s*$", timeout=10)
            self.m.run_line("exit", r"(?m)^login: *$", timeout=10)
            self.m.send_key("alt-f1")
            self.m.type_text("\n")
            self.m.wait_screen(ALICE, timeout=10)

    def test_6_bob_logs_in_and_works(self):
        start = time.monotonic()
        self.m.log_in(2, "bob", "bob", BOB, timeout=20)
        self.m.run_line("echo bob-data > note", BOB, timeout=10)
        self.m.run_line("ls", r"(?m)^note\s*$", timeout=10)
        self.m.run_line("cat note", r"(?m)^bob-data\s*$", timeout=10)
        self.m.run_line("clear", BOB, timeout=10)
        self.m.run_line("cat note | cat", r"(?m)^bob-data\s*$", timeout=10)
        self.m.wait_screen(BOB, timeout=10)
        self.assertLess(time.monotonic() - start, 40)

    def test_7_nothing_panicked(self):
        log = self.m.serial_text()
        self.assertNotIn("PANIC", log)
        self.assertNotRegex(log, r"unhandled .* in kernel mode")
        self.assertNotRegex(log, r"init: service (ramdisk|vfs|pipe|console) .*ended")


if __name__ == "__main__":
    unittest.main()
