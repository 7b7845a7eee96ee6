"""The network through the ring-3 RTL8139 driver and lwIP, as a user sees it.

One machine, booted with the driver and the TCP/IP server from
etc/services, against real servers on the host that this test starts
and stops (tests/harness/hostnet.py): python3 -m http.server, dnsmasq
answering only *.parley.test, and listeners of our own. The guest reaches
the host as 10.0.2.2 and is told to resolve names through that dnsmasq
(net.dns= on the kernel command line), so nothing leaves the machine.

alice, at console 1: DHCP and ifconfig, ping, host, a 4 MiB download sent
back to the host and compared, nc in both directions (a host `nc -l`,
OpenBSD netcat from Debian, talks to the guest's nc; the guest's own
listener is reached through a QEMU host forward), and the errors a user
meets: a refused port, a missing page, a server that dies mid-transfer.
"""

import hashlib
import os
import socket
import sys
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import hostnet  # noqa: E402
import parley  # noqa: E402

ALICE = r"alice@parley:/home/alice\$ *$"
GUEST_LISTEN_PORT = 7000
BIG = os.urandom(4 << 20)


class CutOffServer(threading.Thread):
    """An HTTP server that promises `length` bytes, sends `sent` of them and dies (RST)."""

    def __init__(self, length=1000000, sent=5000):
        super().__init__(daemon=True)
        self.length, self.sent = length, sent
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]

    def run(self):
        try:
            self.sock.settimeout(120)
            conn, _ = self.sock.accept()
            conn.settimeout(30)
            request = b""
            while b"\r\n\r\n" not in request:
                data = conn.recv(4096)
                if not data:
                    return
                request += data
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % self.length
                         + b"x" * self.sent)
            time.sleep(0.5)  # let the bytes leave before the reset
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.close()  # a killed server: the kernel resets the connection
        except OSError:
            pass
        finally:
            self.sock.close()


class LiveNetworkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.host = hostnet.HostServers(gopher=False)
        cls.host.__enter__()
        cls.host.make_www({"hello.txt": b"hello-from-the-host-server\n", "big.bin": BIG})
        cls.forward_port = hostnet.free_port()
        forward = f"hostfwd=tcp:127.0.0.1:{cls.forward_port}-:{GUEST_LISTEN_PORT}"
        cls.m = parley.Machine(cmdline=cls.host.dns_cmdline(), timeout=175,
                               net_options=forward)
        cls.m.wait_serial(r"rtl8139: MAC 52:54:00:12:34:56", timeout=60)
        cls.m.wait_serial(r"net: address 10\.0\.2\.15, gateway 10\.0\.2\.2", timeout=60)
        cls.m.wait_screen(r"(?m)^login: *$", timeout=30)
        cls.m.log_in(1, "alice")

    @classmethod
    def tearDownClass(cls):
        cls.m.close()
        cls.host.close()

    def run_line(self, line, expect, timeout=20):
        return self.m.run_line(line, expect, timeout, clear=True)

    def test_1_dhcp_and_ifconfig(self):
        self.run_line("ifconfig",
                      r"inet 10\.0\.2\.15\s+netmask 255\.255\.255\.0\s+gateway 10\.0\.2\.2")
        screen = self.m.screen_text()
        self.assertRegex(screen, r"net0: link up\s+mtu 1500")
        self.assertRegex(screen, rf"dns 10\.0\.2\.2")
        self.assertRegex(screen, r"ether 52:54:00:12:34:56")

    def test_2_ping(self):
        self.run_line("ping -c 3 10.0.2.2",
                      r"3 packets transmitted, 3 received, 0% packet loss", timeout=30)
        self.assertRegex(self.m.screen_text(), r"64 bytes from 10\.0\.2\.2: seq=3 ttl=\d+ time=")

    def test_3_names_through_the_hosts_dnsmasq(self):
        self.run_line("host gopher.parley.test", r"gopher\.parley\.test has address 10\.0\.2\.2")
        self.run_line("host nosuch.parley.test", r"host: nosuch\.parley\.test: host not found")
        self.assertIn("query[A] gopher.parley.test", self.host.log("dns"))

    def test_4_download_and_send_back(self):
        url = f"http://www.parley.test:{self.host.http_port}/big.bin"
        self.run_line(f"fetch -o big.bin {url}", r"fetch: 4194304 bytes in [\d.]+ s", timeout=90)
        self.assertEqual(hostnet.send_back(self.m, "big.bin", len(BIG), timeout=90),
                         hashlib.sha256(BIG).hexdigest(), "the file came back different")

    def test_5_nc_both_ways(self):
        port = hostnet.free_port()
        host_nc = hostnet.host_nc_listen(port, b"greetings-from-the-host\n",
                                         self.host.tmp / "nc.log")
        try:
            # nc ends when the host hangs up, though its stdin thread still reads the console.
            self.run_line(f"nc 10.0.2.2 {port}", r"(?m)^greetings-from-the-host\s*$", timeout=30)
            self.m.wait_screen(ALICE)
            self.run_line("echo console-still-reads", r"(?m)^console-still-reads\s*$")
            self.assertEqual(host_nc.wait(timeout=20), 0)
        finally:
            host_nc.kill()
            host_nc.wait()

        # The guest listens; the host reaches it through the QEMU forward.
        self.m.run_line(f"echo from-guest | nc -l {GUEST_LISTEN_PORT} > in.txt", r"nc -l")
        got = b""
        end = time.monotonic() + 30
        while b"from-guest\n" not in got and time.monotonic() < end:
            got = b""
            with socket.create_connection(("127.0.0.1", self.forward_port), timeout=5) as s:
                s.settimeout(2)
                try:
                    while b"from-guest\n" not in got:
                        data = s.recv(100)
                        if not data:
                            break  # not listening yet: slirp closed us
                        got += data
                except socket.timeout:
                    pass
                if b"from-guest\n" in got:
                    s.sendall(b"from-the-host-to-the-listener\n")
            if b"from-guest\n" not in got:
                time.sleep(0.2)
        self.assertIn(b"from-guest\n", got)
        self.m.wait_screen(ALICE, timeout=20)
        self.run_line("cat in.txt", r"(?m)^from-the-host-to-the-listener\s*$")

    def test_6_errors_a_user_meets(self):
        closed = hostnet.free_port()
        self.run_line(f"nc 10.0.2.2 {closed}", rf"nc: 10\.0\.2\.2:{closed}: connection refused",
                      timeout=30)
        self.run_line(f"fetch http://10.0.2.2:{self.host.http_port}/missing",
                      r"fetch: HTTP 404", timeout=30)
        dying = CutOffServer()
        dying.start()
        self.run_line(f"fetch -o part.bin http://10.0.2.2:{dying.port}/x; echo status $?",
                      r"(?m)^status 1\s*$", timeout=40)
        self.assertRegex(self.m.screen_text(),
                         r"fetch: (connection closed after 5000 of 1000000 bytes"
                         r"|.*connection reset by peer)")
        # A client that gave up waiting does not block its next request.
        quiet = hostnet.Listener(close_after_send=False)
        self.run_line(f"netwait 10.0.2.2 {quiet.port}",
                      r"netwait: first timed out, second timed out", timeout=30)
        self.assertNotIn("PANIC", self.m.serial_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
