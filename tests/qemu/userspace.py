"""Shared helper for tests that run user programs under init's run= option.

init (programs/init) starts each program named in run=a,b,c from the boot
image and logs "init: NAME (pid P) exited status=S"; with parallel=1 it
starts them all at once. These helpers boot such a machine and collect
the statuses.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402,F401


def run_programs(programs, extra="", timeout=120, memory="128M"):
    """Boots with run=programs, waits for init to finish; returns the serial log."""
    cmdline = f"run={','.join(programs)} {extra}".strip()
    with parley.Machine(cmdline=cmdline, timeout=timeout + 30, memory=memory) as m:
        m.wait_serial(r"init: all programs finished", timeout=timeout)
        return m.serial_text()


def exit_statuses(text):
    """Maps program name to the list of exit statuses init reported."""
    statuses = {}
    for name, status in re.findall(r"init: (\S+) \(pid \d+\) exited status=(-?\d+)", text):
        statuses.setdefault(name, []).append(int(status))
    return statuses
