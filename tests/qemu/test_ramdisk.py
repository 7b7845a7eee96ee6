"""The ramdisk serves files and directories; fstest drives it through <parley/fs.h>.

One boot runs `run=ramdisk@serve:fs@use:fs,fstest@use:fs parallel=1`. The
ramdisk's second handle is a plain send right on its own endpoint, from
which it mints the badged handles it gives clients (open files and
directories); fstest's handle is unbadged, which the server takes as the
root directory with every right.

fstest checks everything itself (directories, 1 MiB through memory
regions, small inline reads and writes, truncate, stat times, readdir,
rename across directories, unlink, rmdir, ".." confinement, read-only
handles, rights never widened, stale and made-up handles) and logs
"fstest: FAIL ..." for each check that fails. This test asserts the
summary, that nothing faulted, and that the server is still serving
afterwards (it keeps a send handle to its own endpoint, so it never sees
its clients leave and runs like a service; the boot is ended from here).
"""

import re
import unittest

from userspace import exit_statuses, parley, program_lines

CMDLINE = "run=ramdisk@serve:fs@use:fs,fstest@use:fs parallel=1 noservice=ramdisk,vfs,auth,login1,login2,login3,login4"


class RamdiskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with parley.Machine(cmdline=CMDLINE, timeout=180) as m:
            m.wait_serial(r"init: fstest \(pid \d+\) exited status=", timeout=150)
            cls.log = m.serial_text()
        cls.statuses = exit_statuses(cls.log)
        cls.fstest = [text for _, text in program_lines(cls.log, "fstest")]
        cls.ramdisk = [text for _, text in program_lines(cls.log, "ramdisk")]

    def test_every_check_passes(self):
        failures = [line for line in self.fstest if " FAIL " in line]
        self.assertEqual(failures, [], self.log)
        m = re.search(r"^fstest: (\d+) checks, (\d+) failed$", "\n".join(self.fstest), re.MULTILINE)
        self.assertIsNotNone(m, self.log)
        self.assertGreaterEqual(int(m.group(1)), 150, self.log)
        self.assertEqual(int(m.group(2)), 0, self.log)
        self.assertEqual(self.statuses.get("fstest"), [0], self.log)

    def test_server_started_and_is_still_serving(self):
        self.assertRegex("\n".join(self.ramdisk), r"ramdisk: ready, \d+ KiB for files")
        self.assertRegex(self.log, r"init: started ramdisk \(pid \d+\) with serve:fs use:fs")
        self.assertNotIn("ramdisk", self.statuses, self.log)
        self.assertFalse(any("stopped" in line for line in self.ramdisk), self.log)

    def test_nothing_faulted(self):
        self.assertNotRegex(self.log, r"fault pid=\d+ name=(ramdisk|fstest) ")

    def test_timings_are_reported(self):
        text = "\n".join(self.fstest)
        m = re.search(r"fstest: 1 MiB written in (\d+) us \((\d+) MiB/s, (\d+) tsc\), "
                      r"read in (\d+) us \((\d+) MiB/s, (\d+) tsc\), best of \d+", text)
        self.assertIsNotNone(m, self.log)
        self.assertGreater(int(m.group(3)), 0)
        self.assertGreater(int(m.group(6)), 0)
        self.assertRegex(text, r"fstest: a 4-byte read takes \d+ ns \(\d+ tsc\), mean of \d+")
        print(f"\n{m.group(0)}")


if __name__ == "__main__":
    unittest.main()
