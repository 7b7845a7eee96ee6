"""The IPC fast path gives exactly the general path's results.

ipc-paths and ipc-paths-server (tests/programs) make one fixed sequence
of calls and replies: ones the fast path takes (words only, with and
without an ipc_extra, through a plain and a badged handle) and ones it
must leave to the general path or hand over to it halfway (timeouts,
IPC_POLL, a kernel tag, bad handles and rights, regions and handles in
either direction, a saved reply, a reply that cannot be delivered, a
server that exits mid-call). Each program logs every result it gets.

The sequence runs in two boots with the IPC trace on: one as usual and
one with ipc=slow, where the kernel never takes the fast path. Every line
the programs log, and every trace line (without its time stamp), must be
the same in both; and the fast path must have completed operations in
the first boot and none in the second, so the comparison compares two
different paths.
"""

import re
import unittest

from userspace import exit_statuses, run_programs, trace_lines

PROGRAMS = ["ipc-paths-server@serve:p", "ipc-paths@use:p@use:p#42"]
BOOT = "parallel=1 noservice=* trace=ipc"
FAST_COUNT = re.compile(r"ipc-paths: fast path ops (\d+)")


def results(log):
    """What each program logged, in its own order, without the kernel's time stamps.

    Each program's lines are kept apart: how the client's and the server's
    lines interleave in the log depends on when the timer preempts whom,
    which is not what the two paths must agree on.
    """
    lines = {"ipc-paths": [], "ipc-paths-server": []}
    for m in re.finditer(r"\d+:(ipc-paths(?:-server)?): (.*?)\r?$", log, re.MULTILINE):
        if not FAST_COUNT.search(m.group(0)):
            lines[m.group(1)].append(m.group(2))  # the program's own line, "NAME: ..."
    return lines


def trace(log):
    return [re.sub(r"^IPC t=\d+ ", "IPC ", line) for line in trace_lines(log)]


class FastPathTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fast = run_programs(PROGRAMS, extra=BOOT)
        cls.slow = run_programs(PROGRAMS, extra=BOOT + " ipc=slow")

    def test_both_boots_finish_cleanly(self):
        for log in (self.fast, self.slow):
            self.assertEqual(exit_statuses(log).get("ipc-paths"), [0], log)
            self.assertEqual(exit_statuses(log).get("ipc-paths-server"), [0], log)
            self.assertNotIn("PANIC", log)

    def test_the_paths_differ(self):
        fast = int(FAST_COUNT.search(self.fast).group(1))
        slow = int(FAST_COUNT.search(self.slow).group(1))
        self.assertGreater(fast, 100, "the fast path took (almost) nothing")
        self.assertEqual(slow, 0, "ipc=slow did not switch the fast path off")
        self.assertIn("ipc: fast path off from the command line", self.slow)

    def test_same_results(self):
        fast, slow = results(self.fast), results(self.slow)
        self.assertGreater(len(fast["ipc-paths"]) + len(fast["ipc-paths-server"]), 80)
        self.assertEqual(fast, slow)
        self.assertIn("ipc-paths: no send right -> -7", fast["ipc-paths"])
        self.assertIn("ipc-paths-server: reply -> -15", fast["ipc-paths-server"])

    def test_same_trace(self):
        fast, slow = trace(self.fast), trace(self.slow)
        self.assertGreater(len([l for l in fast if "from=3:ipc-paths " in l]), 64)
        self.assertEqual(fast, slow)


if __name__ == "__main__":
    unittest.main()
