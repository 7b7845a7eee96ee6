"""Real network servers on the host, for tests that reach them from Parley.

The guest sees the host's 127.0.0.1 as 10.0.2.2 through QEMU's user-mode
network (slirp), so every server here binds 127.0.0.1 only, on a free
port chosen at start, and is stopped by PID when the `with` block ends
(or the test process dies: each child gets SIGKILL with its parent).
Nothing here ever talks to another address, and the guest is pointed at
the DNS server below by its kernel command line (`net.dns=10.0.2.2:PORT`,
see dns_cmdline), so it never queries slirp's forwarder at 10.0.2.3,
which would send queries off the machine.

  HostServers.http     python3 -m http.server serving a directory
  HostServers.gopher   gophernicus (Debian) per connection, inetd-style,
                       under a small acceptor thread here, as nobody
  HostServers.dns      dnsmasq (Debian) answering only names we give it
  HostServers.listener a one-shot TCP listener (a host `nc -l`)

All come from Debian packages that tools/deps installs.
"""

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import parley

GUEST_HOST = "10.0.2.2"  # the host, as the guest sees it


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def wait_listening(port, timeout=10.0):
    """Waits until something listens on 127.0.0.1:port, without connecting to it."""
    want = f"0100007F:{port:04X}"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with open("/proc/net/tcp") as table:
            for line in table.readlines()[1:]:
                fields = line.split()
                if fields[1] == want and fields[3] == "0A":  # 0A: LISTEN
                    return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def host_nc_listen(port, data, log):
    """A host `nc -l` (OpenBSD netcat from Debian) that sends `data` and hangs up; its output goes to `log`."""
    source = log.with_suffix(".in")
    source.write_bytes(data)
    with open(source, "rb") as stdin, open(log, "wb") as out:
        p = subprocess.Popen(["nc", "-N", "-l", "127.0.0.1", str(port)], stdin=stdin, stdout=out,
                             stderr=subprocess.STDOUT, preexec_fn=parley._die_with_parent)
    wait_listening(port)
    return p


def _as_nobody(cmd):
    """gophernicus refuses to run as root: drop to nobody when we are root."""
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
    return cmd


def _without_lsb_release(cmd):
    """gophernicus runs lsb_release (a Python script, about 20 ms) on every
    connection for its menu footer; as root, hide it in a private mount
    namespace (as the Linux anchor does) so a fetch costs what the server does."""
    lsb = shutil.which("lsb_release")
    if os.geteuid() != 0 or lsb is None or shutil.which("unshare") is None:
        return cmd
    return (["unshare", "--mount", "--propagation", "private", "sh", "-c",
             f'mount --bind /dev/null {lsb} && exec "$@"', "sh"] + cmd)


class _Inetd(threading.Thread):
    """Accepts on 127.0.0.1:port and runs cmd per connection with the socket as stdin/stdout."""

    def __init__(self, port, cmd):
        super().__init__(daemon=True)
        self.cmd = cmd
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.children = []
        self.stopped = False

    def run(self):
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            child = subprocess.Popen(self.cmd, stdin=conn, stdout=conn,
                                     stderr=subprocess.DEVNULL,
                                     preexec_fn=parley._die_with_parent)
            conn.close()
            self.children.append(child)
            self.children = [c for c in self.children if c.poll() is None]

    def stop(self):
        self.stopped = True
        self.sock.close()
        for c in self.children:
            if c.poll() is None:
                c.kill()
                c.wait()


