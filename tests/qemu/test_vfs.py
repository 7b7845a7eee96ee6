"""The vfs gives each namespace exactly its mounts; nstest checks it.

One normal boot (the ramdisk and the vfs start as services from
etc/services, and init copies the boot image into the ramdisk before
anything else starts) with `run=nstest@use:vfs#1 parallel=1`: nstest's
handle 1 is the root namespace. nstest (tests/programs/nstest.c) checks
the root namespace's view and the owners init set, derives alice's
namespace (/bin ro, /home/alice rw, /tmp rw) and checks that nothing else
can be named in it, that "/" and "/home" list only her mounts, that /bin
cannot be written and her home can, and that spawn_path starts programs
from the namespace, including itself as a child there with an
environment. It logs "nstest: FAIL ..." for each failed check; this test
asserts the summary, the child's report, init's population of the
ramdisk and the service wiring, and that nothing faulted.
"""

import re
import unittest

from userspace import exit_statuses, parley, program_lines

CMDLINE = "run=nstest@use:vfs#1 parallel=1"


class VfsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with parley.Machine(cmdline=CMDLINE, timeout=180) as m:
            m.wait_serial(r"init: nstest \(pid \d+\) exited status=", timeout=150)
            cls.log = m.serial_text()
        cls.statuses = exit_statuses(cls.log)
        cls.nstest = [text for _, text in program_lines(cls.log, "nstest")]

    def test_every_check_passes(self):
        failures = [line for line in self.nstest if "FAIL" in line]
        self.assertEqual(failures, [], self.log)
        m = re.search(r"^nstest: (\d+) checks, (\d+) failed$", "\n".join(self.nstest),
                      re.MULTILINE)
        self.assertIsNotNone(m, self.log)
        self.assertGreaterEqual(int(m.group(1)), 100, self.log)
        self.assertEqual(int(m.group(2)), 0, self.log)
        self.assertEqual(self.statuses.get("nstest"), [0], self.log)

    def test_child_ran_in_alices_namespace(self):
        self.assertIn("nstest: child in alice's namespace: ok", self.nstest, self.log)
        self.assertRegex(self.log, r"\d+:hello: hello from user space: argc=2 argv\[0\]=hello")

    def test_services_and_population(self):
        self.assertRegex(self.log, r"init: started ramdisk \(pid \d+\) with serve:fs use:fs")
        self.assertRegex(self.log, r"init: started vfs \(pid \d+\) with serve:vfs use:fs use:vfs")
        m = re.search(r"init: ramdisk populated: (\d+) files from the boot image", self.log)
        self.assertIsNotNone(m, self.log)
        self.assertGreater(int(m.group(1)), 10)
        # The file system is full before the vfs (and anything using it) starts.
        self.assertLess(m.start(), self.log.index("init: started vfs"))
        self.assertRegex(self.log, r"\d+:vfs: vfs: ready")
        self.assertNotIn("vfs", self.statuses, self.log)
        self.assertNotIn("ramdisk", self.statuses, self.log)

    def test_nothing_faulted(self):
        self.assertNotRegex(self.log, r"fault pid=\d+ name=(vfs|ramdisk|nstest|hello|init) ")


if __name__ == "__main__":
    unittest.main()
