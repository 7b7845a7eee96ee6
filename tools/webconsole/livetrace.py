"""The IPC trace as it arrives, for the page's sequence diagram and table.

Each serial line that starts with "IPC " is parsed by tools/ipctrace_lib
(the one trace parser: tools/ipctrace uses it too) and its call linked to
its reply by CallPairer, as pair_calls() links a whole log. LiveTrace
keeps the last KEEP events; table() counts them with compute_stats(),
the code behind `ipctrace --stats`. Lines that are not trace lines are
ignored; a malformed trace line is counted, never raised.
"""

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import ipctrace_lib  # noqa: E402

KEEP = 5000
PAIRING_LIMIT = 4096  # calls remembered while waiting for their reply


def label(process):
    return ipctrace_lib.printable(ipctrace_lib.process_label(process))


def as_json(event, number):
    """The event as the page draws it (names made printable)."""
    out = {
        "n": number,
        "t": event.t,
        "op": event.op,
        "from": label(event.sender),
        "to": None if event.receiver is None else label(event.receiver),
        "tag": ipctrace_lib.printable(event.tag_label),
        "err": event.err,
        "status": event.status,
        "handles": event.handles,
        "mem": event.mem,
    }
    if event.id is not None:
        out["id"] = event.id
    if event.op == "reply" and event.request is not None:
        out["latency_ns"] = event.t - event.request.t
    return out


class LiveTrace:
    def __init__(self, keep=KEEP):
        self.events = collections.deque(maxlen=keep)
        self.pairer = ipctrace_lib.CallPairer(limit=PAIRING_LIMIT)
        self.count = 0
        self.malformed = 0

    def feed(self, line):
        """The page's form of a trace line, or None for any other line."""
        if not line.startswith("IPC "):
            return None
        try:
            event = ipctrace_lib.parse_line(line)
        except ipctrace_lib.TraceError:
            self.malformed += 1
            return None
        self.pairer.feed(event)
        self.count += 1
        self.events.append(event)
        return as_json(event, self.count)

    def recent(self, n):
        """The last n events in the page's form."""
        start = self.count - min(n, len(self.events))
        tail = list(self.events)[-n:] if n else []
        return [as_json(e, start + i + 1) for i, e in enumerate(tail)]

    def table(self):
        """Messages and call latencies per pair of processes, over the kept events."""
        stats = ipctrace_lib.compute_stats(list(self.events))
        rows = []
        for (sender, receiver), ops in stats.pairs.items():
            row = {"from": label(sender), "to": None if receiver is None else label(receiver),
                   "messages": sum(ops.values()), "ops": ops}
            latency = stats.by_pair.get((sender, receiver))
            if latency is not None:
                count, low, median, high = latency.summary_us()
                row.update(calls=count, min_us=low, median_us=median, max_us=high)
            rows.append(row)
        rows.sort(key=lambda r: -r["messages"])
        return {"rows": rows, "errors": stats.errors, "events": stats.events,
                "malformed": self.malformed}