class HostServers:
    """Starts the servers a network test needs; stops them all by PID on exit."""

    def __init__(self, http=True, gopher=True, dns=True, names=None):
        self.tmp = Path(tempfile.mkdtemp(prefix="parley-hostnet-"))
        self.procs = []
        self.inetd = None
        self.want = dict(http=http, gopher=gopher, dns=dns)
        # name -> address for dnsmasq; every name points back at the host.
        self.names = names or {"gopher.parley.test": GUEST_HOST, "www.parley.test": GUEST_HOST}
        self.www = self.tmp / "www"
        self.gopher_root = self.tmp / "gopher"
        self.http_port = self.gopher_port = self.dns_port = None

    # Content

    def make_www(self, files):
        """files: {name: bytes}, served by the HTTP server."""
        self.www.mkdir(exist_ok=True)
        for name, data in files.items():
            (self.www / name).write_bytes(data)

    def make_gopher(self, files):
        """files: {relative path: bytes (or str)}; a name ending in '*' is made executable."""
        self.gopher_root.mkdir(exist_ok=True)
        for name, data in files.items():
            executable = name.endswith("*")
            path = self.gopher_root / name.rstrip("*")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode() if isinstance(data, str) else data)
            path.chmod(0o755 if executable else 0o644)
        for d in [self.gopher_root] + [p for p in self.gopher_root.rglob("*") if p.is_dir()]:
            d.chmod(0o755)
        self.tmp.chmod(0o755)

    # Lifetime

    def __enter__(self):
        try:
            if self.want["http"]:
                self._start_http()
            if self.want["gopher"]:
                self._start_gopher()
            if self.want["dns"]:
                self._start_dns()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _spawn(self, name, cmd, **kw):
        log = open(self.tmp / f"{name}.log", "wb")
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                             preexec_fn=parley._die_with_parent, **kw)
        log.close()
        self.procs.append((name, p))
        return p

    def _start_http(self):
        self.www.mkdir(exist_ok=True)
        self.http_port = free_port()
        self._spawn("http", ["python3", "-m", "http.server", str(self.http_port),
                             "--bind", "127.0.0.1", "--directory", str(self.www)])
        wait_port(self.http_port)

    def _start_gopher(self):
        if not self.gopher_root.exists():
            self.make_gopher({"gophermap": "iempty\t\t\t\n"})
        self.gopher_port = free_port()
        cmd = _without_lsb_release(_as_nobody([
            "/usr/sbin/gophernicus", "-r", str(self.gopher_root), "-h", GUEST_HOST,
            "-p", str(self.gopher_port), "-nm", "-ns", "-nd", "-nv"]))
        self.inetd = _Inetd(self.gopher_port, cmd)
        self.inetd.start()
        wait_port(self.gopher_port)

    def _start_dns(self):
        self.dns_port = free_port(socket.SOCK_DGRAM)
        records = [f"--host-record={name},{addr}" for name, addr in self.names.items()]
        self._spawn("dns", ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                            "--no-poll", "--bind-interfaces", "--local=/parley.test/",
                            "--listen-address=127.0.0.1",
                            f"--port={self.dns_port}", "--user=nobody", "--group=nogroup",
                            "--pid-file=", "--log-queries", "--log-facility=-"] + records)
        self._wait_dns()

    def _wait_dns(self, timeout=10.0):
        """Waits until dnsmasq answers a query (any answer)."""
        query = (b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                 b"\x04test\x00\x00\x01\x00\x01")
        end = time.monotonic() + timeout
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.2)
            while time.monotonic() < end:
                s.sendto(query, ("127.0.0.1", self.dns_port))
                try:
                    s.recvfrom(512)
                    return
                except OSError:
                    pass
        raise AssertionError(f"dnsmasq does not answer on 127.0.0.1:{self.dns_port}:\n"
                             + self.log("dns"))

    def log(self, name):
        try:
            return (self.tmp / f"{name}.log").read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def dns_cmdline(self):
        """The kernel argument that points the guest's resolver at our dnsmasq."""
        return f"net.dns={GUEST_HOST}:{self.dns_port}"

    def close(self):
        if self.inetd is not None:
            self.inetd.stop()
            self.inetd = None
        for _, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.procs = []
        shutil.rmtree(self.tmp, ignore_errors=True)


class Listener:
    """A one-shot TCP listener on 127.0.0.1 (what a host `nc -l` does), in a thread.

    It sends `send` to the first connection (and closes it, unless
    close_after_send is False), then keeps what comes in
    `received` until the peer closes or, with `expect`, until that many
    bytes have come (then it closes: /net has no half-close, so a guest
    nc sending a file waits for the peer to close).
    """

    def __init__(self, send=b"", close_after_send=True, expect=None):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.received = b""
        self.send = send
        self.close_after_send = close_after_send
        self.expect = expect
        self.done = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            self.sock.settimeout(120)
            conn, _ = self.sock.accept()
            with conn:
                if self.send:
                    conn.sendall(self.send)
                    if self.close_after_send:
                        return
                conn.settimeout(60)
                while self.expect is None or len(self.received) < self.expect:
                    data = conn.recv(65536)
                    if not data:
                        break
                    self.received += data
        except OSError:
            pass
        finally:
            self.done.set()
            self.sock.close()


def send_back(m, name, length, timeout=60):
    """Has the guest send file `name` (at a shell prompt) to a host listener
    with `nc`; returns the sha256 hex digest of the `length` bytes that came."""
    back = Listener(expect=length)
    m.run_line(f"nc {GUEST_HOST} {back.port} < {name}", r"\$ *$", timeout=timeout, clear=True)
    if not back.done.wait(30):
        raise AssertionError(f"{name}: the host listener got {len(back.received)} bytes, "
                             f"not {length}")
    return hashlib.sha256(back.received).hexdigest()
