"""Preemption, sleeping, threads and per-thread FPU state.

Two CPU-bound spin programs that never yield run at once: both must log
progress before either finishes, which only preemption allows. A sleeper
asks for 200 ms and must wake after at least that long (and within a
second). Two fpu programs computing different floating-point sums at the
same time must each get their own exact result. threads runs two threads
in one process and memory touches 32 MiB through demand paging.
"""

import re
import unittest

from userspace import exit_statuses, run_programs


class SchedulerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log = run_programs(["spin", "spin", "sleeper", "fpu", "fpu", "threads", "memory"],
                               extra="parallel=1")
        cls.statuses = exit_statuses(cls.log)

    def test_two_cpu_bound_processes_both_progress(self):
        steps = re.findall(r"(\d+):spin: spin \d+: step (\d+)", self.log)
        pids = sorted({pid for pid, _ in steps})
        self.assertEqual(len(pids), 2, self.log)
        order = [pid for pid, _ in steps]
        # Each spin must have made progress before the other one finished.
        for pid in pids:
            other = [p for p in pids if p != pid][0]
            last_other = max(i for i, p in enumerate(order) if p == other)
            first_mine_after_start = [i for i, p in enumerate(order) if p == pid][1]
            self.assertLess(first_mine_after_start, last_other, self.log)
        self.assertEqual(self.statuses.get("spin"), [0, 0], self.log)

    def test_sleeper_wakes_on_time(self):
        self.assertRegex(self.log, r"sleeper: slept \d+ ms: ok")
        self.assertEqual(self.statuses.get("sleeper"), [0], self.log)

    def test_fpu_state_is_per_thread(self):
        self.assertEqual(len(re.findall(r"fpu \d+: \d+ rounds, ok", self.log)), 2, self.log)
        self.assertEqual(self.statuses.get("fpu"), [0, 0], self.log)

    def test_threads_share_a_process(self):
        self.assertRegex(self.log, r"threads: counters \d+ and \d+: ok")
        self.assertEqual(self.statuses.get("threads"), [0], self.log)

    def test_demand_paged_memory(self):
        self.assertRegex(self.log, r"memory: 32 MiB touched, \d+ frames used, ok")
        self.assertEqual(self.statuses.get("memory"), [0], self.log)


if __name__ == "__main__":
    unittest.main()
