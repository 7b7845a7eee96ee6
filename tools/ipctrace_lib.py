"""Read the kernel's IPC trace out of a serial log: parse, pair, filter, count.

With `trace=ipc` on (docs/ipc-trace.md) the kernel writes one line per
IPC event to the serial port, among ordinary log lines and register
dumps. A trace line is any line that starts with `IPC `:

    IPC t=1234567 op=call from=5:shell to=3:ramdisk ep=12 tag=0x10(OPEN)
        w=[0x1,0x40,0,0] handles=0 mem=1p id=77        (one line in the log)

This module is the model behind tools/ipctrace and is kept free of output
formatting so tests (tests/tools/test_ipctrace.py) and other tools can
import it. parse_log() turns text into Event objects and a list of
problems (malformed trace lines, never an exception); pair_calls() links
each call to its reply by id over the whole log (CallPairer does the same
line by line, for tools/web's live trace); Filter selects events;
compute_stats() counts messages, errors and call latencies.

Pairing happens before filtering on purpose: a filter that hides a reply
(a time window, or --op call) must not make its call look unanswered.
"""

import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

OPS = ("send", "call", "reply", "notify")

# Names come from the guest (argv[0]) and may contain anything but a
# newline. A name ends where the next field begins, so the patterns for
# from= and to= look ahead for it; a name containing " to=" or " ep="
# cannot be told apart and is reported as malformed.
WORD = r"(0|0x[0-9a-fA-F]+)"
FIELDS = (
    ("t", re.compile(r"t=(\d+)")),
    ("op", re.compile(r"op=([a-z]+)")),
    ("from", re.compile(r"from=(\d+):(.*?)(?= to=)")),
    ("to", re.compile(r"to=(?:-|(\d+):(.*?))(?= ep=)")),
    ("ep", re.compile(r"ep=(\d+)")),
    ("tag", re.compile(r"tag=0x([0-9a-fA-F]+)(?:\(([^()\s]+)\))?")),
    ("w", re.compile(r"w=\[" + ",".join([WORD] * 4) + r"\]")),
    ("handles", re.compile(r"handles=(\d+)")),
    ("mem", re.compile(r"mem=(\d+)p")),
)
OPTIONAL_FIELDS = (
    ("id", re.compile(r" id=(\d+)")),
    ("err", re.compile(r" err=(E_[A-Z0-9_]+)")),
)
WORD_LIMIT = 1 << 64
ERRORS_H = Path(__file__).resolve().parents[1] / "lib" / "include" / "parley" / "errors.h"


def read_error_names(path=ERRORS_H):
    """{code: "E_NAME"} from the one error list (lib/include/parley/errors.h); {} if unreadable."""
    try:
        text = path.read_text()
    except OSError:
        return {}
    return {int(m.group(2)): m.group(1)
            for m in re.finditer(r"X\((E_[A-Z0-9_]+),\s*(\d+),", text)}


ERROR_NAMES = read_error_names()


class TraceError(ValueError):
    """A trace line that does not follow the format; the message says why."""


@dataclass(eq=False)
class Event:
    """One trace line. to_pid is None when there was no receiver (`to=-`)."""

    line: int  # 1-based line number in the log
    t: int  # nanoseconds since boot
    op: str
    from_pid: int
    from_name: str
    to_pid: object  # int, or None for `to=-`
    to_name: str
    ep: int
    tag: int
    tag_name: str  # "" when the kernel printed no symbolic name
    words: tuple
    handles: int
    mem: int  # pages
    id: object = None  # int for calls and replies
    err: str = ""  # "" on success, else E_NAME
    # Filled in by pair_calls(): a call's reply, a reply's call (also
    # for a failed reply), and the failed call line of a caller that
    # stopped waiting for the reply.
    reply: object = field(default=None, repr=False)
    request: object = field(default=None, repr=False)
    given_up: object = field(default=None, repr=False)

    @property
    def sender(self):
        return (self.from_pid, self.from_name)

    @property
    def receiver(self):
        """(pid, name) of the receiver, or None for `to=-`."""
        return None if self.to_pid is None else (self.to_pid, self.to_name)

    @property
    def status(self):
        """A reply's answer as people read it: "" for success (0 or a count), else
        the error's name (E_NOENT) from its negative tag, or -N for a code not in the list.
        Not err=: that is the kernel failing to deliver; this is what the server said."""
        if self.op != "reply" or self.tag < 1 << 63:
            return ""
        code = WORD_LIMIT - self.tag
        return ERROR_NAMES.get(code, f"-{code}")

    @property
    def tag_label(self):
        """The tag as people read it: its name if the kernel knew one, else hex."""
        return self.tag_name or f"0x{self.tag:x}"

    def format(self):
        """The event as a canonical trace line (parse_line() reads it back)."""
        to = "-" if self.to_pid is None else f"{self.to_pid}:{self.to_name}"
        tag = f"0x{self.tag:x}" + (f"({self.tag_name})" if self.tag_name else "")
        words = ",".join(format_word(w) for w in self.words)
        text = (f"IPC t={self.t} op={self.op} from={self.from_pid}:{self.from_name} "
                f"to={to} ep={self.ep} tag={tag} w=[{words}] "
                f"handles={self.handles} mem={self.mem}p")
        if self.id is not None:
            text += f" id={self.id}"
        if self.err:
            text += f" err={self.err}"
        return text


