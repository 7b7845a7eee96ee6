"""Boot Parley under QEMU and drive it from Python tests.

This is the one place that knows how to start QEMU headless, read the
kernel's serial log, look at the VGA text screen, press keys and collect
the exit status. The integration tests in tests/qemu and tools/bench use
it; nothing else should build a QEMU command line of its own.

A Machine starts QEMU as soon as it is created and always kills it when
the `with` block ends, when its own deadline passes, or when the test
process dies, so a hung guest fails a test instead of hanging CI. The
kernel reports test results through the isa-debug-exit device: writing V
to port 0xf4 makes QEMU exit with status (V << 1) | 1, so the kernel's
0x10 (pass) and 0x11 (fail or panic) become EXIT_PASS and EXIT_FAIL.

make_iso(cmdline) builds a variant of build/parley.iso whose default
GRUB entry passes extra words on the kernel command line (`test=mm`,
`trace=ipc`), cached under build/test-isos/.

Set PARLEY_BUILD_DIR to use a build tree other than <repo>/build, and
PARLEY_KEEP_TMP=1 to keep each machine's temporary directory (serial log,
QEMU output) for a post-mortem.
"""

import ctypes
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("PARLEY_BUILD_DIR", REPO_ROOT / "build"))
DEFAULT_ISO = BUILD_DIR / "parley.iso"
ISO_STAGING_DIR = BUILD_DIR / "iso"
TEST_ISO_DIR = BUILD_DIR / "test-isos"

QEMU = "qemu-system-x86_64"

# isa-debug-exit turns the kernel's `out 0xf4, V` into exit status (V<<1)|1.
EXIT_PASS = (0x10 << 1) | 1  # 33
EXIT_FAIL = (0x11 << 1) | 1  # 35

# The VGA text screen: 80x25 cells of (character, attribute) at 0xB8000.
VGA_TEXT_BASE = 0xB8000
SCREEN_COLS = 80
SCREEN_ROWS = 25

SERIAL_TAIL_LINES = 40

# The start of every kernel log line: "[    0.001234] info  ". Seconds with
# six decimals right-aligned in 12 columns, then the level padded to 5.
LOG_PREFIX = r"\[[ 0-9]{4}[0-9]\.[0-9]{6}\] (?:debug|info |warn |error|panic) "


# --- Building ISO variants ---------------------------------------------


def _rewrite_grub_cfg(text, cmdline):
    """Append cmdline to the first Parley kernel line and boot it at once."""
    lines = text.splitlines()
    kernel_line = re.compile(r"^(\s*multiboot2\s+/boot/parley\.elf\b.*?)\s*$")
    for i, line in enumerate(lines):
        m = kernel_line.match(line)
        if m:
            lines[i] = m.group(1) + (" " + cmdline if cmdline else "")
            break
    else:
        raise RuntimeError("grub.cfg has no 'multiboot2 /boot/parley.elf' line")
    # Drop any menu settings and put ours first: no menu delay, and the
    # entry we just changed (the first one) is the one that boots.
    lines = [l for l in lines if not re.match(r"^\s*set\s+(timeout|default)=", l)]
    return "\n".join(["set timeout=0", "set default=0"] + lines) + "\n"


