"""A parent can kill its child; the child's exit status says so.

init starts a CPU-bound spin and a sleeper that never wake on their own
in time, then kills both after 50 ms (killafter=50). Both must end with
status 137, the kernel must log who killed whom, and neither may reach
its normal end.
"""

import re
import unittest

from userspace import exit_statuses, run_programs


class KillTest(unittest.TestCase):
    def test_parent_kills_running_and_sleeping_children(self):
        log = run_programs(["spin", "sleeper"], extra="parallel=1 killafter=50")
        statuses = exit_statuses(log)
        self.assertEqual(statuses.get("spin"), [137], log)
        self.assertEqual(statuses.get("sleeper"), [137], log)
        self.assertEqual(len(re.findall(r"proc: \d+:(spin|sleeper) killed by 1:init", log)), 2, log)
        self.assertNotIn("spin: step 5", log)
        self.assertNotIn("sleeper: slept", log)


if __name__ == "__main__":
    unittest.main()
