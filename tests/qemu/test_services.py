"""init starts the services of etc/services, and only with what they name.

A plain boot (no run=) must start the PCI server, the console server,
the keyboard driver and the welcome programs on consoles 1 and 2 as
separate processes, in dependency order (the console before its users),
each logged with exactly the wires its description names, the drivers at
driver priority and the rest not; and none may end. The console must
then be on screen with the welcome text.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

SERVICES = {
    "pci": "priority:driver ports:0xcf8:8 serve:pci",
    "console": "priority:driver serve:console phys:0xb8000:0x1000 ports:0x3d4:2",
    "keyboard": "priority:driver ports:0x60:1 ports:0x64:1 irq:1 use:console#256",
    "welcome1": "use:console#1",
    "welcome2": "use:console#2",
}
DRIVERS = ("pci", "console", "keyboard")


class ServicesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with parley.Machine(timeout=60) as m:
            m.wait_serial(r"init: \d+ services started", timeout=30)
            m.wait_serial(r"ps2kbd: ready", timeout=30)
            m.wait_screen(r"Welcome to Parley on console 1", timeout=30)
            m.type_text("hello parley\n")
            m.wait_screen(r"(?m)^hello parley\s*$", timeout=30)
            m.type_text("free\n")
            m.wait_screen(r"memory: \d+ KiB total, \d+ KiB free", timeout=30)
            cls.log = m.serial_text()
            cls.screen = m.screen_text()

    def started(self, name):
        match = re.search(rf"init: started {name} \(pid (\d+)\) with (.*?)\r?$", self.log,
                          re.MULTILINE)
        self.assertIsNotNone(match, self.log)
        return int(match.group(1)), match.group(2), match.start()

    def test_each_service_gets_exactly_its_wires(self):
        pids = set()
        for name, wires in SERVICES.items():
            pid, granted, _ = self.started(name)
            self.assertEqual(granted, wires)
            pids.add(pid)
        self.assertEqual(len(pids), len(SERVICES), "each service is its own process")
        self.assertRegex(self.log, rf"init: {len(SERVICES)} services started")

    def test_dependency_order(self):
        self.assertLess(self.started("console")[2], self.started("keyboard")[2])

    def test_drivers_run_at_driver_priority(self):
        for name in DRIVERS:
            pid = self.started(name)[0]
            self.assertRegex(self.log, rf"proc: {pid}:\S+ runs at driver priority")

    def test_ordinary_programs_stay_at_normal_priority(self):
        pid = self.started("welcome1")[0]
        self.assertNotRegex(self.log, rf"proc: {pid}:\S+ runs at driver priority")

    def test_welcome_answers_on_console_1(self):
        # Typed on the PS/2 keyboard, through the driver and the console server.
        self.assertIn("Welcome to Parley on console 1", self.screen)
        self.assertIn("parley> hello parley", self.screen)
        self.assertRegex(self.screen, r"memory: \d+ KiB total")

    def test_services_keep_running(self):
        self.assertNotRegex(self.log, r"init: service \S+ .*ended")
        self.assertNotRegex(self.log, r"fault pid=")
        self.assertIn("Parley console 1", self.screen)


class ServiceEndTest(unittest.TestCase):
    """init notices a service that ends and says so on the log."""

    def test_killed_service_is_reported(self):
        with parley.Machine(cmdline="run=killsvc", timeout=60) as m:
            m.wait_serial(r"init: all programs finished", timeout=40)
            m.wait_serial(r"init: service pci \(pid \d+\) ended with status 137", timeout=20)
            log = m.serial_text()
        self.assertRegex(log, r"killsvc: kill pci \(pid \d+\): done")
        self.assertRegex(log, r"proc: \d+:pci killed by \d+:killsvc")


if __name__ == "__main__":
    unittest.main()