def format_word(value):
    return "0" if value == 0 else f"0x{value:x}"


def process_label(process):
    """'pid:name' for a (pid, name) pair, '-' for None."""
    return "-" if process is None else f"{process[0]}:{process[1]}"


def printable(text):
    """text with control and other unprintable characters written as \\xNN.

    Names come from the guest; printed raw they could move a terminal's
    cursor, and in XML most control characters are illegal even escaped.
    """
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def parse_line(text, line=0):
    """Parse one trace line (without its line ending) into an Event.

    Raises TraceError naming the first field that is wrong, or the rule
    of the format that the line breaks.
    """
    if not text.startswith("IPC "):
        raise TraceError("does not start with 'IPC '")
    pos = 4
    values = {}
    for i, (name, pattern) in enumerate(FIELDS):
        if i > 0:
            if not text.startswith(" ", pos):
                raise TraceError(f"expected a space before {name}=")
            pos += 1
        m = pattern.match(text, pos)
        if not m:
            raise TraceError(f"bad or missing {name}= field")
        values[name] = m.groups()
        pos = m.end()
    for name, pattern in OPTIONAL_FIELDS:
        m = pattern.match(text, pos)
        if m:
            values[name] = m.group(1)
            pos = m.end()
    if pos != len(text):
        raise TraceError(f"unexpected text after the fields: {text[pos:pos + 30]!r}")

    op = values["op"][0]
    if op not in OPS:
        raise TraceError(f"unknown op {op!r}")
    words = tuple(int(w, 16) if w != "0" else 0 for w in values["w"])
    if any(w >= WORD_LIMIT for w in words):
        raise TraceError("a word does not fit in 64 bits")
    to_pid, to_name = values["to"]
    event = Event(
        line=line,
        t=int(values["t"][0]),
        op=op,
        from_pid=int(values["from"][0]),
        from_name=values["from"][1],
        to_pid=None if to_pid is None else int(to_pid),
        to_name=to_name or "",
        ep=int(values["ep"][0]),
        tag=int(values["tag"][0], 16),
        tag_name=values["tag"][1] or "",
        words=words,
        handles=int(values["handles"][0]),
        mem=int(values["mem"][0]),
        id=int(values["id"]) if "id" in values else None,
        err=values.get("err", ""),
    )
    check_rules(event)
    return event


def check_rules(event):
    """Reject lines that parse but break the rules of docs/ipc-trace.md."""
    if event.op in ("send", "notify") and event.id is not None:
        raise TraceError(f"op={event.op} must not carry an id")
    if event.op in ("call", "reply") and event.id is None and not event.err:
        raise TraceError(f"op={event.op} without id= (only a failed {event.op} may lack one)")
    if event.op == "notify" and event.from_pid != 0:
        raise TraceError("op=notify must come from 0:kernel")
    if event.to_pid is None and not event.err:
        raise TraceError("to=- (no receiver) without err=")


def parse_log(text):
    """Return (events, problems) for the whole text of a serial log.

    Only lines starting with `IPC ` are looked at. problems lists
    (line number, reason, line text) for trace lines that did not parse;
    those lines are skipped. A trailing \\r (CRLF logs) is dropped.
    """
    events, problems = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.startswith("IPC "):
            continue
        try:
            events.append(parse_line(line, number))
        except TraceError as e:
            problems.append((number, str(e), line))
    return events, problems


def read_log(path):
    """The text of a log file ('-' = stdin), undecodable bytes replaced.

    Raises OSError if it cannot be read.
    """
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    return data.decode("utf-8", errors="replace")


def pair_calls(events):
    """Link each call to its reply by id; return replies that matched no call.

    A delivered call waits for a successful reply with the same id later
    in the log (call.reply / reply.request). The kernel's rules decide
    the rest: a reply that fails changes nothing, so the call still waits
    (the failed reply gets .request but the call no .reply); a failed
    call line with the id of a delivered one means the caller stopped
    waiting (timeout, or the server closed), so the call ends unanswered
    (call.given_up). A call that failed before delivery expects no reply.
    If an id is used again while a call with that id is still waiting,
    the older call stays unanswered.
    """
    pairer = CallPairer()
    return [event for event in events if pairer.feed(event)]


