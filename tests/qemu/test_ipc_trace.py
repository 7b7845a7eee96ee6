"""The kernel's IPC trace: one line per event, on from boot or per process.

Two boots:

  - with `trace=ipc` on the kernel command line, ipc-ping makes three
    echo calls to ipc-echo and ipc-xfer-client moves a region and a handle
    to ipc-xfer-server (after two tries refused with E_NOSPC). Every
    event must appear as one well-formed trace line with the right
    from/to/tag/words/handles/mem/id/err fields (docs/ipc-trace.md), each
    reply carrying its call's id; tools/ipctrace must read the log
    (list, stats, and the SVG and HTML diagrams);
  - without it, trace-toggle switches the trace on for itself with the
    trace capability (SYS_TRACE_SET), makes three calls, switches it off
    and makes three more: exactly the first three calls and their replies
    are traced.
"""

import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from userspace import (exit_statuses, parley, program_lines, run_programs, trace_events,
                       trace_lines)

IPCTRACE = parley.REPO_ROOT / "tools" / "ipctrace"
TEST_ECHO, TEST_XFER, TEST_PING, TEST_NULL = 0x101, 0x102, 0x103, 0x104
PING_WORD = 0x1ce0000  # ipc-ping's calls carry PING_WORD + i, i (i = 1..3)
TOGGLE_ON_WORD, TOGGLE_OFF_WORD = 0x7ace0000, 0x0ff00000  # trace-toggle's calls
XFER_PAGES = 16  # ipc-xfer-client's 64 KiB region
EVENTS = 15  # 3 calls + 3 replies of ipc-ping; 5 calls (2 refused), 3 replies, 1 send of ipc-xfer
ERRORS = 2


def started(log):
    """pid -> name of every process the kernel started."""
    return {int(pid): name for pid, name in
            re.findall(r"proc: started (\d+):(\S+) ", log)}


def pid_of(log, name):
    pids = [pid for pid, n in started(log).items() if n == name]
    assert len(pids) == 1, f"{name} started {len(pids)} times\n{log}"
    return pids[0]


class TraceFromBootTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log = run_programs(["ipc-echo@serve:e", "ipc-ping@use:e",
                                "ipc-xfer-server@serve:x", "ipc-xfer-client@use:x"],
                               extra="parallel=1 trace=ipc")
        cls.pids = {name: pid_of(cls.log, name) for name in
                    ("ipc-echo", "ipc-ping", "ipc-xfer-server", "ipc-xfer-client")}
        # Services init starts may talk too; these tests look at our programs' events.
        cls.events = [e for e in trace_events(cls.log)
                      if {e["from_pid"], e["to_pid"]} & set(cls.pids.values())]

    def between(self, sender, receiver, op=None):
        return [e for e in self.events
                if e["from_pid"] == self.pids[sender] and e["to_pid"] == self.pids.get(receiver)
                and (op is None or e["op"] == op)]

    def test_programs_ran(self):
        statuses = exit_statuses(self.log)
        for name in self.pids:
            self.assertEqual(statuses.get(name), [0], f"{name}\n{self.log}")

    def test_every_event_is_one_well_formed_line(self):
        # trace_events raises on a malformed line; each event has a whole line.
        everything = trace_events(self.log)
        self.assertEqual(len(self.events), EVENTS, "\n".join(trace_lines(self.log)))
        names = started(self.log)
        names[0] = "kernel"  # notifications (interrupts) come from the kernel itself
        for e in everything:
            with self.subTest(line=e["line"]):
                self.assertEqual(names.get(e["from_pid"]), e["from_name"])
                if e["to_pid"] is not None:
                    self.assertEqual(names.get(e["to_pid"]), e["to_name"])
        times = [e["t"] for e in everything]
        self.assertEqual(times, sorted(times), "trace times must not go backwards")

    def test_calls_and_replies_of_ping(self):
        calls = self.between("ipc-ping", "ipc-echo", "call")
        replies = self.between("ipc-echo", "ipc-ping", "reply")
        self.assertEqual(len(calls), 3, self.log)
        self.assertEqual(len(replies), 3, self.log)
        for i, (call, reply) in enumerate(zip(calls, replies), 1):
            with self.subTest(call=i):
                self.assertEqual(call["tag"], TEST_ECHO)
                self.assertEqual(call["tag_name"], "TEST_ECHO")
                self.assertEqual(call["words"], [PING_WORD + i, i, 0, 0])
                self.assertEqual((call["handles"], call["mem"], call["err"]), (0, 0, None))
                self.assertIsNotNone(call["id"])
                self.assertEqual(reply["id"], call["id"])
                self.assertEqual(reply["tag"], 0)
                self.assertEqual(reply["words"], [PING_WORD + i + 1, i + 1, 1, 1])
                self.assertGreater(reply["t"], call["t"])
        self.assertEqual(len({c["id"] for c in calls}), 3, "call ids must differ")
        self.assertEqual(len({c["ep"] for c in calls}), 1, "one endpoint for all calls")

    def test_transfer_and_refusal(self):
        calls = self.between("ipc-xfer-client", "ipc-xfer-server", "call")
        refused = (TEST_XFER, 1, XFER_PAGES, "E_NOSPC")
        hello = (TEST_NULL, 0, 0, None)
        self.assertEqual([(c["tag"], c["handles"], c["mem"], c["err"]) for c in calls],
                         [refused, hello, refused, hello, (TEST_XFER, 1, XFER_PAGES, None)],
                         self.log)
        replies = self.between("ipc-xfer-server", "ipc-xfer-client", "reply")
        self.assertEqual([(r["id"], r["mem"]) for r in replies],
                         [(calls[1]["id"], 0), (calls[3]["id"], 0), (calls[4]["id"], 1)])
        # The reply carries the byte sum the client sent along in w1.
        self.assertEqual(replies[2]["words"][0], calls[4]["words"][1])
        sends = self.between("ipc-xfer-server", "ipc-xfer-client", "send")
        self.assertEqual(len(sends), 1, self.log)
        self.assertEqual(sends[0]["tag"], TEST_PING)
        self.assertNotEqual(sends[0]["ep"], calls[0]["ep"],
                            "the send goes to the endpoint the client gave")
        self.assertEqual(sends[0]["words"][:2],
                         [replies[2]["words"][0], self.pids["ipc-xfer-server"]])

    def test_reply_names_the_endpoint_of_its_call(self):
        # docs/ipc-trace.md: ep= is the endpoint's id, the same for both sides.
        calls = {e["id"]: e for e in self.events if e["op"] == "call" and not e["err"]}
        for reply in (e for e in self.events if e["op"] == "reply"):
            with self.subTest(line=reply["line"]):
                self.assertEqual(reply["ep"], calls[reply["id"]]["ep"])

    @unittest.skipUnless(IPCTRACE.exists(), "tools/ipctrace not there yet")
    def test_ipctrace_reads_the_log(self):
        with tempfile.TemporaryDirectory(prefix="parley-ipctrace-") as tmp:
            log = Path(tmp) / "serial.log"
            log.write_text(self.log)

            def ipctrace(*args):
                result = subprocess.run([sys.executable, str(IPCTRACE), *args],
                                        capture_output=True, text=True, timeout=60)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertNotIn("malformed", result.stderr)
                return result.stdout

            ours = ["--pid", ",".join(str(pid) for pid in self.pids.values())]
            self.assertEqual(ipctrace("list", str(log)).splitlines(), trace_lines(self.log))
            listed = ipctrace("list", str(log), *ours).splitlines()
            self.assertEqual(listed, [e["line"] for e in self.events])
            ping = ipctrace("list", str(log), "--pid", str(self.pids["ipc-ping"]))
            self.assertEqual(len(ping.splitlines()), 6)

            stats = ipctrace("stats", str(log), *ours)
            self.assertIn(f"{EVENTS} events (1 send, 8 call, 6 reply, 0 notify), "
                          f"{ERRORS} with an error", stats)
            self.assertRegex(stats, rf"E_NOSPC\s+{ERRORS}")
            self.assertIn("Unanswered calls (0)", stats)
            self.assertRegex(stats, r"TEST_ECHO\s+3 ")

            svg_path, html_path = Path(tmp) / "trace.svg", Path(tmp) / "trace.html"
            ipctrace("diagram", str(log), "-o", str(svg_path), *ours)
            ipctrace("diagram", str(log), "-o", str(html_path), *ours)
            svg = ET.parse(svg_path).getroot()
            groups = svg.findall("{http://www.w3.org/2000/svg}g")
            lifelines = {g.get("data-pid") for g in groups if g.get("class") == "lifeline"}
            self.assertEqual(lifelines, {str(pid) for pid in self.pids.values()})
            events = [g for g in groups if (g.get("class") or "").startswith("event")]
            self.assertEqual(len(events), EVENTS)
            self.assertEqual(sum("error" in g.get("class") for g in events), ERRORS)
            page = ET.parse(html_path).getroot()  # well-formed XHTML
            rows = page.iter("{http://www.w3.org/1999/xhtml}tr")
            self.assertEqual(sum(1 for _ in rows), 1 + EVENTS)


class TraceToggleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log = run_programs(["ipc-echo@serve:t", "trace-toggle@trace@use:t"],
                               extra="parallel=1")
        cls.events = trace_events(cls.log)  # the trace is on for trace-toggle only

    def test_toggle_program_passed(self):
        lines = program_lines(self.log, "trace-toggle")
        self.assertTrue(lines, self.log)
        self.assertRegex(lines[-1][1], r"traced 3 calls of 6, \d+ checks, 0 failed")
        self.assertEqual(exit_statuses(self.log).get("trace-toggle"), [0], self.log)

    def test_only_the_calls_made_while_on_are_traced(self):
        toggle, echo = pid_of(self.log, "trace-toggle"), pid_of(self.log, "ipc-echo")
        calls = [e for e in self.events if e["op"] == "call"]
        replies = [e for e in self.events if e["op"] == "reply"]
        self.assertEqual(len(self.events), 6, "\n".join(trace_lines(self.log)))
        self.assertEqual([(c["from_pid"], c["to_pid"], c["words"][0]) for c in calls],
                         [(toggle, echo, TOGGLE_ON_WORD + i) for i in (1, 2, 3)])
        self.assertEqual([(r["from_pid"], r["to_pid"], r["words"][0], r["id"]) for r in replies],
                         [(echo, toggle, TOGGLE_ON_WORD + i + 1, c["id"])
                          for i, c in zip((1, 2, 3), calls)])
        self.assertNotIn(f"0x{TOGGLE_OFF_WORD + 1:x}", self.log)


if __name__ == "__main__":
    unittest.main()