def make_iso(cmdline, base_iso=None):
    """Return the path of an ISO that boots Parley with `cmdline` appended.

    The ISO is built from the staging tree the CMake build leaves in
    build/iso and cached under build/test-isos, named by a hash of the
    command line and the modification time of build/parley.iso, so a
    rebuild of the kernel invalidates it (and the stale file is removed). Safe to call from tests running in parallel:
    each build writes a temporary file and renames it into place.
    """
    base_iso = Path(base_iso or DEFAULT_ISO)
    if not base_iso.exists():
        raise FileNotFoundError(
            f"{base_iso} not found; build it first (tools/test or "
            f"cmake --build {BUILD_DIR})")
    if not (ISO_STAGING_DIR / "boot" / "grub" / "grub.cfg").exists():
        raise FileNotFoundError(f"no ISO staging tree at {ISO_STAGING_DIR}")
    cmd_key = hashlib.sha256(cmdline.encode()).hexdigest()[:16]
    out = TEST_ISO_DIR / f"parley-{cmd_key}-{base_iso.stat().st_mtime_ns}.iso"
    if out.exists():
        return out

    TEST_ISO_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="parley-iso-") as tmp:
        tree = Path(tmp) / "iso"
        shutil.copytree(ISO_STAGING_DIR, tree)
        cfg = tree / "boot" / "grub" / "grub.cfg"
        cfg.write_text(_rewrite_grub_cfg(cfg.read_text(), cmdline))
        partial = Path(tmp) / "out.iso"
        result = subprocess.run(
            ["grub-mkrescue", "-o", str(partial), str(tree)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0 or not partial.exists():
            raise RuntimeError(
                f"grub-mkrescue failed (status {result.returncode}):\n"
                f"{result.stdout}")
        # Copy beside the target, then rename: readers never see half a file.
        staged = out.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(partial, staged)
        os.replace(staged, out)
    # Variants of an older build/parley.iso are stale now.
    for old in TEST_ISO_DIR.glob(f"parley-{cmd_key}-*.iso"):
        if old != out:
            old.unlink(missing_ok=True)
    return out


# --- QMP, QEMU's JSON control protocol ---------------------------------


class QMP:
    """A minimal QMP client over a unix socket.

    QMP speaks one JSON object per line. After connecting we read the
    greeting and enable commands with qmp_capabilities; each command then
    gets a "return" or "error" reply, possibly after asynchronous "event"
    messages, which we skip.
    """

    def __init__(self, path, deadline, alive):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(path))
                break
            except (FileNotFoundError, ConnectionRefusedError):
                self.sock.close()
                if not alive():
                    raise AssertionError("QEMU exited before QMP was ready")
                if time.monotonic() > deadline:
                    raise AssertionError(f"QMP socket {path} never appeared")
                time.sleep(0.02)
        self.sock.settimeout(max(1.0, deadline - time.monotonic()))
        self.file = self.sock.makefile("rb")
        greeting = self._read()
        if "QMP" not in greeting:
            raise RuntimeError(f"unexpected QMP greeting: {greeting}")
        self.execute("qmp_capabilities")

    def _read(self):
        line = self.file.readline()
        if not line:
            raise ConnectionError("QMP connection closed (QEMU exited?)")
        return json.loads(line)

    def execute(self, command, **arguments):
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self._read()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError(f"QMP {command} failed: {reply['error']}")
            # Anything else is an asynchronous event; keep waiting.

    def close(self):
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


# --- Keyboard: characters to QEMU qcodes (US layout) --------------------

_UNSHIFTED = {
    " ": "spc", "\n": "ret", "\t": "tab", "\b": "backspace",
    "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right",
    "\\": "backslash", ";": "semicolon", "'": "apostrophe", ",": "comma",
    ".": "dot", "/": "slash", "`": "grave_accent",
}
_SHIFTED = {
    "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7",
    "*": "8", "(": "9", ")": "0", "_": "minus", "+": "equal",
    "{": "bracket_left", "}": "bracket_right", "|": "backslash",
    ":": "semicolon", '"': "apostrophe", "<": "comma", ">": "dot",
    "?": "slash", "~": "grave_accent",
}


def keys_for_char(ch):
    """The qcodes pressed together to type `ch` on a US keyboard."""
    if ch.isascii() and (ch.islower() or ch.isdigit()):
        return [ch]
    if ch.isascii() and ch.isupper():
        return ["shift", ch.lower()]
    if ch in _UNSHIFTED:
        return [_UNSHIFTED[ch]]
    if ch in _SHIFTED:
        return ["shift", _SHIFTED[ch]]
    raise ValueError(f"no key for character {ch!r}")


# --- VGA text: code page 437 --------------------------------------------

# Python's cp437 codec maps 0x00-0x1f and 0x7f to control characters; the
# VGA font draws glyphs there instead. Cell value 0 is a blank.
_CP437_LOW = " ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼"


def _cp437(byte):
    if byte < 0x20:
        return _CP437_LOW[byte]
    if byte == 0x7F:
        return "⌂"
    return bytes([byte]).decode("cp437")


def cp437_text(data):
    """The characters the VGA font draws for the bytes `data` (tools/web uses it too)."""
    return "".join(_cp437(b) for b in data)


# --- The machine ---------------------------------------------------------


# Looked up once here, not in the forked child, which should do as little
# as possible before exec.
_prctl = ctypes.CDLL(None, use_errno=True).prctl
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the QEMU child: get SIGKILL when the thread that started us dies.

    This is what stops a killed test run (ctest's TIMEOUT, Ctrl-C) from
    leaving QEMU behind. Create Machines from a thread that outlives them.
    """
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Machine:
    """One QEMU running a Parley ISO, headless.

    QEMU starts in the constructor; `started_at` is time.monotonic() just
    before it was spawned. Every wait is also bounded by `timeout`, the
    whole machine's lifetime, after which QEMU is killed. With
    debug_exit=False there is no isa-debug-exit device, so the kernel's
    exit request is ignored and the machine stays up to be inspected.
    net_options are added to QEMU's user network (e.g.
    "hostfwd=tcp:127.0.0.1:PORT-:7000" to reach a guest listener).
    """

    def __init__(self, iso=None, cmdline=None, memory="128M", extra_args=(),
                 timeout=60, debug_exit=True, key_delay=0.05,
                 poll_interval=0.05, net_options=""):
        if cmdline is not None:
            iso = make_iso(cmdline, iso)
        self.iso = Path(iso or DEFAULT_ISO)
        if not self.iso.exists():
            raise FileNotFoundError(
                f"{self.iso} not found; build it first (tools/test or "
                f"cmake --build {BUILD_DIR})")
        self.key_delay = key_delay
        self.poll_interval = poll_interval
        self.tmp = Path(tempfile.mkdtemp(prefix="parley-qemu-"))
        self.serial_path = self.tmp / "serial.log"
        self.qmp_path = self.tmp / "qmp.sock"
        self.qemu_log_path = self.tmp / "qemu.log"
        self._qmp = None
        self.expired = False
        self.args = [
            QEMU, "-m", str(memory), "-cdrom", str(self.iso),
            "-display", "none", "-no-reboot",
            "-serial", f"file:{self.serial_path}",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
            "-netdev", "user,id=net0" + (f",{net_options}" if net_options else ""),
            "-device", "rtl8139,netdev=net0",
        ]
        if debug_exit:
            self.args += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        self.args += list(extra_args)
        qemu_log = open(self.qemu_log_path, "wb")
        self.started_at = time.monotonic()
        self.deadline = self.started_at + timeout
        self.proc = subprocess.Popen(
            self.args, stdin=subprocess.DEVNULL, stdout=qemu_log,
            stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        qemu_log.close()
        # The watchdog kills QEMU at the deadline even if the test is stuck
        # somewhere that does not check it.
        self.timeout = timeout
        self._watchdog = threading.Timer(timeout, self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()

    # Lifetime

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _expire(self):
        self.expired = True
        self.kill()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        """Kill QEMU and clean up; safe to call more than once."""
        self._watchdog.cancel()
        if self._qmp:
            self._qmp.close()
            self._qmp = None
        self.kill()
        if os.environ.get("PARLEY_KEEP_TMP"):
            print(f"parley: kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def running(self):
        return self.proc.poll() is None

    def _wait_until(self, timeout):
        """The monotonic time a wait of `timeout` seconds must end by."""
        end = self.deadline if timeout is None else time.monotonic() + timeout
        return min(end, self.deadline)

    def _timed_out(self, timeout, what):
        limit = f"{timeout:.1f}s" if timeout is not None else "the machine deadline"
        return AssertionError(self._report(f"timed out after {limit} {what}"))

    # Serial console

    def serial_text(self):
        try:
            return self.serial_path.read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def qemu_output(self):
        try:
            return self.qemu_log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def _report(self, what):
        """A failure message with what the machine said so far."""
        tail = "\n".join(self.serial_text().splitlines()[-SERIAL_TAIL_LINES:])
        if self.running():
            state = "still running"
        elif self.expired:
            state = f"killed at the machine's {self.timeout}s deadline"
        else:
            state = f"exited with status {self.proc.returncode}"
        msg = f"{what}\nQEMU {state}. Serial log (last lines):\n{tail}"
        out = self.qemu_output().strip()
        if out:
            msg += f"\nQEMU output:\n{out}"
        return msg

    def wait_serial(self, pattern, timeout=None):
        """Wait for regex `pattern` in the serial log; return the match."""
        regex = re.compile(pattern, re.MULTILINE)
        end = self._wait_until(timeout)
        while True:
            alive = self.running()
            m = regex.search(self.serial_text())
            if m:
                return m
            if not alive:
                raise AssertionError(self._report(
                    f"QEMU exited before serial matched /{pattern}/"))
            if time.monotonic() >= end:
                raise self._timed_out(timeout, f"waiting for serial /{pattern}/")
            time.sleep(self.poll_interval)

    # VGA text screen

    def qmp(self):
        if self._qmp is None:
            self._qmp = QMP(self.qmp_path, self.deadline, self.running)
        return self._qmp

    def screen(self):
        """The VGA text screen as 25 strings of 80 characters."""
        dump = self.tmp / "vga.bin"
        size = SCREEN_COLS * SCREEN_ROWS * 2
        self.qmp().execute("pmemsave", val=VGA_TEXT_BASE, size=size,
                           filename=str(dump))
        data = dump.read_bytes()
        chars = cp437_text(data[0::2])
        return [chars[r * SCREEN_COLS:(r + 1) * SCREEN_COLS]
                for r in range(SCREEN_ROWS)]

    def screen_text(self):
        return "\n".join(self.screen())

    def wait_screen(self, pattern, timeout=None):
        """Wait for regex `pattern` on the VGA screen; return the match."""
        regex = re.compile(pattern, re.MULTILINE)
        end = self._wait_until(timeout)
        text = ""
        while True:
            if not self.running():
                raise AssertionError(self._report(
                    f"QEMU exited before the screen matched /{pattern}/"))
            try:
                text = self.screen_text()
            except (ConnectionError, OSError):
                if self.running():
                    raise
                continue  # QEMU died under us; report it above.
            m = regex.search(text)
            if m:
                return m
            if time.monotonic() >= end:
                raise self._timed_out(
                    timeout, f"waiting for screen /{pattern}/\nScreen:\n{text}")
            time.sleep(max(self.poll_interval, 0.1))

    # Keyboard

    def send_key(self, keyname, hold_time_ms=50):
        """Press one key or a combination: "ret", "f2", "alt-f2", "ctrl-c"."""
        keys = [{"type": "qcode", "data": k} for k in keyname.split("-")]
        self.qmp().execute("send-key", keys=keys, **{"hold-time": hold_time_ms})
        time.sleep(self.key_delay)

    def type_text(self, text, hold_time_ms=50):
        """Type `text` on a US keyboard; "\\n" presses return."""
        for ch in text:
            self.send_key("-".join(keys_for_char(ch)), hold_time_ms=hold_time_ms)

    # A user at a console

    def log_in(self, console, name, password=None, prompt=None, timeout=40):
        """Switch to `console` (Alt+F<n>) and log in; wait for the shell's prompt.

        The password defaults to the name (the test accounts), the prompt
        to NAME@parley:HOME$ (# for root).
        """
        if prompt is None:
            prompt = (r"root@parley:/root# *$" if name == "root"
                      else rf"{name}@parley:/home/{name}\$ *$")
        self.send_key(f"alt-f{console}")
        self.wait_screen(rf"Parley login \(console {console}\)", timeout=20)
        self.wait_screen(r"(?m)^login: *$", timeout=20)
        self.type_text(name + "\n")
        self.wait_screen(r"Password: *$", timeout=20)
        self.type_text((name if password is None else password) + "\n")
        return self.wait_screen(prompt, timeout=timeout)

    def run_line(self, line, expect, timeout=20, clear=False):
        """Type `line` and Enter (after `clear` if asked); wait for `expect` on the screen."""
        if clear:
            self.type_text("clear\n")
        self.type_text(line + "\n")
        return self.wait_screen(expect, timeout=timeout)

    def run_on(self, console, line, expect, prompt, timeout=30):
        """At `console` (Alt+F<n>), clears the screen, types `line`, waits for
        `expect` and then for the shell's `prompt`; returns the match of `expect`."""
        self.send_key(f"alt-f{console}")
        self.run_line("clear", prompt)
        found = self.run_line(line, expect, timeout=timeout)
        self.wait_screen(prompt, timeout=timeout)
        return found

    # Exit

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit and return its status (see EXIT_PASS)."""
        end = self._wait_until(timeout)
        try:
            status = self.proc.wait(timeout=max(0.0, end - time.monotonic()))
        except subprocess.TimeoutExpired:
            err = self._timed_out(timeout, "waiting for QEMU to exit")
            self.kill()
            raise err from None
        if self.expired:
            raise AssertionError(self._report("QEMU did not exit by itself"))
        return status


# The boot image

def cpio_files(path):
    """{name: bytes} of the regular files in a newc cpio archive."""
    data = Path(path).read_bytes()
    files, pos = {}, 0
    while True:
        header = data[pos:pos + 110]
        assert header[:6] == b"070701", f"bad cpio header at {pos}"
        mode = int(header[14:22], 16)
        size = int(header[54:62], 16)
        name_size = int(header[94:102], 16)
        name = data[pos + 110:pos + 110 + name_size - 1].decode()
        pos += 110 + name_size
        pos += -pos % 4
        if name == "TRAILER!!!":
            return files
        if mode & 0o170000 == 0o100000:
            files[name] = data[pos:pos + size]
        pos += size
        pos += -pos % 4