class CallPairer:
    """pair_calls() one event at a time, for a trace that is still arriving.

    tools/web feeds each line as it comes off the serial port. feed()
    links the event as pair_calls() would and returns True for a reply
    that matched no waiting call. At most `limit` calls are remembered;
    past that the oldest waiting one is forgotten (it stays unanswered),
    so a live trace with lost replies cannot grow without bound.
    """

    def __init__(self, limit=None):
        self.waiting = {}  # id -> call, oldest first
        self.limit = limit

    def feed(self, event):
        if event.id is None:
            return False
        waiting = self.waiting
        if event.op == "call" and not event.err:
            waiting.pop(event.id, None)
            waiting[event.id] = event
            if self.limit is not None and len(waiting) > self.limit:
                del waiting[next(iter(waiting))]
        elif event.op == "call":
            call = waiting.pop(event.id, None)
            if call is not None:
                call.given_up = event
        elif event.op == "reply":
            call = waiting.get(event.id)
            if call is None:
                return True
            event.request = call
            if not event.err:
                call.reply = event
                del waiting[event.id]
        return False


def parse_tag(text):
    """A --tag argument: an int for '0x10' or '16', else a symbolic name.

    Raises ValueError for things that look like numbers but are not.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty tag")
    if text[0].isdigit():
        return int(text, 16) if text.lower().startswith("0x") else int(text, 10)
    return text


@dataclass
class Filter:
    """Which events to keep. Each field is a list; empty means 'any'.

    Different fields must all match (AND); several values of one field
    match if any does (OR). pids and names match either side of an event.
    A tag matches the event's own tag or, for a reply, its call's tag, so
    selecting OPEN shows the OPEN calls with their replies.
    """

    pids: list = field(default_factory=list)
    names: list = field(default_factory=list)
    tags: list = field(default_factory=list)  # ints or names
    ops: list = field(default_factory=list)
    from_ns: object = None
    to_ns: object = None

    def matches(self, event):
        if self.pids and not (event.from_pid in self.pids or event.to_pid in self.pids):
            return False
        if self.names and not (event.from_name in self.names
                               or (event.to_pid is not None and event.to_name in self.names)):
            return False
        if self.ops and event.op not in self.ops:
            return False
        if self.from_ns is not None and event.t < self.from_ns:
            return False
        if self.to_ns is not None and event.t > self.to_ns:
            return False
        if self.tags:
            candidates = [event] + ([event.request] if event.request else [])
            if not any(tag_matches(tag, e) for tag in self.tags for e in candidates):
                return False
        return True

    def select(self, events):
        return [e for e in events if self.matches(e)]


def tag_matches(tag, event):
    if isinstance(tag, int):
        return event.tag == tag
    return event.tag_name.upper() == tag.upper()


@dataclass
class Latency:
    """Call-to-reply times in nanoseconds for one group of calls."""

    samples: list = field(default_factory=list)

    def summary_us(self):
        """(count, min, median, max) with times in microseconds."""
        s = self.samples
        return (len(s), min(s) / 1000, statistics.median(s) / 1000, max(s) / 1000)


@dataclass
class Stats:
    # (sender, receiver or None) -> {op: count}
    pairs: dict = field(default_factory=dict)
    # (caller, server) -> Latency, and tag -> Latency
    by_pair: dict = field(default_factory=dict)
    by_tag: dict = field(default_factory=dict)
    tag_labels: dict = field(default_factory=dict)  # tag -> label to print
    errors: dict = field(default_factory=dict)  # E_NAME -> count
    unanswered: list = field(default_factory=list)  # calls without a reply
    orphans: list = field(default_factory=list)  # replies without a call in the log
    events: int = 0


def compute_stats(selected):
    """Count messages and errors and measure calls among the selected events.

    pair_calls() must have run over the whole log first. Latency is taken
    from each selected delivered call to its successful reply.
    """
    stats = Stats(events=len(selected))
    for event in selected:
        ops = stats.pairs.setdefault((event.sender, event.receiver), {})
        ops[event.op] = ops.get(event.op, 0) + 1
        if event.err:
            stats.errors[event.err] = stats.errors.get(event.err, 0) + 1
        if event.op == "reply" and event.request is None:
            stats.orphans.append(event)
        if event.op != "call" or event.err:
            continue
        if event.reply is None:
            stats.unanswered.append(event)
            continue
        elapsed = event.reply.t - event.t
        stats.by_pair.setdefault((event.sender, event.receiver), Latency()).samples.append(elapsed)
        stats.by_tag.setdefault(event.tag, Latency()).samples.append(elapsed)
        if event.tag_name or event.tag not in stats.tag_labels:
            stats.tag_labels[event.tag] = event.tag_label
    return stats
