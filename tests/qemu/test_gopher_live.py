"""gopher against a real gopher server, and two users on the network at once.

One machine, against servers on the host that this test starts and stops
(tests/harness/hostnet.py): gophernicus from Debian serving a small hole
(a menu, a sub-menu, text, a search script, a binary file), dnsmasq for
gopher.parley.test, and an HTTP server of our own that holds both halves
of a download until two connections are open at once.

alice browses with the gopher client (menus, follow, back, forward,
find, the address, a search, saving a binary that is then sent back and
compared, a bookmark); alice and bob then download at the same time from
two consoles, each a different file, and each sends theirs back to be
compared; and alice runs netflood, which opens connections until the
TCP/IP server refuses her (her session's quota), while bob still
downloads; netflood exits without closing them, and the server closes
them all the same (the kernel's peer-closed message).
"""

import hashlib
import os
import re
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
BOB = r"bob@parley:/home/bob\$ *$"
BLOB = os.urandom(200000)
STATUS = r"(?m)^gopher://[\w.]+:\d+/"

HOLE = {
    "gophermap": ("Welcome to the Parley test hole\n"
                  "1Documents\tdocs\n"
                  "0About this hole\tabout.txt\n"
                  "7Search the archive\t/cgi-bin/search\n"
                  "9A binary blob\tblob.bin\n"),
    "about.txt": "".join(f"about line {i}\n" for i in range(1, 61)) + "the-last-line\n",
    "docs/gophermap": "The docs menu\n0Notes\tnotes.txt\n",
    "docs/notes.txt": "notes-text-here\n",
    "blob.bin": BLOB,
    # gophernicus runs it with the query in QUERY_STRING.
    "cgi-bin/search*": ("#!/bin/sh\n"
                        "printf 'iResults for [%s]\\t\\terror.host\\t1\\r\\n' \"$QUERY_STRING\"\n"
                        "printf '0Found: about\\t/about.txt\\t10.0.2.2\\t%s\\r\\n' \"$SERVER_PORT\"\n"),
}


def established(port):
    """Host-side TCP connections to 127.0.0.1:port that are open (ESTABLISHED)."""
    want = f":{port:04X}"
    with open("/proc/net/tcp") as table:
        return sum(1 for line in table.readlines()[1:]
                   if line.split()[1].endswith(want) and line.split()[3] == "01")


class BarrierServer(threading.Thread):
    """HTTP: each download sends half its body, waits until `parties` are open, sends the rest.

    bodies: {path: bytes}, a different one for each user's download.
    """

    def __init__(self, bodies, parties=2):
        super().__init__(daemon=True)
        self.bodies = bodies
        self.barrier = threading.Barrier(parties, timeout=60)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.served = 0
        self.met = False

    def run(self):
        self.sock.settimeout(150)
        try:
            while True:
                conn, _ = self.sock.accept()
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()
        except OSError:
            pass

    def _serve(self, conn):
        with conn:
            try:
                conn.settimeout(60)
                request = b""
                while b"\r\n\r\n" not in request:
                    data = conn.recv(4096)
                    if not data:
                        return
                    request += data
                body = self.bodies[request.split()[1].decode()]
                half = len(body) // 2
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body)
                             + body[:half])
                self.barrier.wait()
                self.met = True
                conn.sendall(body[half:])
                self.served += 1
            except (OSError, threading.BrokenBarrierError):
                pass

    def close(self):
        self.sock.close()


class GopherLiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.host = hostnet.HostServers()
        cls.host.__enter__()
        cls.host.make_gopher(HOLE)
        cls.host.make_www({"small.txt": b"small-file-for-bob\n"})
        cls.m = parley.Machine(cmdline=cls.host.dns_cmdline(), timeout=175)
        cls.m.wait_serial(r"net: address 10\.0\.2\.15", timeout=60)
        cls.m.wait_screen(r"(?m)^login: *$", timeout=30)
        cls.m.log_in(1, "alice")

    @classmethod
    def tearDownClass(cls):
        cls.m.close()
        cls.host.close()

    def setUp(self):
        """Each test starts at alice's shell, even after one that failed in gopher."""
        self.m.send_key("alt-f1")
        if not re.search(ALICE, self.m.screen_text(), re.MULTILINE):
            self.m.send_key("q")
            self.m.wait_screen(ALICE)

    def bob(self):
        """Console 2, with bob logged in."""
        self.m.send_key("alt-f2")
        self.m.wait_screen(r"(?m)^login: *$|" + BOB)
        if not re.search(BOB, self.m.screen_text(), re.MULTILINE):
            self.m.log_in(2, "bob")

    def key(self, text, expect, timeout=20):
        self.m.type_text(text)
        return self.m.wait_screen(expect, timeout=timeout)

    def test_1_browse_search_and_save(self):
        port = self.host.gopher_port
        self.m.run_line(f"gopher gopher.parley.test:{port}",
                        r"(?m)^ +4 \[BIN\] A binary blob", timeout=30, clear=True)
        screen = self.m.screen_text()
        self.assertRegex(screen, r"(?m)^ {10}Welcome to the Parley test hole")
        self.assertRegex(screen, r"(?m)^  1 \[DIR\] Documents")
        self.assertRegex(screen, r"(?m)^  2 \[TXT\] About this hole")
        self.assertRegex(screen, r"(?m)^  3 \[\?\] Search the archive")
        self.assertRegex(screen, STATUS + r"1 ")

        self.key("1\n", r"(?m)^  1 \[TXT\] Notes")
        self.assertRegex(self.m.screen_text(), STATUS + r"1/docs ")
        self.key("1\n", r"(?m)^notes-text-here")
        self.key("b", r"(?m)^  1 \[TXT\] Notes")
        self.key("b", r"(?m)^ {10}Welcome to the Parley test hole")
        self.key("f", r"(?m)^  1 \[TXT\] Notes")
        self.key("b", r"(?m)^ {10}Welcome to the Parley test hole")

        # A long text document: paging and finding.
        self.key("2\n", r"(?m)^about line 1\s*$")
        self.assertNotIn("the-last-line", self.m.screen_text())
        self.key(" ", r"(?m)\Aabout line 25\s*$")
        self.m.send_key("end")
        self.m.wait_screen(r"(?m)^the-last-line")
        self.key("/", r"Find: ")
        self.key("line 7\n", r"found on row 7")
        self.key("=", r"page: gopher://[\w.]+:\d+/0/about\.txt")
        self.key("b", r"(?m)^ {10}Welcome to the Parley test hole")

        # A search: the query reaches the server's script.
        self.key("3\n", r"Search: ")
        self.key("two words\n", r"(?m)^ {10}Results for \[two words\]")
        self.assertRegex(self.m.screen_text(), STATUS + r"7/cgi-bin/search%09two%20words ")
        self.key("1\n", r"(?m)^about line 1\s*$")
        self.key("b", r"Results for \[two words\]")
        self.key("b", r"(?m)^ {10}Welcome to the Parley test hole")

        # A binary item is saved, never shown.
        self.key("4\n", r"Save as: ")
        self.key("\n", r"saved 200000 bytes to blob\.bin")
        self.key("a", r"bookmarked: ")
        self.key("B", r"(?m)^  1 \[DIR\] ")
        self.key("q", ALICE)

        self.assertEqual(hostnet.send_back(self.m, "blob.bin", len(BLOB)),
                         hashlib.sha256(BLOB).hexdigest(), "the saved binary differs")
        self.m.run_line("cat .gopher-bookmarks", r"(10\.0\.2\.2|gopher\.parley\.test)\s+\d+", clear=True)

    def test_2_errors_in_the_browser(self):
        closed = hostnet.free_port()
        self.m.run_line(f"gopher 10.0.2.2:{closed}",
                        rf"10\.0\.2\.2:{closed}: connection refused", timeout=30, clear=True)
        self.key("g", r"Go to: ")
        self.key("nosuch.parley.test\n", r"nosuch\.parley\.test:70: host not found", timeout=30)
        self.key("q", ALICE)
        self.m.run_line("gopher ftp://x", r"not a gopher address: ftp://x", clear=True)

    def send_back(self, name, expected):
        """The guest sends file `name` to a host listener; it must be `expected`, byte for byte."""
        self.assertEqual(hostnet.send_back(self.m, name, len(expected)),
                         hashlib.sha256(expected).hexdigest(), f"{name} is not what was served")

    def test_3_two_users_download_at_once(self):
        bodies = {"/a": os.urandom(1 << 20), "/b": os.urandom(1 << 20)}
        server = BarrierServer(bodies)
        server.start()
        self.bob()
        self.m.send_key("alt-f1")
        self.m.wait_screen(ALICE)
        self.m.run_line(f"fetch -o a http://10.0.2.2:{server.port}/a; echo alice $?", r"fetch -o a",
                        clear=True)
        self.m.send_key("alt-f2")
        self.m.run_line(f"fetch -o b http://10.0.2.2:{server.port}/b; wc -c b",
                        r"(?m)^ *1048576 b\s*$", timeout=60)
        self.m.send_key("alt-f1")
        self.m.wait_screen(r"(?m)^alice 0\s*$", timeout=30)
        self.assertTrue(server.met, "the two downloads were never open at once")
        self.assertEqual(server.served, 2)
        server.close()
        # Each has exactly what was sent to them, nothing of the other's.
        self.send_back("a", bodies["/a"])
        self.m.send_key("alt-f2")
        self.m.wait_screen(BOB)
        self.send_back("b", bodies["/b"])

    def test_4_one_user_cannot_use_up_the_network(self):
        port = self.host.http_port
        self.m.send_key("alt-f1")
        self.m.run_line(f"netflood 10.0.2.2 {port} 20", r"netflood: \d+ connections open, the next: ",
                        timeout=90, clear=True)
        flood = re.search(r"netflood: (\d+) connections open, the next: (.*\S)",
                          self.m.screen_text())
        print("alice's flood:", flood.group(0), file=sys.stderr)
        # One login session's share of the server's table (NET_DIR_OBJECTS_MAX).
        self.assertLessEqual(int(flood.group(1)), 32)
        self.assertEqual(flood.group(2), "quota exceeded")
        self.assertGreater(established(port), 20, "the flood's connections are not open")
        self.bob()
        self.m.run_line(f"fetch http://10.0.2.2:{port}/small.txt", r"(?m)^small-file-for-bob\s*$",
                        timeout=30, clear=True)
        self.m.run_line("echo bob-works", r"(?m)^bob-works\s*$")
        self.m.send_key("alt-f1")
        self.m.wait_screen(r"netflood: done", timeout=60)
        # It exited without closing anything: the kernel told the TCP/IP
        # server, which closed every connection and gave the quota back.
        self.m.wait_screen(ALICE)
        deadline = time.monotonic() + 20
        while established(port) > 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(established(port), 0, "a dead program's connections stayed open")
        self.m.run_line(f"netflood 10.0.2.2 {port} 0",
                        r"netflood: 32 connections open, the next: quota exceeded",
                        timeout=90, clear=True)
        self.assertNotIn("PANIC", self.m.serial_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
