"""A kernel-mode page fault produces a full, correct dump and a panic.

`test=pagefault` makes the kernel read 0xdeadbeef000, which is not
mapped. The #PF handler must log the exception line with vector 14, the
faulting address in cr2, an error code saying "not present, read, kernel
mode" (bits 0-2 clear), a rip inside the kernel's higher half, then the
register lines and `PANIC: ...`; in test mode a panic exits with status
35. A second boot without the isa-debug-exit device keeps the machine up
after the panic so we can check it is also drawn on the VGA screen.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

HEX16 = r"0x[0-9a-fA-F]{16}"
EXCEPTION = re.compile(
    r"exception: vector=(?P<vector>\d+) \((?P<mnemonic>#?[A-Z]+) [^)]+\) "
    rf"err=0x(?P<err>[0-9a-fA-F]+) rip=(?P<rip>{HEX16}) rsp=(?P<rsp>{HEX16}) "
    rf"cr2=(?P<cr2>{HEX16})")
REGISTER_LINES = [
    rf"rax={HEX16} rbx={HEX16} rcx={HEX16} rdx={HEX16}",
    rf"rsi={HEX16} rdi={HEX16} rbp={HEX16} r8={HEX16}",
    rf"r9={HEX16} r10={HEX16} r11={HEX16} r12={HEX16}",
    rf"r13={HEX16} r14={HEX16} r15={HEX16} rflags={HEX16}",
    r"cs=0x[0-9a-fA-F]+ ss=0x[0-9a-fA-F]+",
]
PF_ERR_PRESENT, PF_ERR_WRITE, PF_ERR_USER = 1 << 0, 1 << 1, 1 << 2


class ExceptionDumpTest(unittest.TestCase):
    def test_pagefault_dump_then_panic_exits_35(self):
        with parley.Machine(cmdline="test=pagefault", timeout=90) as m:
            status = m.wait_exit(timeout=60)
            text = m.serial_text()

        self.assertEqual(status, parley.EXIT_FAIL, f"serial log:\n{text}")
        self.assertIn("test: pagefault start", text)
        exc = EXCEPTION.search(text)
        self.assertIsNotNone(exc, f"no exception line in:\n{text}")
        self.assertEqual(exc["vector"], "14")
        self.assertIn("PF", exc["mnemonic"])
        self.assertEqual(exc["cr2"].lower(), "0x00000deadbeef000")
        err = int(exc["err"], 16)
        self.assertEqual(err & (PF_ERR_PRESENT | PF_ERR_WRITE | PF_ERR_USER), 0,
                         f"err=0x{err:x} is not a not-present kernel read")
        self.assertRegex(exc["rip"].lower(), r"^0xffffffff8[0-9a-f]{7}$",
                         "rip is not in the kernel's higher half")

        # The register lines follow the exception line, in order, and the
        # panic comes after them.
        pos = exc.end()
        for pattern in REGISTER_LINES:
            reg = re.compile(pattern).search(text, pos)
            self.assertIsNotNone(reg, f"missing /{pattern}/ after the "
                                      f"exception line in:\n{text}")
            pos = reg.end()
        self.assertRegex(text[pos:], r"PANIC: \S")

    def test_pagefault_panic_is_drawn_on_screen(self):
        with parley.Machine(cmdline="test=pagefault", debug_exit=False,
                            timeout=90) as m:
            m.wait_serial(r"PANIC: ", timeout=60)
            m.wait_screen(r"^PANIC", timeout=10)


if __name__ == "__main__":
    unittest.main()
