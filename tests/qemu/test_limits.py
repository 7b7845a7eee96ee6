"""Resource groups: one user's bombs hurt only that user's session.

login starts every shell in a resource group of its own (SPAWN_GROUP,
kernel/proc/rgroup.h). alice, at console 1, runs tests/programs/bomb.c:
threads, processes and reservations until the kernel says -E_QUOTA, and
memory until the kernel kills the program. While each bomb holds what it
got, bob logs in at console 2 and works. Running a bomb twice gets the
same count both times, so what a group gave back is really free again.
Page tables count too, and a table emptied by a release is freed at
once (bomb tables, bomb sparse). `limit` runs a bomb in a group with
the limits alice gives it (SYS_GROUP_LIMIT).
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


class LimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(timeout=175)
        cls.m.wait_screen(r"(?m)^login: *$", timeout=60)
        cls.m.log_in(1, "alice")
        cls.m.log_in(2, "bob")

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def bomb(self, kind):
        """Starts bomb KIND on alice's console; returns its count once it holds what it got."""
        self.m.send_key("alt-f1")
        self.m.wait_screen(ALICE)
        found = self.m.run_line(f"bomb {kind}", rf"bomb: {kind}: (\d+), then (.*\S)",
                                timeout=60, clear=True)
        self.assertEqual(found.group(2), "quota exceeded", found.group(0))
        return int(found.group(1))

    def bob_works(self):
        self.m.send_key("alt-f2")
        self.m.wait_screen(BOB)
        self.m.run_line("echo bob-works; ls /", r"(?m)^bob-works\s*$", timeout=20, clear=True)
        self.m.wait_screen(r"(?m)^bin/", timeout=10)

    def alice_back(self):
        self.m.send_key("alt-f1")
        self.m.wait_screen(ALICE, timeout=40)

    def test_1_threads(self):
        first = self.bomb("threads")
        self.assertGreater(first, 100)
        self.bob_works()
        self.alice_back()
        self.assertEqual(self.bomb("threads"), first, "threads were not given back")
        self.alice_back()

    def test_2_processes(self):
        first = self.bomb("spawn")
        self.assertGreater(first, 10)
        self.bob_works()
        self.alice_back()
        # The children sleep as long as their parent holds on; wait until all are gone.
        exits = r"proc: \d+:bomb exited"
        deadline = time.monotonic() + 40
        while (len(re.findall(exits, self.m.serial_text())) < first + 1
               and time.monotonic() < deadline):
            time.sleep(0.2)
        self.assertEqual(self.bomb("spawn"), first, "processes were not given back")
        self.alice_back()

    def test_3_reservations(self):
        first = self.bomb("reserve")
        self.bob_works()
        self.alice_back()
        self.assertEqual(self.bomb("reserve"), first, "reservations were not given back")
        self.alice_back()

    def test_6_page_tables_count(self):
        # Page tables are charged to the group: sparse touching ends in the
        # group's OOM kill, not in the machine running out of frames.
        oom = r"name=bomb .*out of memory \(group limit\)"
        before = len(re.findall(oom, self.m.serial_text()))
        self.m.send_key("alt-f1")
        self.m.run_line("bomb tables", ALICE, timeout=90, clear=True)
        self.assertNotIn("bomb: tables:", self.m.screen_text())
        self.assertEqual(len(re.findall(oom, self.m.serial_text())), before + 1,
                         "bomb tables was not killed by its group's memory limit")
        self.bob_works()
        self.alice_back()

    def test_7_emptied_page_tables_are_freed(self):
        # bomb sparse makes 128 page tables per round at addresses no round
        # used before, then releases them (kernel/mm/aspace.c, table_prune).
        # Kept until exit they would pass the group's page limit by round 64
        # and the kernel would kill bomb; freed, the free frames come back.
        oom = r"name=bomb .*out of memory"
        before = len(re.findall(oom, self.m.serial_text()))
        self.m.run_on(1, "bomb sparse; echo sparse-done", r"(?m)^sparse-done\s*$", ALICE,
                      timeout=90)
        found = re.search(r"bomb: sparse: (\d+) rounds, frames free before/after (\d+)/(\d+)",
                          self.m.screen_text())
        self.assertIsNotNone(found, "bomb sparse did not finish:\n" + self.m.screen_text())
        self.assertEqual(len(re.findall(oom, self.m.serial_text())), before)
        self.assertEqual(int(found.group(1)), 256)
        first, last = int(found.group(2)), int(found.group(3))
        # Other processes may take or give back a few frames meanwhile;
        # kept tables would be 128 a round, 32,000 in all.
        self.assertLessEqual(abs(first - last), 16, found.group(0))
        self.bob_works()
        self.alice_back()

    def test_5_logout_ends_the_session(self):
        self.m.send_key("alt-f1")
        found = self.m.run_line("bomb linger", r"bomb: linger: left pid (\d+) behind", clear=True)
        left = found.group(1)
        self.m.wait_screen(ALICE)
        self.m.type_text("exit\n")
        self.m.wait_serial(rf"proc: {left}:bomb ended with its group by \d+:login1", timeout=20)
        self.m.wait_serial(r"login: ended 1 program alice left running", timeout=10)
        self.m.wait_screen(r"(?m)^login: *$", timeout=20)
        self.m.log_in(1, "alice")
        self.m.run_line("echo alice-again", r"(?m)^alice-again\s*$", clear=True)

    def test_8_limits_a_spawner_chooses(self):
        # limit runs a program in a group of its own with the limits given
        # (SYS_GROUP_LIMIT before SPAWN_GROUP); the shell's own stay as they were.
        self.m.send_key("alt-f1")
        found = self.m.run_line("limit -t 20 bomb threads",
                                r"bomb: threads: (\d+), then (.*\S)", timeout=60, clear=True)
        self.assertEqual(found.group(2), "quota exceeded", found.group(0))
        # 20 threads: bomb's main thread and 19 more.
        self.assertEqual(int(found.group(1)), 19, found.group(0))
        self.alice_back()
        # A thread's kernel stack (4 pages) is charged to its group's pages:
        # 1 MiB (256 pages) holds a few dozen threads, not the 256 allowed.
        found = self.m.run_line("limit -m 1024 bomb threads",
                                r"bomb: threads: (\d+), then (.*\S)", timeout=60, clear=True)
        self.assertEqual(found.group(2), "quota exceeded", found.group(0))
        self.assertTrue(8 <= int(found.group(1)) <= 60, found.group(0))
        self.alice_back()
        found = self.m.run_line("limit -p 5 bomb spawn", r"bomb: spawn: (\d+), then (.*\S)",
                                timeout=60, clear=True)
        self.assertEqual((int(found.group(1)), found.group(2)), (4, "quota exceeded"))
        self.alice_back()
        oom = r"name=bomb .*out of memory \(group limit\)"
        before = len(re.findall(oom, self.m.serial_text()))
        self.m.run_line("limit -m 2048 bomb memory; echo st=$?", r"(?m)^st=(\d+)\s*$",
                        timeout=60, clear=True)
        self.assertEqual(len(re.findall(oom, self.m.serial_text())), before + 1)
        self.assertNotIn("bomb: memory:", self.m.screen_text())
        # Bad input is refused with the usage line; the shell's own limits are untouched.
        self.m.run_line("limit -t 0 bomb threads; echo st=$?", r"(?m)^st=1\s*$", clear=True)
        self.assertIn("usage: limit", self.m.screen_text())
        self.m.run_line("limit -t 3 nosuch; echo st=$?", r"(?m)^st=127\s*$", clear=True)
        self.assertRegex(self.m.screen_text(), r"limit: nosuch: no such file")
        self.assertGreater(self.bomb("threads"), 100)
        self.bob_works()
        self.alice_back()

    def test_4_memory(self):
        self.m.send_key("alt-f1")
        self.m.run_line("bomb memory", ALICE, timeout=90, clear=True)
        self.m.wait_serial(r"bomb.*out of memory \(group limit\)", timeout=10)
        self.bob_works()
        self.alice_back()
        self.m.run_line("echo alice-still-works", r"(?m)^alice-still-works\s*$", clear=True)
        self.assertNotIn("PANIC", self.m.serial_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
