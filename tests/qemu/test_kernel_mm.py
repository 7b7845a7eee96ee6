"""The kernel's own memory-manager self-test passes on a real machine.

`test=mm` runs the frame allocator and heap checks built into the kernel
and exits through isa-debug-exit: status 33 with `test: mm pass` logged
is a pass. As a control, an unknown test name must fail with status 35,
so a kernel that exits "pass" for anything cannot make the first test
pass by accident.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402


def run_kernel_test(name):
    with parley.Machine(cmdline=f"test={name}", timeout=120) as m:
        status = m.wait_exit(timeout=100)
        return status, m.serial_text()


class KernelMmTest(unittest.TestCase):
    def test_mm_self_test_passes(self):
        status, text = run_kernel_test("mm")
        self.assertEqual(status, parley.EXIT_PASS, f"serial log:\n{text}")
        start = re.search(rf"^{parley.LOG_PREFIX}test: mm start\r?$", text,
                          re.MULTILINE)
        passed = re.search(rf"^{parley.LOG_PREFIX}test: mm pass\r?$", text,
                           re.MULTILINE)
        self.assertIsNotNone(start, text)
        self.assertIsNotNone(passed, text)
        self.assertLess(start.start(), passed.start())
        self.assertNotIn("test: mm fail", text)

    def test_failed_physical_mapping_gives_its_frames_back(self):
        # SYS_DMA_ALLOC's mapping failing halfway: no frame freed twice or leaked.
        status, text = run_kernel_test("map_physical")
        self.assertEqual(status, parley.EXIT_PASS, f"serial log:\n{text}")
        self.assertRegex(text, r"test: map_physical pass")

    def test_unknown_test_name_fails(self):
        status, text = run_kernel_test("no_such_test")
        self.assertEqual(status, parley.EXIT_FAIL, f"serial log:\n{text}")
        self.assertRegex(text, r"test: no_such_test fail")


if __name__ == "__main__":
    unittest.main()
