"""Pipes: the pipe server and the C library's stdin and stdout on pipes.

One boot runs the pipe service (etc/services) and
`run=pipetest@use:pipe@use:pa@use:pb,pipe-writer@serve:pa,pipe-reader@serve:pb
parallel=1`: pipetest makes pipes through the service and hands their
ends to pipe-writer and pipe-reader (tests/programs/pipe_test.h). Every
program logs "NAME: FAIL ..." for each check that fails; this test
asserts that none did and that the scenarios' summaries were logged:

- pipetest's own checks: end rights, PIPE_STAT, PIPE_DUP, end of file once
  every write end is closed, -E_CLOSED with no reader, a closed end's
  badge refused, -E_AGAIN where a process would wait for itself;
- 1 MiB through a pipe arrives intact, then end of file;
- a writer gets -E_CLOSED once the reader has closed its end;
- stdout=pipe (printf, puts, putchar, fputs, stderr, fwrite, exit closing
  the end) read as stdin=pipe (fgets, getchar, fread, feof).
"""

import re
import unittest

from userspace import exit_statuses, parley, program_lines

CMDLINE = ("run=pipetest@use:pipe@use:pa@use:pb,pipe-writer@serve:pa,pipe-reader@serve:pb,"
           "pipemint@use:pipe#0x80000000 parallel=1")


class PipesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with parley.Machine(cmdline=CMDLINE, timeout=180) as m:
            m.wait_serial(r"init: all programs finished", timeout=150)
            cls.log = m.serial_text()
        cls.statuses = exit_statuses(cls.log)
        cls.lines = {name: "\n".join(text for _, text in program_lines(cls.log, name))
                     for name in ("pipetest", "pipe-writer", "pipe-reader", "pipe")}

    def test_no_check_failed(self):
        for name in ("pipetest", "pipe-writer", "pipe-reader"):
            self.assertNotIn(" FAIL ", self.lines[name], self.log)
        self.assertRegex(self.lines["pipetest"], r"pipetest: \d+ checks, 0 failed")
        self.assertRegex(self.lines["pipe-reader"], r"pipe-reader: \d+ checks, 0 failed")
        self.assertEqual(self.statuses.get("pipetest"), [0], self.log)
        self.assertEqual(self.statuses.get("pipe-reader"), [0], self.log)
        self.assertEqual(self.statuses.get("pipe-writer"), [0], self.log)

    def test_a_makers_handle_cannot_forge_an_end(self):
        # Wired as login (and so every shell) is: makes pipes, mints nothing.
        self.assertIn("pipemint: mint permission denied, create success, round trip 2", self.log)
        self.assertEqual(self.statuses.get("pipemint"), [0], self.log)

    def test_one_mebibyte_arrives_intact_then_end_of_file(self):
        self.assertIn("pipe-writer: bulk: wrote 1048576 bytes and closed", self.lines["pipe-writer"])
        m = re.search(r"pipe-reader: bulk: (\d+) bytes, (\d+) wrong, then end of file \((\d+) us\)",
                      self.lines["pipe-reader"])
        self.assertIsNotNone(m, self.log)
        self.assertEqual(int(m.group(1)), 1 << 20)
        self.assertEqual(int(m.group(2)), 0)
        print(f"\n1 MiB through a pipe in {int(m.group(3))} us")

    def test_writer_sees_closed_reader(self):
        self.assertIn("pipe-reader: closed: read 10 bytes and closed", self.lines["pipe-reader"])
        self.assertIn("pipe-writer: closed: a write after the reader closed: peer closed",
                      self.lines["pipe-writer"])

    def test_stdio_through_a_pipe(self):
        self.assertIn("pipe-reader: stdio: 1000 lines, 10000 binary bytes, 0 wrong, "
                      "then end of file", self.lines["pipe-reader"])
        # Nothing the writer printed after making stdout a pipe reached the log.
        self.assertNotRegex(self.lines["pipe-writer"], r"line \d+|to stderr")

    def test_service_running_and_nothing_faulted(self):
        self.assertRegex(self.lines["pipe"], r"pipe: ready")
        self.assertNotRegex(self.log, r"init: service pipe .*ended")
        self.assertNotRegex(self.log, r"fault pid=\d+ name=(pipe|pipetest|pipe-writer|pipe-reader) ")


if __name__ == "__main__":
    unittest.main()
