"""tools/run, the newcomer's first command, as a newcomer runs it.

Without a terminal on stdout, tools/run boots with no screen and the
serial console on stdout (and in build/serial.log). Checked: --help
exits 0 and names the options, an unknown option exits 2 with a
message, and a boot (--restrict: the guest reaches nothing beyond
QEMU's own network services) reaches the login services on stdout and
in build/serial.log; with --trace the IPC trace is on. QEMU is stopped
by its PID (tools/run execs it).
"""

import re
import subprocess
import sys
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "tools" / "run"
READY = re.compile(r"auth: ready")


class Boot:
    """tools/run with its stdout and stderr read by threads."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([str(RUN), "--restrict", "-m", "128M", *args],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, errors="replace")
        self.out, self.err = [], []
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.append(line)

    def text(self):
        return "".join(self.out)

    def wait(self, pattern, timeout=90):
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no /{pattern}/ from tools/run:\n{self.text()[-3000:]}")
            time.sleep(0.2)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class RunTest(unittest.TestCase):
    def test_help_and_a_bad_option(self):
        shown = subprocess.run([str(RUN), "--help"], capture_output=True, text=True, timeout=30)
        self.assertEqual(shown.returncode, 0)
        for option in ("--gtk", "--serial", "--gdb", "--trace", "--restrict", "-m SIZE"):
            self.assertIn(option, shown.stdout)
        bad = subprocess.run([str(RUN), "--bogus"], capture_output=True, text=True, timeout=30)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("unknown option --bogus", bad.stderr)

    def test_boot_with_the_serial_console_on_stdout(self):
        boot = Boot()
        try:
            boot.wait(READY)
            self.assertIn("-netdev user,id=net0,restrict=on", "".join(boot.err))
        finally:
            boot.stop()
        self.assertNotIn("PANIC", boot.text())
        log = (parley.BUILD_DIR / "serial.log").read_text(errors="replace")
        self.assertRegex(log, READY)
        self.assertNotRegex(boot.text(), r"(?m)^IPC t=")

    def test_trace_turns_the_ipc_trace_on(self):
        boot = Boot("--trace")
        try:
            boot.wait(r"(?m)^IPC t=\d+ op=call ")
            boot.wait(READY)
        finally:
            boot.stop()


if __name__ == "__main__":
    unittest.main()
