"""One Parley machine under QEMU, as the bridge drives it.

QEMU runs headless with tools/run's devices (an RTL8139 on the user
network, isa-debug-exit) and three unix sockets in the machine's private
directory (mode 0700): QMP, COM1 (the kernel's log and IPC trace) and
COM2 (the host control line, served in the guest by drivers/hostctl).
The bridge listens on the two serial sockets before QEMU starts and QEMU
connects to them, so not a byte of the boot log is missed.

Everything a page should see is handed to `emit(message)` as a dict:
the screen when its bytes change, serial lines and trace events in
batches every FLUSH_S, statistics about once a second while anyone
watches, and the machine's state. A newly opened page asks snapshot()
for the current picture.
"""

import asyncio
import base64
import collections
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from . import hoststats, livetrace, screen
from .qmp import QMP, QMPError

QEMU = "qemu-system-x86_64"
SCREEN_POLL_S = 0.05  # 20 looks a second; a page is sent only what changed
FLUSH_S = 0.1
STATS_S = 1.0
STATS_TIMEOUT_S = 3.0
SERIAL_KEEP = 2000
SNAPSHOT_LINES = 500
SNAPSHOT_EVENTS = 500
KEY_HOLD_MS = 30
KEY_GAP_S = 0.015


class Machine:
    """A QEMU instance that can be stopped, reset and booted again."""

    def __init__(self, number, iso_for, memory="256M", restrict=False, emit=None):
        self.number = number
        self.iso_for = iso_for  # trace: bool -> path of the ISO to boot
        self.memory = memory
        self.restrict = restrict
        self.emit = emit or (lambda message: None)
        self.dir = Path(tempfile.mkdtemp(prefix=f"parley-web-{number}-"))
        os.chmod(self.dir, 0o700)
        self.log = open(self.dir / "serial.log", "ab")
        self.serial = collections.deque(maxlen=SERIAL_KEEP)
        self.trace = livetrace.LiveTrace()
        self.keys = asyncio.Queue()
        self.proc = self.qmp = None
        self.com2 = None
        self.servers = []
        self.tasks = []
        self.state = "stopped"
        self.exit_status = None
        self.trace_boot = False
        self.trace_on = False
        self.hostctl_ready = False
        self.screen_bytes = b""
        self.stats = None
        self.watchers = 0
        self.pending_lines, self.pending_events = [], []
        self.report = self.last_report = None
        self.report_asked = 0.0

    # --- Life -----------------------------------------------------------

    async def start(self, trace=False):
        """Boots (or boots again) with the IPC trace on from the start if `trace`."""
        await self.stop_qemu()
        self.trace_boot = trace
        self.trace_on = trace
        self.hostctl_ready = False
        self.trace = livetrace.LiveTrace()
        if not self.servers:
            for name in ("com1", "com2"):
                path = self.dir / f"{name}.sock"
                handler = self._com1 if name == "com1" else self._com2
                self.servers.append(await asyncio.start_unix_server(handler, str(path)))
            self.tasks += [asyncio.create_task(self._poll_screen()),
                           asyncio.create_task(self._flush()),
                           asyncio.create_task(self._poll_stats()),
                           asyncio.create_task(self._type_keys())]
        iso = await asyncio.get_running_loop().run_in_executor(None, self.iso_for, trace)
        qmp_path = self.dir / "qmp.sock"
        if qmp_path.exists():
            qmp_path.unlink()
        net = "user,id=net0" + (",restrict=on" if self.restrict else "")
        args = [QEMU, "-m", self.memory, "-cdrom", str(iso), "-display", "none",
                "-chardev", f"socket,id=com1,path={self.dir / 'com1.sock'}",
                "-serial", "chardev:com1",
                "-chardev", f"socket,id=com2,path={self.dir / 'com2.sock'}",
                "-serial", "chardev:com2",
                "-qmp", f"unix:{qmp_path},server=on,wait=off",
                "-netdev", net, "-device", "rtl8139,netdev=net0",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        self.proc = await asyncio.create_subprocess_exec(
            *args, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=open(self.dir / "qemu.log", "ab"), start_new_session=True)
        self.exit_status = None
        self.qmp = QMP()
        await self.qmp.connect(qmp_path, alive=lambda: self.proc.returncode is None)
        self._set_state("running")
        self.tasks.append(asyncio.create_task(self._wait_exit(self.proc)))

    async def _wait_exit(self, proc):
        status = await proc.wait()
        if proc is self.proc:
            self.exit_status = status
            self.qmp.close()
            self.qmp = None
            self._set_state("stopped")

    async def stop_qemu(self):
        proc, self.proc = self.proc, None
        if self.qmp is not None:
            self.qmp.close()
            self.qmp = None
        if proc is not None and proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
        self.screen_bytes = b""

    async def close(self):
        """Stops QEMU and everything of this machine, and removes its directory."""
        await self.stop_qemu()
        for task in self.tasks:
            task.cancel()
        for server in self.servers:
            server.close()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _set_state(self, state):
        self.state = state
        self.emit(self.machine_message())

    def machine_message(self):
        return {"type": "machine", "number": self.number, "state": self.state,
                "exit_status": self.exit_status, "trace_boot": self.trace_boot,
                "trace_on": self.trace_on, "hostctl": self.hostctl_ready}

    # --- What a page asks ------------------------------------------------

    async def control(self, action):
        """pause, resume, reset, boot (normal) or boot-trace. Returns an error text or None."""
        if action in ("boot", "boot-trace"):
            await self.start(trace=action == "boot-trace")
        elif action == "reset" and self.state == "stopped":
            await self.start(trace=self.trace_boot)
        elif self.qmp is None:
            return "the machine is not running"
        elif action == "pause":
            await self.qmp.execute("stop")
            self._set_state("paused")
        elif action == "resume":
            await self.qmp.execute("cont")
            self._set_state("running")
        elif action == "reset":
            self.hostctl_ready = False
            self.trace_on = self.trace_boot
            await self.qmp.execute("system_reset")
            if self.state == "paused":
                await self.qmp.execute("cont")
            self._set_state("running")
        else:
            return f"unknown action {action!r}"
        return None

    def press(self, qcodes):
        self.keys.put_nowait(qcodes)

    def set_trace(self, on):
        """Asks hostctl to switch the kernel's IPC trace; its answer is broadcast."""
        if self.com2 is None or not self.hostctl_ready:
            return "the host control line is not ready (hostctl has not said hello)"
        self.com2.write(b"trace on\n" if on else b"trace off\n")
        return None

    async def screenshot(self):
        """The screen as QEMU draws it, as PNG bytes."""
        if self.qmp is None:
            raise QMPError("the machine is not running")
        path = self.dir / "screenshot.png"
        await self.qmp.execute("screendump", filename=str(path), format="png")
        return path.read_bytes()

    def snapshot(self):
        """Everything a newly opened page needs to draw at once."""
        out = [self.machine_message(),
               {"type": "serial", "lines": list(self.serial)[-SNAPSHOT_LINES:]},
               {"type": "trace", "events": self.trace.recent(SNAPSHOT_EVENTS), "reset": True}]
        if self.screen_bytes:
            out.append(self.screen_message())
        if self.stats is not None:
            out.append(self.stats)
        return out

    def screen_message(self):
        data = self.screen_bytes
        return {"type": "screen", "rows": screen.rows(data),
                "attrs": base64.b64encode(data[1:screen.CELLS * 2:2]).decode(),
                "cursor": screen.cursor(data)}

    # --- Loops ------------------------------------------------------------

    async def _poll_screen(self):
        dump = self.dir / "vga.bin"
        while True:
            await asyncio.sleep(SCREEN_POLL_S)
            if self.qmp is None or self.state != "running":
                continue
            try:
                await self.qmp.execute("pmemsave", val=screen.BASE, size=screen.SCREEN_BYTES,
                                       filename=str(dump))
                data = dump.read_bytes()
            except (QMPError, OSError, ConnectionError):
                continue
            if data != self.screen_bytes:
                self.screen_bytes = data
                self.emit(self.screen_message())

    async def _flush(self):
        while True:
            await asyncio.sleep(FLUSH_S)
            if self.pending_lines:
                lines, self.pending_lines = self.pending_lines, []
                self.emit({"type": "serial", "lines": lines})
            if self.pending_events:
                events, self.pending_events = self.pending_events, []
                self.emit({"type": "trace", "events": events})

    async def _poll_stats(self):
        while True:
            await asyncio.sleep(STATS_S)
            if self.watchers == 0 or self.com2 is None or not self.hostctl_ready:
                continue
            if self.state != "running":
                continue
            if self.report is not None and time.monotonic() - self.report_asked < STATS_TIMEOUT_S:
                continue
            self.report = hoststats.Report()
            self.report_asked = time.monotonic()
            self.com2.write(b"stats\n")
            if self.trace.count:
                self.emit({"type": "pairs", **self.trace.table()})

    async def _type_keys(self):
        while True:
            qcodes = await self.keys.get()
            while self.state == "paused":  # a paused machine gets its keys on resume
                await asyncio.sleep(SCREEN_POLL_S)
            if self.qmp is None or self.state != "running":
                continue
            try:
                await self.qmp.execute("send-key", keys=[{"type": "qcode", "data": q}
                                                         for q in qcodes],
                                       **{"hold-time": KEY_HOLD_MS})
            except (QMPError, ConnectionError):
                continue
            await asyncio.sleep(KEY_GAP_S)

    # --- Serial lines --------------------------------------------------

    async def _lines(self, reader, name, on_line):
        buffer = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            if name == "com1":
                self.log.write(chunk)
                self.log.flush()
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            for raw in complete:
                on_line(raw.rstrip(b"\r").decode("utf-8", errors="replace"))

    async def _com1(self, reader, writer):
        await self._lines(reader, "com1", self._serial_line)

    def _serial_line(self, line):
        self.serial.append(line)
        self.pending_lines.append(line)
        event = self.trace.feed(line)
        if event is not None:
            self.pending_events.append(event)

    async def _com2(self, reader, writer):
        self.com2 = writer
        try:
            await self._lines(reader, "com2", self._control_line)
        finally:
            if self.com2 is writer:
                self.com2 = None

    def _control_line(self, line):
        if line == "hello hostctl":
            self.hostctl_ready = True
            self.emit(self.machine_message())
        elif line in ("ok trace on", "ok trace off"):
            self.trace_on = line.endswith("on")
            self.emit(self.machine_message())
        elif line.startswith("error") and self.report is None:
            self.emit({"type": "notice", "text": f"hostctl: {line}"})
        elif self.report is not None:
            self.report.feed(line)
            if self.report.done:
                self.stats = {"type": "stats", **hoststats.figures(self.report, self.last_report)}
                self.last_report, self.report = self.report, None
                self.emit(self.stats)
