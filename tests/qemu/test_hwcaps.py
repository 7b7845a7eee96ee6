"""Hardware access is a capability that init grants, and nothing else.

hwcaps gets four handles from init: the PIT's ports, IRQ 0, the VGA text
buffer and a DMA budget. It must receive five timer interrupts as IPC
notifications, write a line into the text buffer that then shows on the
screen, get DMA memory below 4 GiB, and be refused anything beyond what
it was given. noports, with no capability at all, reads port 0x60 and
must be killed with a general protection fault; hello, afterwards, shows
the system still runs.
"""

import sys
import unittest
from pathlib import Path

from userspace import exit_statuses

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

RUN = "run=hwcaps@ports:0x40:4@irq:0@phys:0xb8000:0x1000@dma:8,noports,hello"


class HardwareCapabilityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with parley.Machine(cmdline=RUN, timeout=90) as m:
            m.wait_serial(r"init: all programs finished", timeout=60)
            cls.log = m.serial_text()
            cls.screen = m.screen_text()
        cls.statuses = exit_statuses(cls.log)

    def test_interrupts_arrive_as_notifications(self):
        self.assertRegex(self.log, r"irq: line 0 bound to endpoint \d+ of \d+:hwcaps")
        self.assertIn("hwcaps: 5 timer interrupts received", self.log)

    def test_every_capability_holds_and_none_reaches_further(self):
        self.assertIn("hwcaps: 0 failed", self.log)
        self.assertEqual(self.statuses.get("hwcaps"), [0], self.log)

    def test_physical_mapping_reaches_the_screen(self):
        self.assertIn("hwcaps: written through a physical-memory capability", self.screen)

    def test_port_access_without_capability_is_killed(self):
        self.assertRegex(self.log, r"fault pid=\d+ name=noports vector=13 ")
        self.assertEqual(self.statuses.get("noports"), [141], self.log)
        self.assertNotIn("noports: read 0x", self.log)
        self.assertEqual(self.statuses.get("hello"), [0], self.log)


if __name__ == "__main__":
    unittest.main()
