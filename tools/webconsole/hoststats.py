"""The guest's statistics report from hostctl, as the page shows it.

drivers/hostctl answers "stats" on COM2 with one `sys` line, one `proc`
line per process and `end` (docs/web-console.md). Each line is
space-separated key=value fields; a proc line's name comes last and runs
to the end of the line. Report collects the lines of one answer;
figures() turns two answers in a row into what the page draws,
including IPC messages per second from the difference of the counters.
"""

PROC_NUMBERS = ("pid", "parent", "uid", "threads", "priority", "pages", "sent", "received")
PAGE_KIB = 4


class ReportError(ValueError):
    pass


def fields(line):
    """{key: value} of a `sys` or `proc` line; `name` takes the rest of the line."""
    head, sep, name = line.partition(" name=")
    out = {}
    for item in head.split()[1:]:
        key, eq, value = item.partition("=")
        if not eq:
            raise ReportError(f"not key=value: {item!r}")
        out[key] = value
    if sep:
        out["name"] = name
    return out


class Report:
    """The lines of one answer to `stats`; done once `end` arrived."""

    def __init__(self):
        self.system = None
        self.processes = []
        self.done = False
        self.errors = []

    def feed(self, line):
        kind = line.split(" ", 1)[0]
        try:
            if kind == "sys":
                self.system = {k: int(v) for k, v in fields(line).items()}
            elif kind == "proc":
                f = fields(line)
                p = {k: int(f[k]) for k in PROC_NUMBERS}
                p["state"] = f.get("state", "?")
                p["name"] = f.get("name", "")
                self.processes.append(p)
            elif kind == "end":
                self.done = True
            elif kind == "error":
                self.errors.append(line)
            else:
                raise ReportError(f"unknown line {line[:40]!r}")
        except (KeyError, ValueError) as e:
            self.errors.append(f"bad report line: {e}")


def figures(report, previous=None):
    """What the statistics panel shows, from a finished report (and the one before)."""
    s = report.system or {}
    sent = sum(p["sent"] for p in report.processes)
    rate = None
    if previous is not None and previous.system and s:
        seconds = (s["uptime_ns"] - previous.system["uptime_ns"]) / 1e9
        before = sum(p["sent"] for p in previous.processes)
        if seconds > 0 and sent >= before:
            rate = round((sent - before) / seconds)
    busy = None
    if previous is not None and previous.system and s and s["tsc"] > previous.system["tsc"]:
        ticks = s["tsc"] - previous.system["tsc"]
        idle = s["idle_tsc"] - previous.system["idle_tsc"]
        busy = max(0, min(100, round(100 * (ticks - idle) / ticks)))
    return {
        "system": {
            "uptime_s": round(s.get("uptime_ns", 0) / 1e9, 1),
            "frames_free": s.get("frames_free"),
            "frames_total": s.get("frames_total"),
            "processes": s.get("processes"),
            "threads": s.get("threads"),
            "kernel_objects": s.get("kernel_allocations"),
            "kernel_kib": (s.get("kernel_bytes") or 0) // 1024,
            "ipc_per_s": rate,
            "cpu_busy_percent": busy,
        },
        "processes": [dict(p, memory_kib=p["pages"] * PAGE_KIB) for p in report.processes],
        "errors": report.errors,
    }
