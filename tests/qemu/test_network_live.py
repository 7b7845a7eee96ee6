"""The network through the ring-3 RTL8139 driver and lwIP, as a user sees it.

The driver and the TCP/IP server come up from etc/services; DHCP from
QEMU's user network gives 10.0.2.15 with gateway 10.0.2.2, and ifconfig
shows it. alice then downloads a file from a real HTTP server on the
host (python3 -m http.server on 127.0.0.1, reached as 10.0.2.2, started
and stopped by this test) and reads it back. Nothing here resolves a
name, so the guest never queries slirp's DNS forwarder.
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import hostnet  # noqa: E402
import parley  # noqa: E402

ALICE = r"alice@parley:/home/alice\$ *$"


class LiveNetworkTest(unittest.TestCase):
    def test_dhcp_and_fetch(self):
        with hostnet.HostServers(gopher=False, dns=False) as host:
            host.make_www({"hello.txt": b"hello-from-the-host-server\n"})
            with parley.Machine(timeout=175) as m:
                m.wait_serial(r"rtl8139: MAC 52:54:00:12:34:56", timeout=60)
                m.wait_serial(r"net: address 10\.0\.2\.15, gateway 10\.0\.2\.2", timeout=60)
                m.wait_screen(r"(?m)^login: *$", timeout=30)
                m.type_text("alice\n")
                m.wait_screen(r"Password: *$", timeout=20)
                m.type_text("alice\n")
                m.wait_screen(ALICE, timeout=40)
                m.type_text("ifconfig\n")
                m.wait_screen(r"inet 10\.0\.2\.15\s+netmask 255\.255\.255\.0\s+gateway 10\.0\.2\.2",
                              timeout=20)
                m.type_text("clear\n")
                url = f"http://10.0.2.2:{host.http_port}/hello.txt"
                m.type_text(f"fetch -o got.txt {url}; cat got.txt\n")
                m.wait_screen(r"(?m)^hello-from-the-host-server\s*$", timeout=60)
                self.assertNotIn("PANIC", m.serial_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
