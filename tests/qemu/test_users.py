"""Two users at once, each inside what their namespace grants.

Typed on the PS/2 keyboard through QMP, read from the VGA screen: alice
logs in on console 1 and bob on console 2 at the same time. alice writes
a file in her home; bob cannot list it, read it or even name it ("no such
file or directory"), and `ls /home` shows him only his own home; back on
console 1 alice reads her file again and lists the PCI devices with
lspci. alice's `trace on` is refused;
root, logged in on console 3, switches the IPC trace on and trace lines
appear on serial; `ps` shows the drivers and servers as separate
processes.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402


class UsersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(timeout=175)
        cls.m.wait_serial(r"auth: ready", timeout=60)
        cls.m.wait_screen(r"(?m)^login: *$", timeout=30)

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def log_in(self, console, name, password, prompt):
        self.m.log_in(console, name, password, prompt)

    def run_line(self, line, expect, timeout=20):
        return self.m.run_line(line, expect, timeout)

    def test_1_two_users_and_their_homes(self):
        self.log_in(1, "alice", "alice", r"alice@parley:/home/alice\$ *$")
        self.run_line("echo only-for-alice > /home/alice/note", r"alice@parley:/home/alice\$ *$")
        self.run_line("cat /home/alice/note", r"(?m)^only-for-alice\s*$")

        self.log_in(2, "bob", "bob", r"bob@parley:/home/bob\$ *$")
        self.run_line("ls /home", r"(?m)^bob/?\s*$")
        self.assertNotIn("alice", self.m.screen_text().split("ls /home", 1)[1])
        self.run_line("cat /home/alice/note", r"cat: /home/alice/note: no such file or directory")
        self.run_line("ls /home/alice", r"ls: /home/alice: no such file or directory")
        self.run_line("cat /etc/shadow", r"cat: /etc/shadow: no such file or directory")
        self.assertNotIn("only-for-alice", self.m.screen_text())

        self.m.send_key("alt-f1")
        self.m.wait_screen(r"alice@parley:/home/alice\$ *$", timeout=20)
        self.run_line("clear", r"alice@parley:/home/alice\$ *$")
        self.run_line("cat note", r"(?m)^only-for-alice\s*$")
        # lspci works for a user too: login hands the shell the PCI server.
        self.run_line("lspci", r"10ec:8139 class 0200 Ethernet controller")
        # ... with a read-only handle: no bus mastering for a user's program.
        self.run_line("pciuser", r"pciuser: count success, read success, bus master permission denied")

    def test_2_trace_is_roots_alone(self):
        self.m.send_key("alt-f1")
        self.run_line("trace on", r"trace: permission denied")
        self.log_in(3, "root", "root", r"root@parley:/root# *$")
        before = len(re.findall(r"(?m)^IPC ", self.m.serial_text()))
        self.run_line("trace on", r"root@parley:/root# *$")
        self.assertNotIn("permission denied", self.m.screen_text())
        self.run_line("whoami", r"(?m)^root\s*$")
        self.run_line("trace off", r"root@parley:/root# *$")
        after = len(re.findall(r"(?m)^IPC ", self.m.serial_text()))
        self.assertGreater(after, before, "no IPC trace lines while the trace was on")

    def test_3_ps_shows_the_servers(self):
        self.m.send_key("alt-f3")
        self.run_line("clear", r"root@parley:/root# *$")
        screen = self.run_line("ps", r"root@parley:/root# *$") and self.m.screen_text()
        for name in ("console", "keyboard", "pci", "ramdisk", "vfs", "auth", "pipe", "sh"):
            self.assertRegex(screen, rf"(?m)\b{name}\s*$", screen)


if __name__ == "__main__":
    unittest.main()
