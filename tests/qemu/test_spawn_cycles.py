"""1,000 spawn/exit cycles give back every frame.

init runs the smallest program 1,000 times (after one warm-up round) and
reports the free-frame count after the first and the last round; they
must be equal, or exiting processes leak memory.
"""

import re
import unittest

from userspace import exit_statuses, run_programs


class SpawnCyclesTest(unittest.TestCase):
    def test_frames_return_after_1000_cycles(self):
        # No services: their own start-up allocations would blur the count.
        log = run_programs(["true"], extra="repeat=1001 noservice=*", timeout=170)  # ctest: 180 s
        match = re.search(r"init: 1001 rounds done; frames free after round 1=(\d+) "
                          r"after round 1001=(\d+)", log)
        self.assertIsNotNone(match, log)
        self.assertEqual(match.group(1), match.group(2), log)
        self.assertEqual(len(re.findall(r"proc: \d+:true exited status=0", log)), 1001)


class BadElfTest(unittest.TestCase):
    def test_malformed_elf_is_refused_and_nothing_breaks(self):
        log = run_programs(["test-badelf", "hello"])
        self.assertRegex(log, r"proc: cannot start test-badelf: bad executable: ")
        self.assertRegex(log, r"init: cannot start test-badelf: ")
        self.assertEqual(exit_statuses(log).get("hello"), [0], log)


if __name__ == "__main__":
    unittest.main()
