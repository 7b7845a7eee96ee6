"""An asyncio client for QMP, QEMU's JSON control protocol.

QMP speaks one JSON object per line over a unix socket. After the
greeting, qmp_capabilities enables commands; each command then gets a
"return" or "error" reply, possibly after asynchronous "event" objects.
Commands are answered in order, so one lock serialises them and events
are handed to `on_event` as they come. tests/harness/parley.py has the
blocking twin of this client for the tests.
"""

import asyncio
import json


class QMPError(RuntimeError):
    pass


class QMP:
    def __init__(self, on_event=None):
        self.on_event = on_event
        self.reader = self.writer = None
        self.lock = asyncio.Lock()

    async def connect(self, path, timeout=10.0, alive=lambda: True):
        """Connects to QEMU's QMP socket at `path`, waiting for it to appear."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                self.reader, self.writer = await asyncio.open_unix_connection(str(path))
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if not alive() or loop.time() > deadline:
                    raise QMPError(f"QMP socket {path} never answered")
                await asyncio.sleep(0.02)
        greeting = await self._read()
        if "QMP" not in greeting:
            raise QMPError(f"unexpected QMP greeting: {greeting}")
        await self.execute("qmp_capabilities")

    async def _read(self):
        line = await self.reader.readline()
        if not line:
            raise QMPError("QMP connection closed (QEMU exited?)")
        return json.loads(line)

    async def execute(self, command, **arguments):
        message = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        async with self.lock:
            self.writer.write(json.dumps(message).encode() + b"\n")
            await self.writer.drain()
            while True:
                reply = await self._read()
                if "return" in reply:
                    return reply["return"]
                if "error" in reply:
                    raise QMPError(f"QMP {command}: {reply['error'].get('desc', reply['error'])}")
                if self.on_event is not None and "event" in reply:
                    self.on_event(reply)

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None
