"""Unit tests of tools/web's bridge (tools/webconsole), without QEMU.

Run with Debian's Python, which has python3-aiohttp (tools/deps). The
browser test that boots Parley is tests/web/test_web.py.
"""

import asyncio
import struct
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from webconsole import hoststats, keys, livetrace, screen, server  # noqa: E402

CALL = ("IPC t=1000 op=call from=5:sh to=3:vfs ep=12 tag=0x601(NS_OPEN) w=[0x1,0,0,0] "
        "handles=0 mem=0p id=7")
REPLY = ("IPC t=4000 op=reply from=3:vfs to=5:sh ep=12 tag=0x0 w=[0,0,0,0] "
         "handles=1 mem=0p id=7")


class KeysTest(unittest.TestCase):
    def test_letters_digits_and_modifiers(self):
        self.assertEqual(keys.qcodes({"code": "KeyA"}), ["a"])
        self.assertEqual(keys.qcodes({"code": "Digit1", "shift": True}), ["shift", "1"])
        self.assertEqual(keys.qcodes({"code": "F2", "alt": True}), ["alt", "f2"])
        self.assertEqual(keys.qcodes({"code": "KeyC", "ctrl": True}), ["ctrl", "c"])

    def test_the_keys_the_issue_names(self):
        for code, qcode in (("Enter", "ret"), ("Backspace", "backspace"), ("ArrowUp", "up"),
                            ("PageUp", "pgup"), ("PageDown", "pgdn")):
            self.assertEqual(keys.qcodes({"code": code}), [qcode])

    def test_unknown_codes_and_odd_modifiers_are_refused_or_ignored(self):
        self.assertIsNone(keys.qcodes({"code": "Power"}))
        self.assertIsNone(keys.qcodes({"code": ["KeyA"]}))
        self.assertIsNone(keys.qcodes({}))
        self.assertEqual(keys.qcodes({"code": "KeyA", "ctrl": "yes"}), ["a"])


def cells(text, cursor=None, magic=screen.CURSOR_MAGIC):
    data = bytearray()
    for ch in text.ljust(screen.CELLS).encode("cp437"):
        data += bytes([ch, 0x07])
    data += struct.pack("<HH", magic, 0xFFFF if cursor is None else cursor)
    return bytes(data)


class ScreenTest(unittest.TestCase):
    def test_rows_and_cursor(self):
        data = cells("login: ", cursor=7)
        self.assertEqual(screen.rows(data)[0].rstrip(), "login:")
        self.assertEqual(len(screen.rows(data)), 25)
        self.assertEqual(screen.cursor(data), 7)

    def test_cp437_glyphs(self):
        data = bytearray(cells(""))
        data[0], data[2] = 0xC9, 0x01
        self.assertEqual(screen.rows(bytes(data))[0][:2], "╔☺")

    def test_hidden_or_unmirrored_cursor(self):
        self.assertIsNone(screen.cursor(cells("x")))
        self.assertIsNone(screen.cursor(cells("x", cursor=3, magic=0)))
        self.assertIsNone(screen.cursor(cells("x")[:4000]))


SYS = ("sys uptime_ns=2000000000 frames_total=100 frames_free=60 processes=2 threads=3 "
       "kernel_allocations=50 kernel_bytes=4096 tsc_hz=1000 idle_tsc=500 tsc=2000")
PROC = ("proc pid=5 parent=1 uid=1000 state=blocked threads=1 priority=1 pages=10 "
        "sent={sent} received=3 name=my prog name=x")


def report(sent, uptime_ns=2000000000, tsc=2000, idle=500):
    r = hoststats.Report()
    r.feed(SYS.replace("uptime_ns=2000000000", f"uptime_ns={uptime_ns}")
              .replace("tsc=2000", f"tsc={tsc}").replace("idle_tsc=500", f"idle_tsc={idle}"))
    r.feed(PROC.format(sent=sent))
    r.feed("end")
    return r


class StatsTest(unittest.TestCase):
    def test_a_report(self):
        r = report(7)
        self.assertTrue(r.done)
        self.assertEqual(r.errors, [])
        p = r.processes[0]
        self.assertEqual((p["pid"], p["uid"], p["state"], p["sent"]), (5, 1000, "blocked", 7))
        self.assertEqual(p["name"], "my prog name=x", "the name runs to the end of the line")
        f = hoststats.figures(r)
        self.assertEqual(f["processes"][0]["memory_kib"], 40)
        self.assertIsNone(f["system"]["ipc_per_s"], "a rate needs two reports")
        self.assertEqual(f["system"]["kernel_kib"], 4)

    def test_rates_from_two_reports(self):
        first = report(7)
        second = report(107, uptime_ns=2500000000, tsc=3000, idle=750)
        f = hoststats.figures(second, first)
        self.assertEqual(f["system"]["ipc_per_s"], 200)
        self.assertEqual(f["system"]["cpu_busy_percent"], 75)

    def test_bad_lines_are_reported_not_raised(self):
        r = hoststats.Report()
        r.feed("proc pid=x")
        r.feed("what is this")
        r.feed("error proc_info E_PERM")
        self.assertEqual(len(r.errors), 3)
        self.assertFalse(r.done)


