"""The kernel's protections of itself: W^X of its text and data, and the IST stacks.

Three built-in tests (kernel/ktest.c), each in its own boot; each must
end in the exception dump and a panic (QEMU status 35 in test mode):

- `test=write_text`: a write to the kernel's own code is a page fault
  with "present, write, kernel mode" (err bits 0 and 1), cr2 the address.
- `test=write_text_alias`: so is a write to it through the direct map of
  physical memory (after a write to kernel data there has worked).
- `test=exec_data`: a jump into kernel data is a page fault with the
  instruction-fetch bit (4) and rip = cr2 = the data's address.
- `test=doublefault`: a push with rsp unmapped faults, and the CPU cannot
  push that fault's frame either: the double fault (vector 8) runs on its
  IST stack and reports. Without IST the CPU would reset the machine.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402
from test_exception_dump import EXCEPTION  # noqa: E402

PF_PRESENT, PF_WRITE, PF_USER, PF_FETCH = 1 << 0, 1 << 1, 1 << 2, 1 << 4


def run(name):
    with parley.Machine(cmdline=f"test={name}", timeout=90) as m:
        status = m.wait_exit(timeout=60)
        text = m.serial_text()
    return status, text


class KernelProtectionsTest(unittest.TestCase):
    def dump(self, name):
        status, text = run(name)
        self.assertEqual(status, parley.EXIT_FAIL, f"serial log:\n{text}")
        self.assertIn(f"test: {name} start", text)
        self.assertNotIn(f"test: {name} fail", text, text)
        exc = EXCEPTION.search(text)
        self.assertIsNotNone(exc, f"no exception line in:\n{text}")
        self.assertRegex(text[exc.end():], r"PANIC: \S")
        return exc, text

    def test_kernel_text_is_not_writable(self):
        exc, text = self.dump("write_text")
        address = re.search(r"writing kernel text at (0x[0-9a-f]+)", text).group(1)
        self.assertEqual(exc["vector"], "14")
        self.assertEqual(int(exc["cr2"], 16), int(address, 16))
        err = int(exc["err"], 16)
        self.assertEqual(err & (PF_PRESENT | PF_WRITE | PF_USER), PF_PRESENT | PF_WRITE,
                         f"err=0x{err:x} is not a kernel write to a present page")

    def test_kernel_text_is_not_writable_through_the_direct_map(self):
        exc, text = self.dump("write_text_alias")
        address = re.search(r"writing kernel text through the direct map at (0x[0-9a-f]+)",
                            text).group(1)
        self.assertTrue(address.startswith("0xffff8"), address)
        self.assertEqual(exc["vector"], "14")
        self.assertEqual(int(exc["cr2"], 16), int(address, 16))
        err = int(exc["err"], 16)
        self.assertEqual(err & (PF_PRESENT | PF_WRITE | PF_USER), PF_PRESENT | PF_WRITE,
                         f"err=0x{err:x} is not a kernel write to a present page")

    def test_kernel_data_is_not_executable(self):
        exc, text = self.dump("exec_data")
        address = int(re.search(r"executing kernel data at (0x[0-9a-f]+)", text).group(1), 16)
        self.assertEqual(exc["vector"], "14")
        self.assertEqual((int(exc["cr2"], 16), int(exc["rip"], 16)), (address, address))
        err = int(exc["err"], 16)
        self.assertTrue(err & PF_FETCH and err & PF_PRESENT and not err & PF_USER,
                        f"err=0x{err:x} is not a kernel fetch from a present page")

    def test_a_double_fault_runs_on_its_own_stack(self):
        exc, text = self.dump("doublefault")
        self.assertEqual(exc["vector"], "8", text)
        self.assertEqual(exc["rsp"].lower()[:13], "0x00000dead00", "not the unusable stack")


if __name__ == "__main__":
    unittest.main()
