"""tools/ipctrace reads the kernel's IPC trace correctly and draws it safely.

The kernel's trace format (docs/ipc-trace.md) is a contract between the
kernel and this tool. These tests feed a synthetic serial log, the way a
real one looks (kernel log lines, a register dump, CRLF and LF endings,
malformed trace lines, a hostile process name), to the library
(tools/ipctrace_lib.py) and to the command itself, and check the exact
fields, filter results, latency numbers, error counts and the structure
of the SVG and HTML it writes. No QEMU is needed.
"""

import importlib.machinery
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__
TOOLS = Path(__file__).resolve().parents[2] / "tools"
SCRIPT = TOOLS / "ipctrace"
sys.path.insert(0, str(TOOLS))
import ipctrace_lib as lib  # noqa: E402


def load_script():
    """tools/ipctrace as a module (it has no .py suffix, so name the loader)."""
    loader = importlib.machinery.SourceFileLoader("ipctrace_cli", str(SCRIPT))
    spec = importlib.util.spec_from_loader("ipctrace_cli", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


cli = load_script()

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"

# Line numbers matter: the tests refer to them. Most lines end in CRLF as
# QEMU's serial log does; a few end in LF alone.
LINES = [
    "[    0.031267] info  proc: started 1:init (8 pages)",  # 1
    "IPC t=1000000 op=send from=1:init to=3:ramdisk ep=4 tag=0x1(HELLO) w=[0,0,0,0] handles=1 mem=0p",
    "IPC t=1234567 op=call from=5:shell to=3:ramdisk ep=12 tag=0x10(OPEN) w=[0x1,0x40,0,0] handles=0 mem=1p id=77",
    "rip=0xffffffff80101234 rsp=0xffffffff80200000 IPC t=5 not at the start",  # 4
    "IPC t=1244567 op=reply from=3:ramdisk to=5:shell ep=12 tag=0x0 w=[0x3,0,0,0] handles=0 mem=0p id=77",
    "IPC t=1300000 op=call from=5:shell to=3:ramdisk ep=12 tag=0x11(READ) w=[0x3,0x1000,0,0] handles=0 mem=0p id=78",
    "IPC t=1310000 op=call from=1:init to=3:ramdisk ep=12 tag=0x10(OPEN) w=[0x2,0,0,0] handles=0 mem=0p id=79",
    "IPC t=1330000 op=reply from=3:ramdisk to=1:init ep=12 tag=0x0 w=[0x4,0,0,0] handles=0 mem=0p id=79",
    "IPC t=1340000 op=reply from=3:ramdisk to=5:shell ep=12 tag=0x0 w=[0x1000,0,0,0] handles=0 mem=2p id=78",
    "IPC t=1400000 op=notify from=0:kernel to=3:ramdisk ep=2 tag=0xffff0001(NOTIFY) w=[0x4,0,0,0] handles=0 mem=0p",
    "IPC t=1500000 op=call from=5:shell to=3:ramdisk ep=12 tag=0x10(OPEN) w=[0x1,0x41,0,0] handles=0 mem=0p id=80",
    "IPC t=1530000 op=reply from=3:ramdisk to=5:shell ep=12 tag=0x0 w=[0x5,0,0,0] handles=0 mem=0p id=80",
    # 13: malformed, only three words.
    "IPC t=1600000 op=call from=5:shell to=3:ramdisk ep=12 tag=0x10(OPEN) w=[0x1,0x41,0] handles=0 mem=0p id=81",
    "IPC t=1700000 op=send from=7:<evil&> to=- ep=9 tag=0x2a w=[0,0,0,0] handles=0 mem=0p err=E_TIMEOUT",
    "IPC t=1800000 op=call from=5:shell to=3:ramdisk ep=12 tag=0x12(CLOSE) w=[0x3,0,0,0] handles=0 mem=0p id=82",
    "IPC t=1900000 op=call from=7:<evil&> to=- ep=13 tag=0x10(OPEN) w=[0,0,0,0] handles=0 mem=0p err=E_BADHANDLE",
    "IPC t=2000000 op=send from=1:init to=- ep=4 tag=0x1(HELLO) w=[0,0,0,0] handles=0 mem=0p err=E_TIMEOUT",
    "IPC garbage",  # 18: malformed
    "IPC t=2100000 op=reply from=3:ramdisk to=5:shell ep=12 tag=0x0 w=[0,0,0,0] handles=0 mem=0p id=5",
    # 20: malformed, a notification must come from the kernel.
    "IPC t=2200000 op=notify from=5:shell to=3:ramdisk ep=2 tag=0x1 w=[0,0,0,0] handles=0 mem=0p",
    "[    2.300000] warn  fault pid=7 name=evil vector=14 rip=0x401020 addr=0x0 err=0x6",
    "IPC t=2300000 op=send from=7:<evil&> to=7:<evil&> ep=9 tag=0x2b w=[0xdeadbeef,0,0,0xffffffffffffffff] handles=0 mem=0p",
    "IPCtrace: not a trace line (no space after IPC)",  # 23
    # 24-26: a reply that fails leaves the call waiting; the second try answers it.
    "IPC t=2400000 op=call from=1:init to=3:ramdisk ep=12 tag=0x11(READ) w=[0x4,0x200,0,0] handles=0 mem=0p id=83",
    "IPC t=2450000 op=reply from=3:ramdisk to=1:init ep=12 tag=0x0 w=[0,0,0,0] handles=4 mem=1p id=83 err=E_NOSPC",
    "IPC t=2460000 op=reply from=3:ramdisk to=1:init ep=12 tag=0x0 w=[0,0,0,0] handles=0 mem=1p id=83",
    # 27-28: a delivered call whose caller stops waiting for the reply.
    "IPC t=2500000 op=call from=5:shell to=3:ramdisk ep=12 tag=0x10(OPEN) w=[0x9,0,0,0] handles=0 mem=0p id=84",
    "IPC t=2600000 op=call from=5:shell to=- ep=12 tag=0x10(OPEN) w=[0x9,0,0,0] handles=0 mem=0p id=84 err=E_TIMEOUT",
]
LF_ONLY = {5, 9, 21}
LOG = "".join(line + ("\n" if n in LF_ONLY else "\r\n") for n, line in enumerate(LINES, 1))
EVENT_LINES = [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 19, 22, 24, 25, 26, 27, 28]
MALFORMED_LINES = [13, 18, 20]
PROCESSES = {"0:kernel", "1:init", "3:ramdisk", "5:shell", "7:<evil&>"}


def parsed(text=LOG):
    events, problems = lib.parse_log(text)
    lib.pair_calls(events)
    return events, problems


def by_line(events, number):
    return next(e for e in events if e.line == number)


def lines_of(events):
    return [e.line for e in events]


class ParseTest(unittest.TestCase):
    def test_call_line_yields_every_field(self):
        e = lib.parse_line(LINES[2], 3)
        self.assertEqual((e.line, e.t, e.op), (3, 1234567, "call"))
        self.assertEqual((e.from_pid, e.from_name, e.to_pid, e.to_name), (5, "shell", 3, "ramdisk"))
        self.assertEqual((e.ep, e.tag, e.tag_name, e.tag_label), (12, 0x10, "OPEN", "OPEN"))
        self.assertEqual(e.words, (1, 0x40, 0, 0))
        self.assertEqual((e.handles, e.mem, e.id, e.err), (0, 1, 77, ""))

    def test_tag_without_name_is_shown_in_hex(self):
        e = lib.parse_line(LINES[13])
        self.assertEqual((e.tag, e.tag_name, e.tag_label), (0x2a, "", "0x2a"))

    def test_no_receiver_and_error_are_parsed(self):
        e = lib.parse_line(LINES[13])
        self.assertIsNone(e.to_pid)
        self.assertIsNone(e.receiver)
        self.assertEqual((e.err, e.id), ("E_TIMEOUT", None))

    def test_a_reply_names_the_servers_error(self):
        line = ("IPC t=5 op=reply from=3:ramdisk to=5:sh ep=12 tag=0xfffffffffffffffb "
                "w=[0,0,0,0] handles=0 mem=0p id=7")
        self.assertEqual(lib.parse_line(line).status, "E_NOENT")  # -5, from errors.h
        self.assertEqual(lib.parse_line(line.replace("0xfffffffffffffffb", "0x0")).status, "")
        odd = line.replace("0xfffffffffffffffb", "0xfffffffffffff000")
        self.assertEqual(lib.parse_line(odd).status, "-4096")
        call = line.replace("op=reply", "op=call")
        self.assertEqual(lib.parse_line(call).status, "")  # a call's tag is a request
        self.assertEqual(lib.ERROR_NAMES[28], "E_QUOTA")

    def test_full_64_bit_words(self):
        e = lib.parse_line(LINES[21])
        self.assertEqual(e.words, (0xdeadbeef, 0, 0, 0xFFFFFFFFFFFFFFFF))

    def test_name_with_a_space(self):
        e = lib.parse_line("IPC t=1 op=send from=9:my prog to=3:fs ep=1 tag=0x1 "
                           "w=[0,0,0,0] handles=0 mem=0p")
        self.assertEqual((e.from_name, e.to_name), ("my prog", "fs"))

    def test_format_round_trips(self):
        for n in EVENT_LINES:
            self.assertEqual(lib.parse_line(LINES[n - 1]).format(), LINES[n - 1])

    def test_log_keeps_only_trace_lines_and_strips_crlf(self):
        events, problems = parsed()
        self.assertEqual(lines_of(events), EVENT_LINES)
        self.assertFalse(any("\r" in e.from_name + e.to_name + e.err for e in events))
        self.assertEqual(by_line(events, 14).err, "E_TIMEOUT")  # the last field, before \r\n

    def test_malformed_lines_are_reported_with_line_numbers(self):
        _, problems = parsed()
        self.assertEqual([p[0] for p in problems], MALFORMED_LINES)
        reasons = {p[0]: p[1] for p in problems}
        self.assertIn("w=", reasons[13])
        self.assertIn("notify", reasons[20])

    def test_rules_of_the_format_are_enforced(self):
        base = "IPC t=1 op={op} from={frm} to={to} ep=1 tag=0x1 w=[0,0,0,0] handles=0 mem=0p{tail}"
        bad = [
            dict(op="call", frm="5:a", to="3:b", tail=""),  # call without id
            dict(op="reply", frm="3:b", to="5:a", tail=""),  # reply without id
            dict(op="send", frm="5:a", to="3:b", tail=" id=4"),  # send with id
            dict(op="send", frm="5:a", to="-", tail=""),  # no receiver, no error
            dict(op="jump", frm="5:a", to="3:b", tail=""),  # unknown op
            dict(op="send", frm="5:a", to="3:b", tail=" extra"),  # trailing junk
            dict(op="send", frm="5:a", to="3:b", tail=" err=timeout"),  # not an E_ name
        ]
        for fields in bad:
            with self.subTest(**fields):
                with self.assertRaises(lib.TraceError):
                    lib.parse_line(base.format(**fields))
        good = lib.parse_line(base.format(op="call", frm="5:a", to="-", tail=" err=E_CLOSED"))
        self.assertEqual(good.err, "E_CLOSED")

    def test_word_wider_than_64_bits_is_malformed(self):
        with self.assertRaises(lib.TraceError):
            lib.parse_line("IPC t=1 op=send from=5:a to=3:b ep=1 tag=0x1 "
                           "w=[0x10000000000000000,0,0,0] handles=0 mem=0p")


class LivePairingTest(unittest.TestCase):
    """CallPairer, which tools/web feeds one line at a time, links as pair_calls() does."""

    def links(self, events):
        return [(e.line, e.reply and e.reply.line, e.request and e.request.line,
                 e.given_up and e.given_up.line) for e in events]

    def test_line_by_line_equals_whole_log(self):
        whole, _ = parsed()
        live, _ = lib.parse_log(LOG)
        pairer = lib.CallPairer()
        orphans = [e.line for e in live if pairer.feed(e)]
        self.assertEqual(self.links(live), self.links(whole))
        self.assertEqual(orphans, [19])

    def test_limit_forgets_the_oldest_waiting_call(self):
        pairer = lib.CallPairer(limit=2)
        calls = [lib.parse_line(f"IPC t={i} op=call from=5:shell to=3:ramdisk ep=12 tag=0x10 "
                                f"w=[0,0,0,0] handles=0 mem=0p id={i}") for i in (1, 2, 3)]
        for call in calls:
            self.assertFalse(pairer.feed(call))
        self.assertEqual(list(pairer.waiting), [2, 3])
        reply = lib.parse_line("IPC t=9 op=reply from=3:ramdisk to=5:shell ep=12 tag=0x0 "
                               "w=[0,0,0,0] handles=0 mem=0p id=1")
        self.assertTrue(pairer.feed(reply), "the forgotten call's reply is an orphan")
        self.assertIsNone(calls[0].reply)


class PairingTest(unittest.TestCase):
    def test_replies_pair_by_id_not_by_order(self):
        events, _ = parsed()
        # Replies to 79 and 78 arrive in the opposite order to the calls.
        self.assertIs(by_line(events, 6).reply, by_line(events, 9))
        self.assertIs(by_line(events, 7).reply, by_line(events, 8))
        self.assertIs(by_line(events, 9).request, by_line(events, 6))
        self.assertIs(by_line(events, 24).reply, by_line(events, 26))  # not the failed one
        self.assertIs(by_line(events, 25).request, by_line(events, 24))
        self.assertIs(by_line(events, 27).given_up, by_line(events, 28))
        self.assertIsNone(by_line(events, 27).reply)

    def test_reply_without_call_is_an_orphan(self):
        events, _ = lib.parse_log(LOG)
        orphans = lib.pair_calls(events)
        self.assertEqual(lines_of(orphans), [19])


    def test_second_reply_to_one_call_is_an_orphan(self):
        events, _ = lib.parse_log("\n".join([LINES[2], LINES[4], LINES[4]]))
        orphans = lib.pair_calls(events)
        self.assertIs(events[0].reply, events[1])
        self.assertEqual(orphans, [events[2]])


class FilterTest(unittest.TestCase):
    def select(self, **kwargs):
        events, _ = parsed()
        return lines_of(lib.Filter(**kwargs).select(events))

    def test_pid_matches_either_side(self):
        self.assertEqual(self.select(pids=[1]), [2, 7, 8, 17, 24, 25, 26])
        self.assertEqual(self.select(pids=[1, 7]), [2, 7, 8, 14, 16, 17, 22, 24, 25, 26])
        self.assertEqual(self.select(pids=[0]), [10])

    def test_name_matches_either_side(self):
        self.assertEqual(self.select(names=["shell"]), [3, 5, 6, 9, 11, 12, 15, 19, 27, 28])
        self.assertEqual(self.select(names=["<evil&>"]), [14, 16, 22])

    def test_tag_by_number_or_name_includes_replies_to_those_calls(self):
        expected = [3, 5, 7, 8, 11, 12, 16, 27, 28]
        for tag in ("0x10", "16", "OPEN", "open"):
            with self.subTest(tag=tag):
                self.assertEqual(self.select(tags=[lib.parse_tag(tag)]), expected)
        self.assertEqual(self.select(tags=[0x2a, lib.parse_tag("READ")]), [6, 9, 14, 24, 25, 26])

    def test_parse_tag_rejects_bad_numbers(self):
        for text in ("0xZZ", "1x", ""):
            with self.assertRaises(ValueError):
                lib.parse_tag(text)

    def test_op(self):
        self.assertEqual(self.select(ops=["reply"]), [5, 8, 9, 12, 19, 25, 26])
        self.assertEqual(self.select(ops=["notify", "send"]), [2, 10, 14, 17, 22])

    def test_time_window_is_inclusive(self):
        self.assertEqual(self.select(from_ns=1300000, to_ns=1400000), [6, 7, 8, 9, 10])
        self.assertEqual(self.select(from_ns=2300001, to_ns=2400000), [24])

    def test_filters_combine_with_and(self):
        self.assertEqual(self.select(names=["shell"], ops=["call"]), [3, 6, 11, 15, 27, 28])


class StatsTest(unittest.TestCase):
    def stats(self, **kwargs):
        events, _ = parsed()
        return lib.compute_stats(lib.Filter(**kwargs).select(events))

    def test_latency_per_caller_and_server(self):
        s = self.stats()
        shell, init, ramdisk = (5, "shell"), (1, "init"), (3, "ramdisk")
        # shell's calls took 10 (OPEN #77), 40 (READ #78) and 30 (OPEN #80) us.
        self.assertEqual(s.by_pair[(shell, ramdisk)].summary_us(), (3, 10.0, 30.0, 40.0))
        # init's calls: OPEN #79 20 us; READ #83 60 us, to the reply that worked.
        self.assertEqual(s.by_pair[(init, ramdisk)].summary_us(), (2, 20.0, 40.0, 60.0))
        self.assertEqual(len(s.by_pair), 2)

    def test_latency_per_tag(self):
        s = self.stats()
        self.assertEqual(s.by_tag[0x10].summary_us(), (3, 10.0, 20.0, 30.0))
        self.assertEqual(s.by_tag[0x11].summary_us(), (2, 40.0, 50.0, 60.0))
        self.assertEqual(s.tag_labels[0x10], "OPEN")
        self.assertNotIn(0x12, s.by_tag)  # CLOSE was never answered

    def test_unanswered_failed_and_orphan(self):
        s = self.stats()
        # Not the call that failed on line 16; but #84, whose caller gave up.
        self.assertEqual(lines_of(s.unanswered), [15, 27])
        self.assertEqual(lines_of(s.orphans), [19])

    def test_errors_by_kind(self):
        self.assertEqual(self.stats().errors, {"E_TIMEOUT": 3, "E_BADHANDLE": 1, "E_NOSPC": 1})

    def test_message_counts_per_pair_and_op(self):
        s = self.stats()
        self.assertEqual(s.pairs[((5, "shell"), (3, "ramdisk"))], {"call": 5})
        self.assertEqual(s.pairs[((5, "shell"), None)], {"call": 1})
        self.assertEqual(s.pairs[((3, "ramdisk"), (5, "shell"))], {"reply": 4})
        self.assertEqual(s.pairs[((3, "ramdisk"), (1, "init"))], {"reply": 3})
        self.assertEqual(s.pairs[((1, "init"), None)], {"send": 1})
        self.assertEqual(s.pairs[((1, "init"), (3, "ramdisk"))], {"send": 1, "call": 2})
        self.assertEqual(s.pairs[((0, "kernel"), (3, "ramdisk"))], {"notify": 1})
        self.assertEqual(sum(sum(ops.values()) for ops in s.pairs.values()), 21)

    def test_filter_hiding_replies_keeps_latency(self):
        s = self.stats(ops=["call"])
        self.assertEqual(s.by_pair[((5, "shell"), (3, "ramdisk"))].summary_us()[0], 3)
        self.assertEqual(lines_of(s.unanswered), [15, 27])


class DiagramTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.log = Path(self.tmp.name) / "serial.log"
        self.log.write_text(LOG, encoding="utf-8", newline="")

    def tearDown(self):
        self.tmp.cleanup()

    def draw(self, name, *extra):
        out = Path(self.tmp.name) / name
        result = run("diagram", str(self.log), "-o", str(out), *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        return out.read_text(encoding="utf-8"), result

    def test_svg_has_one_lifeline_per_process_and_one_arrow_per_event(self):
        text, _ = self.draw("trace.svg")
        root = ET.fromstring(text)
        self.assertEqual(root.tag, SVG + "svg")
        lifelines = groups(root, "lifeline")
        self.assertEqual({g.find(SVG + "title").text for g in lifelines}, PROCESSES)
        self.assertEqual(len(lifelines), len(PROCESSES))
        events = groups(root, "event")
        self.assertEqual([int(g.get("data-line")) for g in events], EVENT_LINES)
        for g in events:
            self.assertGreaterEqual(len(g.findall(SVG + "line")) + len(g.findall(SVG + "path")), 1)

    def test_hover_title_is_the_full_line(self):
        root = ET.fromstring(self.draw("trace.svg")[0])
        titles = [g.find(SVG + "title").text for g in groups(root, "event")]
        for number, title in zip(EVENT_LINES, titles):
            self.assertIn(LINES[number - 1], title)
        self.assertIn("after 10.000 us", titles[1])  # call #77 and its reply
        self.assertIn("no reply in the log", titles[EVENT_LINES.index(15)])
        self.assertIn("caller gave up at line 28", titles[EVENT_LINES.index(27)])

    def test_replies_dashed_errors_red_notifications_from_kernel(self):
        root = ET.fromstring(self.draw("trace.svg")[0])
        x_of = {g.find(SVG + "title").text: float(g.find(SVG + "line").get("x1"))
                for g in groups(root, "lifeline")}
        for g in groups(root, "event"):
            number = int(g.get("data-line"))
            stroke = g.find(SVG + "line")
            stroke = stroke if stroke is not None else g.find(SVG + "path")
            label = "".join(g.itertext())
            if "op-reply" in g.get("class"):
                self.assertEqual(stroke.get("stroke-dasharray"), "6,4", number)
            else:
                self.assertIsNone(stroke.get("stroke-dasharray"), number)
            if number in (14, 16, 17, 25, 28):
                self.assertEqual(stroke.get("stroke"), "#c00000", number)
                self.assertEqual(g.findall(SVG + "text")[-1].get("fill"), "#c00000", number)
                self.assertIn("error", g.get("class"))
            else:
                self.assertNotEqual(stroke.get("stroke"), "#c00000", number)
            if number == 14:
                self.assertIn("0x2a E_TIMEOUT", label)
            if number == 16:
                self.assertIn("OPEN E_BADHANDLE", label)
            if number == 10:
                self.assertEqual(float(stroke.get("x1")), x_of["0:kernel"])
                self.assertEqual(float(stroke.get("x2")), x_of["3:ramdisk"])
            if number == 3:
                self.assertEqual(float(stroke.get("x1")), x_of["5:shell"])
                self.assertIn("OPEN #77", label)

    def test_time_runs_downward_with_timestamps_in_the_margin(self):
        root = ET.fromstring(self.draw("trace.svg")[0])
        first_lifeline = min(float(g.find(SVG + "line").get("x1")) for g in groups(root, "lifeline"))
        ys = []
        for g in groups(root, "event"):
            stamp = g.find(SVG + "text")
            self.assertLess(float(stamp.get("x")), first_lifeline)
            ys.append(float(stamp.get("y")))
        self.assertEqual(ys, sorted(ys))
        self.assertEqual(len(set(ys)), len(ys))
        stamps = [g.find(SVG + "text").text for g in groups(root, "event")]
        self.assertEqual(stamps[1], "0.001234567")

    def test_guest_names_are_escaped(self):
        text, _ = self.draw("trace.svg")
        self.assertNotIn("<evil&>", text)
        self.assertIn("&lt;evil&amp;&gt;", text)
        root = ET.fromstring(text)
        self.assertIn("7:<evil&>", "".join(root.itertext()))

    def test_control_characters_in_names_keep_the_xml_well_formed(self):
        line = ("IPC t=1 op=send from=4:bad\x1b[2J\x01\ufffe to=3:fs ep=1 tag=0x1 "
                "w=[0,0,0,0] handles=0 mem=0p")
        events, problems = lib.parse_log(line + "\n")
        self.assertEqual(problems, [])
        svg = cli.svg_text(cli.build_svg(events))
        root = ET.fromstring(svg)  # raises if a control character got through
        self.assertIn("4:bad\\x1b[2J\\x01\\ufffe", "".join(root.itertext()))
        page = cli.build_html(cli.build_svg(events), events, "t", "s")
        ET.fromstring(page)

    def test_max_events_draws_only_the_first(self):
        text, result = self.draw("trace.svg", "--max-events", "4")
        root = ET.fromstring(text)
        self.assertEqual([int(g.get("data-line")) for g in groups(root, "event")], EVENT_LINES[:4])
        self.assertIn("first 4 of 21", result.stderr)
        self.assertIn("first 4 of 21", "".join(root.itertext()))

    def test_filters_apply_to_the_diagram(self):
        root = ET.fromstring(self.draw("trace.svg", "--pid", "1")[0])
        self.assertEqual(len(groups(root, "event")), 7)
        self.assertEqual({g.find(SVG + "title").text for g in groups(root, "lifeline")},
                         {"1:init", "3:ramdisk"})

    def test_html_embeds_the_svg_with_legend_and_table(self):
        text, _ = self.draw("trace.html")
        root = ET.fromstring(text)  # the page is well-formed XML as well as HTML
        svg = root.find(f".//{SVG}svg")
        self.assertIsNotNone(svg)
        self.assertEqual(len(groups(svg, "event")), len(EVENT_LINES))
        rows = root.findall(f".//{XHTML}table/{XHTML}tr")
        self.assertEqual(len(rows), 1 + len(EVENT_LINES))
        self.assertEqual(len(root.findall(f".//{XHTML}tr[@class='error']")), 5)
        self.assertIsNotNone(root.find(f".//{XHTML}ul[@class='legend']"))
        self.assertNotIn("<evil&>", text)
        row77 = [c.text for c in rows[2]]
        self.assertEqual(row77[:8], ["3", "1234567", "call", "5:shell", "3:ramdisk", "12",
                                     "0x10 (OPEN)", "0x1,0x40,0,0"])
        self.assertEqual(row77[-1], "10.000")

    def test_output_is_self_contained(self):
        for name in ("trace.svg", "trace.html"):
            text, _ = self.draw(name)
            with self.subTest(name=name):
                self.assertNotRegex(text, r"<script|<link|<img|@import|href=|src=")
                self.assertEqual(re.findall(r"url\((?!#)", text), [])


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.log = Path(self.tmp.name) / "serial.log"
        self.log.write_text(LOG, encoding="utf-8", newline="")

    def tearDown(self):
        self.tmp.cleanup()

    def test_list_prints_canonical_lines_and_reports_malformed_ones(self):
        result = run("list", str(self.log))
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stdout.splitlines(), [LINES[n - 1] for n in EVENT_LINES])
        for number in MALFORMED_LINES:
            self.assertIn(f"serial.log:{number}: malformed", result.stderr)
        self.assertEqual(len(result.stderr.splitlines()), len(MALFORMED_LINES))

    def test_list_filters(self):
        result = run("list", str(self.log), "--pid", "1,7", "--op", "send")
        self.assertEqual(result.stdout.splitlines(), [LINES[n - 1] for n in (2, 14, 17, 22)])
        result = run("list", str(self.log), "--tag", "0x11", "--from-ns", "1300000",
                     "--to-ns", "1339999")
        self.assertEqual(result.stdout.splitlines(), [LINES[5]])

    def test_list_reads_stdin(self):
        result = run("list", "-", "--name", "init", stdin=LOG)
        self.assertEqual(len(result.stdout.splitlines()), 7)

    def test_stats_prints_the_numbers(self):
        result = run("stats", str(self.log))
        self.assertEqual(result.returncode, 0)
        rows = [line.split() for line in result.stdout.splitlines()]
        self.assertIn(["5:shell", "3:ramdisk", "3", "10.000", "30.000", "40.000"], rows)
        self.assertIn(["OPEN", "3", "10.000", "20.000", "30.000"], rows)
        self.assertIn(["E_TIMEOUT", "3"], rows)
        self.assertIn(["E_BADHANDLE", "1"], rows)
        self.assertIn(["E_NOSPC", "1"], rows)
        self.assertIn("21 events (4 send, 9 call, 7 reply, 1 notify), 5 with an error",
                      result.stdout)
        self.assertIn("Unanswered calls (2)", result.stdout)
        self.assertIn("line 27: t=2500000 5:shell -> 3:ramdisk tag=OPEN id=84 "
                      "(caller gave up: line 28, E_TIMEOUT)", result.stdout)
        self.assertIn("line 15: t=1800000 5:shell -> 3:ramdisk tag=CLOSE id=82", result.stdout)
        self.assertIn(["5:shell", "3:ramdisk", "0", "5", "0", "0", "5"], rows)

    def test_exit_codes(self):
        missing = str(Path(self.tmp.name) / "missing.log")
        self.assertEqual(run("list", missing).returncode, 1)
        self.assertIn("cannot read", run("stats", missing).stderr)
        self.assertEqual(run().returncode, 2)  # no command
        self.assertEqual(run("frobnicate", str(self.log)).returncode, 2)
        self.assertEqual(run("list").returncode, 2)  # no log
        self.assertEqual(run("list", str(self.log), "--tag", "0xZZ").returncode, 2)
        self.assertEqual(run("list", str(self.log), "--op", "jump").returncode, 2)
        self.assertEqual(run("list", str(self.log), "--pid", "x").returncode, 2)
        self.assertEqual(run("diagram", str(self.log)).returncode, 2)  # no -o
        out = str(Path(self.tmp.name) / "trace.png")
        self.assertEqual(run("diagram", str(self.log), "-o", out).returncode, 2)
        self.assertFalse(Path(out).exists())
        out = str(Path(self.tmp.name) / "trace.svg")
        self.assertEqual(run("diagram", str(self.log), "-o", out, "--max-events", "0").returncode, 2)
        unwritable = str(Path(self.tmp.name) / "no-such-dir" / "trace.svg")
        self.assertEqual(run("diagram", str(self.log), "-o", unwritable).returncode, 1)

    def test_malformed_lines_alone_do_not_fail(self):
        self.log.write_text("IPC nonsense\r\n[ 0.1 ] info hello\r\n", encoding="utf-8")
        result = run("stats", str(self.log))
        self.assertEqual(result.returncode, 0)
        self.assertIn("serial.log:1: malformed", result.stderr)
        self.assertIn("0 events", result.stdout)

    def test_undecodable_bytes_do_not_crash(self):
        self.log.write_bytes(b"\xff\xfe garbage\r\n" + LINES[1].encode() + b"\r\n")
        result = run("list", str(self.log))
        self.assertEqual((result.returncode, result.stdout.strip()), (0, LINES[1]))


def groups(root, kind):
    """<g> elements whose class list includes kind, in document order."""
    return [g for g in root.iter(SVG + "g") if kind in g.get("class", "").split()]


def run(*args, stdin=None):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, str(SCRIPT), *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=60)


if __name__ == "__main__":
    unittest.main()