class LiveTraceTest(unittest.TestCase):
    def test_call_and_reply(self):
        trace = livetrace.LiveTrace()
        self.assertIsNone(trace.feed("[    0.1] info  not a trace line"))
        call = trace.feed(CALL)
        reply = trace.feed(REPLY)
        self.assertEqual((call["op"], call["from"], call["to"], call["tag"]),
                         ("call", "5:sh", "3:vfs", "NS_OPEN"))
        self.assertEqual(reply["latency_ns"], 3000)
        self.assertEqual((call["status"], reply["status"]), ("", ""))
        failed = trace.feed(REPLY.replace("tag=0x0", "tag=0xfffffffffffffffb"))
        self.assertEqual(failed["status"], "E_NOENT")
        self.assertEqual((call["n"], reply["n"]), (1, 2))
        table = trace.table()
        row = next(r for r in table["rows"] if r["from"] == "5:sh")
        self.assertEqual((row["messages"], row["calls"], row["median_us"]), (1, 1, 3.0))

    def test_malformed_lines_are_counted(self):
        trace = livetrace.LiveTrace()
        self.assertIsNone(trace.feed("IPC garbage"))
        self.assertEqual(trace.malformed, 1)

    def test_unprintable_names_are_escaped(self):
        trace = livetrace.LiveTrace()
        event = trace.feed(CALL.replace("5:sh", "5:s\x1bh"))
        self.assertEqual(event["from"], "5:s\\x1bh")

    def test_recent_keeps_numbers(self):
        trace = livetrace.LiveTrace(keep=3)
        for i in range(5):
            trace.feed(CALL.replace("id=7", f"id={i}"))
        self.assertEqual([e["n"] for e in trace.recent(2)], [4, 5])
        self.assertEqual([e["n"] for e in trace.recent(10)], [3, 4, 5])


class FakeMachine:
    number = 1

    def __init__(self):
        self.pressed = []

    def snapshot(self):
        return [{"type": "machine", "number": 1, "state": "running"}]

    def press(self, qcodes):
        self.pressed.append(qcodes)

    watchers = 0


class FakePool(server.Pool):
    def __init__(self):
        super().__init__(iso_for=None)
        self.machine = FakeMachine()
        self.pages[self.machine] = set()
        self.shared = self.machine

    async def start(self):
        pass


class ServerTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.pool = FakePool()
        self.client = TestClient(TestServer(server.make_app(self.pool, "secret")))
        await self.client.start_server()

    async def asyncTearDown(self):
        await self.client.close()

    async def test_everything_needs_the_token(self):
        for path in ("/", "/static/app.js", "/screenshot.png", "/ws"):
            for query in ("", "?token=", "?token=wrong"):
                response = await self.client.get(path + query)
                self.assertEqual(response.status, 403, path + query)
        response = await self.client.get("/?token=secret")
        self.assertEqual(response.status, 200)
        self.assertIn("static/app.js?token=secret", await response.text())
        response = await self.client.get("/static/app.js?token=secret")
        self.assertEqual(response.status, 200)
        response = await self.client.get("/static/..%2Fserver.py?token=secret")
        self.assertEqual(response.status, 404)

    async def test_websocket_from_another_origin_is_refused(self):
        response = await self.client.get("/ws?token=secret",
                                         headers={"Origin": "http://evil.example"})
        self.assertEqual(response.status, 403)

    async def test_keys_reach_the_machine_and_bad_ones_get_a_notice(self):
        ws = await self.client.ws_connect("/ws?token=secret&visitor=a")
        first = await ws.receive_json(timeout=5)
        self.assertEqual(first["type"], "machine")
        await ws.send_json({"type": "key", "code": "KeyC", "ctrl": True})
        await ws.send_json({"type": "key", "code": "Power"})
        notice = await ws.receive_json(timeout=5)
        self.assertEqual(notice["type"], "notice")
        self.assertIn("Power", notice["text"])
        self.assertEqual(self.pool.machine.pressed, [["ctrl", "c"]])
        await ws.send_json({"type": "nonsense"})
        self.assertEqual((await ws.receive_json(timeout=5))["type"], "notice")
        await ws.close()

    async def test_a_slow_page_is_dropped_not_buffered_for_ever(self):
        ws = await self.client.ws_connect("/ws?token=secret&visitor=a")
        await ws.receive_json(timeout=5)
        page = next(iter(self.pool.pages[self.pool.machine]))
        for i in range(server.PAGE_QUEUE + 10):
            page.send({"type": "serial", "lines": [str(i)]})
        self.assertTrue(page.dropped)
        await asyncio.sleep(0)
        await ws.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
