"""init starts the services of etc/services, and only with what they name.

A plain boot (no run=) must start every service init/services describes
(drivers, file system, auth, login on each console, pipes) as separate
processes, in dependency order (the console before its users), each
logged with exactly the wires its description names, the drivers at
driver priority and the rest not; and none may end. Console 1 must then
show the login prompt.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def described_services():
    """name -> wires, as init/services (etc/services in the boot image) describes them."""
    services = {}
    for line in (REPO / "init" / "services").read_text().splitlines():
        words = line.split()
        if words and not words[0].startswith("#"):
            services[words[0]] = " ".join(words[2:])
    return services


SERVICES = described_services()
DRIVERS = ("pci", "console", "keyboard")


class ServicesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with parley.Machine(timeout=60) as m:
            m.wait_serial(r"init: \d+ services started", timeout=30)
            m.wait_serial(r"ps2kbd: ready", timeout=30)
            m.wait_screen(r"login: ", timeout=60)
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
        pid = self.started("login1")[0]
        self.assertNotRegex(self.log, rf"proc: {pid}:\S+ runs at driver priority")

    def test_login_prompt_on_console_1(self):
        self.assertIn("login: ", self.screen)

    def test_services_keep_running(self):
        self.assertNotRegex(self.log, r"init: service \S+ .*ended")
        self.assertNotRegex(self.log, r"fault pid=")
        self.assertIn("login: ", self.screen)


class ServiceEndTest(unittest.TestCase):
    """init notices a service that ends and says so on the log."""

    def test_killed_service_is_reported(self):
        with parley.Machine(cmdline="run=killsvc@proc:pci", timeout=60) as m:
            m.wait_serial(r"init: all programs finished", timeout=40)
            m.wait_serial(r"init: service pci \(pid \d+\) ended with status 137", timeout=20)
            log = m.serial_text()
        # No ambient authority: uid 0 alone does not end a service; the handle does.
        self.assertRegex(log, r"killsvc: sys_kill pci \(pid \d+\): permission denied")
        self.assertRegex(log, r"killsvc: end pci \(pid \d+\) through its handle: done")
        self.assertRegex(log, r"proc: \d+:pci ended through a process handle by \d+:killsvc")


if __name__ == "__main__":
    unittest.main()
