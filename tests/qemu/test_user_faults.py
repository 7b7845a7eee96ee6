"""A user program that does something forbidden is killed; nothing else is.

Each fault-* program does one forbidden thing (NULL dereference, write to
its own text, cli, hlt, read a kernel address, overflow its stack, divide
by zero, an invalid opcode). The kernel must log one "fault pid=... name=..."
line for each and end it with status 128 + vector; sysbad hands system
calls kernel pointers and huge lengths and must get errors back; and
hello, started last, must still run: the system keeps going.
"""

import re
import unittest

from userspace import exit_statuses, run_programs

# program -> (vector, status, text the fault line must contain)
FAULTS = {
    "fault-null": (14, 142, "no mapping at this address"),
    "fault-text": (14, 142, "write to a read-only page"),
    "fault-cli": (13, 141, "#GP"),
    "fault-hlt": (13, 141, "#GP"),
    "fault-kread": (14, 142, "no mapping at this address"),
    "fault-stack": (14, 142, "stack overflow (guard page)"),
    "fault-div": (0, 128, "#DE"),
    "fault-ud": (6, 134, "#UD"),
}


class UserFaultTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log = run_programs(list(FAULTS) + ["sysbad", "hello"])
        cls.statuses = exit_statuses(cls.log)

    def test_each_fault_is_reported_and_kills_only_that_process(self):
        for name, (vector, status, why) in FAULTS.items():
            with self.subTest(program=name):
                line = re.search(rf"fault pid=\d+ name={name} vector={vector} "
                                 rf"rip=0x[0-9a-f]+ addr=0x[0-9a-f]+ err=0x[0-9a-f]+ \((.*)\)",
                                 self.log)
                self.assertIsNotNone(line, f"no fault line for {name}:\n{self.log}")
                self.assertIn(why, line.group(1))
                self.assertEqual(self.statuses.get(name), [status], self.log)
                self.assertNotIn(f"{name}: fault: still alive", self.log)

    def test_null_fault_reports_address_zero(self):
        self.assertRegex(self.log, r"name=fault-null vector=14 rip=0x4[0-9a-f]+ addr=0x0 ")

    def test_bad_syscall_arguments_get_errors(self):
        self.assertRegex(self.log, r"sysbad: \d+ checks, 0 failed")
        self.assertEqual(self.statuses.get("sysbad"), [0], self.log)

    def test_system_keeps_running_programs(self):
        self.assertRegex(self.log, r"hello: hello from user space")
        self.assertEqual(self.statuses.get("hello"), [0], self.log)
        self.assertNotIn("PANIC", self.log)


if __name__ == "__main__":
    unittest.main()
