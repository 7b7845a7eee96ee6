"""Shared helper for tests that run user programs under init's run= option.

init (programs/init) starts each program named in run=a,b,c from the boot
image and logs "init: NAME (pid P) exited status=S"; with parallel=1 it
starts them all at once. These helpers boot such a machine and collect
the statuses; program_lines() picks out what one program logged and
trace_events() parses the kernel's IPC trace lines (docs/ipc-trace.md).
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402,F401


def run_programs(programs, extra="", timeout=120, memory="128M", qemu_args=()):
    """Boots with run=programs, waits for init to finish; returns the serial log."""
    cmdline = f"run={','.join(programs)} {extra}".strip()
    with parley.Machine(cmdline=cmdline, timeout=timeout + 30, memory=memory,
                        extra_args=qemu_args) as m:
        m.wait_serial(r"init: all programs finished", timeout=timeout)
        return m.serial_text()


def exit_statuses(text):
    """Maps program name to the list of exit statuses init reported."""
    statuses = {}
    for name, status in re.findall(r"init: (\S+) \(pid \d+\) exited status=(-?\d+)", text):
        statuses.setdefault(name, []).append(int(status))
    return statuses


def program_lines(text, name):
    """(pid, text) of each line program `name` logged (the kernel prefixes PID:NAME:)."""
    return [(int(pid), line) for pid, line in
            re.findall(rf"^.*?\b(\d+):{re.escape(name)}: (.*?)\r?$", text, re.MULTILINE)]


# One IPC trace line, as kernel/ipc/trace.c prints it.
TRACE_LINE = re.compile(
    r"^IPC t=(?P<t>\d+) op=(?P<op>send|call|reply|notify)"
    r" from=(?P<from_pid>\d+):(?P<from_name>\S+)"
    r" to=(?:(?P<to_pid>\d+):(?P<to_name>\S+)|-)"
    r" ep=(?P<ep>\d+) tag=0x(?P<tag>[0-9a-f]+)(?:\((?P<tag_name>\w+)\))?"
    r" w=\[(?P<words>0|0x[0-9a-f]+)(?:,(0|0x[0-9a-f]+)){3}\]"
    r" handles=(?P<handles>\d+) mem=(?P<mem>\d+)p"
    r"(?: id=(?P<id>\d+))?(?: err=(?P<err>E_\w+))?\r?$")


def trace_lines(text):
    """Every line of the log that starts like an IPC trace line, well-formed or not."""
    return [line.rstrip("\r") for line in text.splitlines() if line.startswith("IPC ")]


def trace_events(text):
    """The IPC trace lines of a log as dicts; raises AssertionError on a malformed one."""
    events = []
    for line in trace_lines(text):
        m = TRACE_LINE.match(line)
        if m is None:
            raise AssertionError(f"malformed IPC trace line: {line!r}")
        event = m.groupdict()
        words = line[line.index("w=[") + 3:line.index("]", line.index("w=["))]
        event["words"] = [int(w, 16) for w in words.split(",")]
        for key in ("t", "from_pid", "to_pid", "ep", "handles", "mem", "id"):
            if event[key] is not None:
                event[key] = int(event[key])
        event["tag"] = int(event["tag"], 16)
        event["line"] = line
        events.append(event)
    return events
