"""No output is lost quietly: stderr reaches the screen, and a failed write is reported.

The shell gives every program a stderr of its own, a copy of its console
(STDERR=console, STDERR_HANDLE), and the C library's exit() reports a
write to stdout that failed (lib/libc/stdout.c). alice, at console 1 of
a small machine (48 MiB: the ramdisk gets half the memory free at its
start, and each user but root half of that, servers/ramdisk/tree.h;
auth gives its 19 MiB back after each password check):

1. `ls /nothing > /tmp/out`: the complaint is on the screen, not in the
   file, and the status is 1; `2> /tmp/err` puts it in that file, and
   `2>&1 | grep` sends it down the pipe.
2. She fills her share of the ramdisk by copying a file into four times
   its size until `cat` says `cat: write error: quota exceeded`; the
   status is 1, and what was written before is still there, whole.
3. `cat BIG | head -n 1`: head stops after its line and cat, writing to
   a pipe nobody reads, ends at once and says nothing (status 141, as
   SIGPIPE on POSIX).
4. With alice's share full, bob logs in at console 2, works, and writes
   a file of about 400 KB in /tmp and in his home (`ls -l` shows them as his);
   after alice removes her files, writing works again for her.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

ALICE = r"alice@parley:/home/alice\$ *$"
BOB = r"bob@parley:/home/bob\$ *$"
# What goes into the first file: the biggest programs, about 700 KB.
SEED = "/bin/net /bin/auth /bin/gopher /bin/sh /bin/vfs /bin/ramdisk /bin/console /bin/edit"


class OutputErrorsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(memory="48M", timeout=170)
        cls.m.wait_screen(r"(?m)^login: *$", timeout=60)
        cls.m.log_in(1, "alice")

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def alice(self, line, expect, timeout=30):
        return self.m.run_on(1, line, expect, ALICE, timeout=timeout)

    def test_1_messages_go_to_the_screen_not_the_file(self):
        found = self.alice("ls /nothing > /tmp/out; echo st=$?", r"(?m)^st=(\d+)\s*$")
        self.assertEqual(found.group(1), "1")
        self.assertRegex(self.m.screen_text(), r"(?m)^ls: /nothing: no such file or directory")
        self.alice("wc -c /tmp/out", r"(?m)^\s+0 /tmp/out\s*$")
        # 2> sends the complaint to a file, 2>&1 where stdout goes.
        self.alice("ls /nothing 2> /tmp/err; echo st=$?", r"(?m)^st=1\s*$")
        self.assertNotIn("ls: /nothing", self.m.screen_text())
        self.alice("cat /tmp/err", r"(?m)^ls: /nothing: no such file or directory\s*$")
        self.alice("ls /nothing 2>&1 | grep -c nothing", r"(?m)^1\s*$")
        self.alice("rm /tmp/err /tmp/out; echo done", r"(?m)^done\s*$")

    def test_2_a_full_share_is_reported(self):
        self.alice(f"cat {SEED} > /tmp/f0; echo st=$?", r"(?m)^st=0\s*$")
        size = int(self.alice("wc -c /tmp/f0", r"(?m)^\s*(\d+) /tmp/f0\s*$").group(1))
        self.assertGreater(size, 300_000)
        full = None
        for step in range(1, 6):
            src = f"/tmp/f{step - 1}"
            found = self.alice(f"cat {src} {src} {src} {src} > /tmp/f{step}; echo st=$?",
                               r"(?m)^st=(\d+)\s*$", timeout=90)
            if found.group(1) != "0":
                full = step
                self.assertEqual(found.group(1), "1")
                self.assertRegex(self.m.screen_text(),
                                 r"(?m)^cat: write error: quota exceeded\s*$")
                break
            self.assertNotIn("error", self.m.screen_text())
            size *= 4
        self.assertIsNotNone(full, "the ramdisk never filled up")
        # Everything written before the failing command is intact.
        found = self.alice(f"wc -c /tmp/f{full - 1}", rf"(?m)^\s*(\d+) /tmp/f{full - 1}\s*$")
        self.assertEqual(int(found.group(1)), size)
        type(self).full = full

    def test_3_a_pipe_nobody_reads_ends_the_writer_quietly(self):
        big = f"/tmp/f{self.full - 1}"
        before = len(re.findall(r"proc: \d+:cat exited status=141", self.m.serial_text()))
        found = self.alice(f"cat {big} | head -n 1 | wc -l; echo st=$?", r"(?m)^st=(\d+)\s*$")
        self.assertEqual(found.group(1), "0")
        self.assertRegex(self.m.screen_text(), r"(?m)^\s*1\s*$")
        self.assertNotIn("cat:", self.m.screen_text())
        self.assertNotIn("error", self.m.screen_text())
        after = len(re.findall(r"proc: \d+:cat exited status=141", self.m.serial_text()))
        self.assertEqual(after, before + 1, "cat did not end when its reader went away")

    def test_4_bob_logs_in_and_writes_while_alice_is_full(self):
        self.m.log_in(2, "bob")
        self.m.run_on(2, "echo bob-works; ls /", r"(?m)^bob-works\s*$", BOB)
        self.m.wait_screen(r"(?m)^bin/", timeout=10)
        self.m.run_on(2, "cat /bin/sh /bin/sh /bin/sh /bin/sh /bin/sh > /tmp/bob; echo st=$?",
                      r"(?m)^st=0\s*$", BOB, timeout=60)
        self.m.run_on(2, "cp /tmp/bob /home/bob/copy; echo st=$?", r"(?m)^st=0\s*$", BOB,
                      timeout=60)
        found = self.m.run_on(2, "ls -l /tmp/bob /home/bob/copy",
                              r"(?m)^-rw-r--r--  (?:bob|1001) +(\d+)  /home/bob/copy\s*$", BOB)
        self.assertGreater(int(found.group(1)), 300_000)
        self.assertRegex(self.m.screen_text(), r"(?m)^-rw-r--r--  (?:bob|1001) +\d+  /tmp/bob\s*$")
        self.assertNotIn("error", self.m.screen_text())

    def test_5_space_comes_back(self):
        files = " ".join(f"/tmp/f{i}" for i in range(self.full + 1))
        self.alice(f"rm {files}; echo after > /tmp/f; cat /tmp/f",
                   r"(?m)^after\s*$")
        self.assertNotIn("PANIC", self.m.serial_text())


if __name__ == "__main__":
    unittest.main()
