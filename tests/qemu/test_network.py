"""/net as a user sees it, on a machine whose network card has no driver.

The TCP/IP server (servers/net, lwIP) runs in ring 3 and the vfs mounts
it at /net in every namespace. This test boots without the RTL8139
driver (noservice=rtl8139), so there is no card behind it, and checks
what must hold then: alice
(an ordinary user) sees /net and its directories, ifconfig reports the
missing link, and every network utility and the gopher client fail with
a clear "network is down" instead of hanging; a listening port below
1024 is refused to her; and bob on another console still logs in and
works while she does all this.
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

ALICE = r"alice@parley:/home/alice\$ *$"
BOB = r"bob@parley:/home/bob\$ *$"


class NetworkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(cmdline="noservice=rtl8139", timeout=175)
        cls.m.wait_serial(r"net: no network card", timeout=60)
        cls.m.wait_screen(r"(?m)^login: *$", timeout=30)

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    def log_in(self, console, name, prompt):
        self.m.log_in(console, name, prompt=prompt)

    def run_line(self, line, expect, timeout=20):
        return self.m.run_line(line, expect, timeout, clear=True)

    def test_1_net_in_a_users_namespace(self):
        self.log_in(1, "alice", ALICE)
        self.run_line("ls /net", r"(?s)dns/\s+if\s+ping/\s+tcp/\s+udp/")
        self.run_line("ifconfig", r"net0: link none")
        self.run_line("cat /net/if", r"(?m)^link none")

    def test_2_errors_not_hangs(self):
        self.m.send_key("alt-f1")
        self.run_line("host gopher.parley.test", r"host: gopher.parley.test: network is down")
        self.run_line("nc 10.0.2.2 70", r"nc: 10.0.2.2:70: network is down")
        self.run_line("fetch http://10.0.2.2/x", r"fetch: .*network is down")
        self.run_line("cat /net/nowhere", r"cat: /net/nowhere: no such file or directory")
        self.run_line("nc -l 80", r"nc: port 80: permission denied")
        self.m.wait_screen(ALICE)

    def test_3_bob_still_works(self):
        self.log_in(2, "bob", BOB)
        self.run_line("ls /net", r"(?s)dns/\s+if\s+ping/\s+tcp/\s+udp/")
        self.run_line("echo bob-works", r"(?m)^bob-works\s*$")
        self.assertNotIn("PANIC", self.m.serial_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
