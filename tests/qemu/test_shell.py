"""The shell: typed on the emulated keyboard through QMP, read off the VGA screen.

Until login exists, init starts sh directly on virtual console 1 (the
console wired twice: handle 1 to read keys, handle 2 to write), with no
environment, so the shell uses root's defaults (USER=root, UID=0, HOME=/,
PWD=/, PATH=/bin) and its prompt is `root@parley:/# `. When the vfs, the
ramdisk and the pipe server are built, they are started too and the
shell gets a namespace (handle 3) and the pipe service (handle 6); the
steps that need files, programs or pipes are skipped otherwise.

Each step clears the screen with Ctrl-L first (the line editor redraws
the prompt at the top), so what it looks for on the screen can only come
from that step. The steps share one machine and run in order.
"""

import functools
import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

PROMPT = "root@parley:/# "
BARE = PROMPT.rstrip()  # the prompt as a screen row shows it
ANY_PROMPT = re.compile(r"root@parley:/\S*#")
HOLD_MS = 1          # QEMU's shortest key hold, as the keyboard test types
KEY_DELAY = 0.003
LONG_BLOCKS = 800    # "k0001" ... "k0800": a 4,000-character argument
CHUNK = 100          # characters typed before checking the screen has them all
MANY_VARIABLES = 70  # more than the 64 the shell had room for


def services_text():
    path = parley.REPO_ROOT / "init" / "services"
    return path.read_text() if path.exists() else ""


def wiring():
    """The run= option and whether the shell gets a namespace (with programs) and pipes."""
    console = "use:console#1"
    services = services_text()
    full = all(f"serve:{ep}" in services for ep in ("fs", "vfs", "pipe"))
    skip = "noservice=welcome1,login1"
    if not full:
        return f"run=sh@{console}@{console} {skip}", False
    # The root namespace as handle 3; the pipe service must be handle 6, so
    # 4 and 5 (auth and trace, which these steps do not use) are filled with
    # harmless copies of it.
    return f"run=sh@{console}@{console}@use:vfs#1@use:pipe@use:pipe@use:pipe {skip}", True


RUN, FULL = wiring()


class ShellTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(cmdline=RUN, timeout=170)
        cls.m.wait_serial(r"sh: ready for root in /", timeout=60)
        cls.m.wait_serial(r"ps2kbd: ready", timeout=30)
        cls.m.wait_screen(re.escape(PROMPT), timeout=20)
        cls.m.key_delay = KEY_DELAY
        cls.m.send_key = functools.partial(cls.m.send_key, hold_time_ms=HOLD_MS)
        cls.m.type_text = functools.partial(cls.m.type_text, hold_time_ms=HOLD_MS)

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    # Helpers

    def fresh(self):
        """Clears the screen (Ctrl-L) and waits for the prompt at the top."""
        self.m.send_key("ctrl-l")
        self.wait_rows(lambda rows: rows[0] == BARE and not any(rows[1:]))

    def fresh_anywhere(self):
        """fresh() in any directory."""
        self.m.send_key("ctrl-l")
        self.wait_rows(lambda rows: ANY_PROMPT.match(rows[0]) and not any(rows[1:]))

    def rows(self):
        return [line.rstrip() for line in self.m.screen_text().splitlines()]

    def wait_rows(self, ok, timeout=15):
        end = time.monotonic() + timeout
        while True:
            rows = self.rows()
            if ok(rows):
                return rows
            if time.monotonic() > end:
                self.fail("screen never matched:\n" + "\n".join(rows))
            time.sleep(0.1)

    def run_line(self, text, prompts=2):
        """Types text and Enter; waits until `prompts` prompts are on the screen."""
        self.m.type_text(text + "\n")
        return self.wait_rows(lambda rows: sum(bool(ANY_PROMPT.match(r)) for r in rows)
                              >= prompts)

    def type_long(self, text):
        """Types a long line CHUNK characters at a time, each time waiting until it shows."""
        for i in range(0, len(text), CHUNK):
            self.m.type_text(text[i:i + CHUNK])
            # Rows lose their trailing blanks, so a blank where the line wraps is not compared.
            tail = text[max(0, i + CHUNK - 40):i + CHUNK].replace(" ", "")
            self.wait_rows(lambda rows, tail=tail: tail in "".join(rows).replace(" ", ""),
                           timeout=30)

    def status(self):
        """$? of the last line, read back through export."""
        self.fresh()
        self.run_line("export S=$?")
        self.fresh()
        rows = self.run_line("export")
        m = re.search(r"^export S=(\d+)$", "\n".join(rows), re.MULTILINE)
        self.assertIsNotNone(m, rows)
        return int(m.group(1))

    # Steps

    def test_01_prompt_and_defaults(self):
        self.fresh()
        rows = self.run_line("export")
        text = "\n".join(rows)
        for line in ("export USER=root", "export UID=0", "export HOME=/", "export PWD=/",
                     "export PATH=/bin"):
            self.assertIn(line, text)

    def test_02_unknown_command(self):
        self.fresh()
        rows = self.run_line("nosuchcmd one two")
        self.assertEqual(rows[1], "nosuchcmd: command not found")
        self.assertEqual(self.status(), 127)

    def test_03_history_recall(self):
        self.fresh()
        self.run_line("cd /no_such_dir")
        self.m.send_key("up")
        self.wait_rows(lambda rows: rows[2] == PROMPT + "cd /no_such_dir")
        self.m.send_key("ret")
        rows = self.wait_rows(lambda rows: sum(r.startswith(BARE) for r in rows) >= 3)
        self.assertEqual(rows.count("cd: /no_such_dir: no such file or directory"), 2, rows)
        self.fresh()
        rows = self.run_line("history")
        self.assertRegex("\n".join(rows), r"\n +\d+  cd /no_such_dir\n +\d+  history")

    def test_04_editing_keys(self):
        self.fresh()
        self.m.type_text("wd")
        self.m.send_key("home")
        self.m.type_text("p")
        self.m.send_key("end")
        self.m.type_text("xx")
        self.m.send_key("backspace")
        self.m.send_key("left")
        self.m.send_key("delete")
        rows = self.run_line("")
        self.assertEqual(rows[0], PROMPT + "pwd")
        self.assertEqual(rows[1], "/")
        self.fresh()
        self.m.type_text("garbage words")
        self.m.send_key("ctrl-u")
        rows = self.run_line("pwd")
        self.assertEqual(rows[:2], [PROMPT + "pwd", "/"])

    def test_05_ctrl_c_drops_the_line(self):
        self.fresh()
        self.m.type_text("nosuchcmd abc")
        self.m.send_key("ctrl-c")
        rows = self.wait_rows(lambda rows: rows[1] == BARE)
        self.assertEqual(rows[0], PROMPT + "nosuchcmd abc^C")
        self.assertEqual(self.status(), 130)

    def test_06_quoting_and_variables(self):
        self.fresh()
        self.run_line("export A='a  b'")
        self.fresh()
        self.run_line("export B=\"[$A] \\$A\"")
        self.fresh()
        rows = self.run_line("export")
        text = "\n".join(rows)
        self.assertIn("export A=a  b", text)
        self.assertIn("export B=[a  b] $A", text)
        self.fresh()
        rows = self.run_line("echo 'unterminated")
        self.assertRegex(rows[1], r"^sh: missing closing '")
        self.assertEqual(self.status(), 2)

    def test_06b_comments_and_unset(self):
        self.fresh()
        # A ';' inside a comment separates nothing: C2 is never set.
        self.run_line("export C1=yes # ; export C2=no")
        self.fresh()
        text = "\n".join(self.run_line("export"))
        self.assertIn("export C1=yes", text)
        self.assertNotIn("C2", text)
        if FULL:
            self.fresh()
            rows = self.run_line("echo hi # note; echo X")
            self.assertEqual(rows[1:3], ["hi", BARE], rows)
        self.fresh()
        self.run_line("export U1=one U2=two")
        self.fresh()
        self.run_line("unset U1 NOTSET C1")
        self.assertEqual(self.status(), 0)
        self.fresh()
        text = "\n".join(self.run_line("export"))
        self.assertIn("export U2=two", text)
        self.assertNotIn("U1", text)
        self.assertNotIn("C1", text)
        self.fresh()
        rows = self.run_line("unset 1bad U2")
        self.assertEqual(rows[1], "unset: 1bad: not a valid name")
        self.assertEqual(self.status(), 1)
        self.fresh()
        self.assertNotIn("U2", "\n".join(self.run_line("export")))

    def test_07_help_and_builtins(self):
        self.fresh()
        rows = self.run_line("help")
        text = "\n".join(rows)
        for name in ("cd [DIR]", "pwd", "exit [STATUS]", "logout", "export", "unset NAME...",
                     "history"):
            self.assertIn(name, text)
        self.fresh()
        rows = self.run_line("cd / /")
        self.assertEqual(rows[1], "cd: too many arguments")

    def test_08_files_pipes_and_programs(self):
        if not FULL:
            self.skipTest("no vfs, ramdisk, pipe server or utilities built yet")
        self.fresh()
        self.run_line("echo hi > /tmp/x")
        self.fresh()
        rows = self.run_line("cat /tmp/x | wc")
        self.assertRegex(rows[1], r"^\s*1\s+1\s+3\b", rows)
        self.fresh()
        # The issue's own line: ';' runs one pipeline after the other.
        rows = self.run_line("echo hi > /tmp/y; cat /tmp/y | wc")
        self.assertRegex(rows[1], r"^\s*1\s+1\s+3\b", rows)
        self.fresh()
        self.run_line("echo more >> /tmp/x")
        self.fresh()
        rows = self.run_line("cat < /tmp/x")
        self.assertEqual(rows[1:3], ["hi", "more"])
        self.fresh()
        rows = self.run_line("cd /tmp")
        self.assertEqual(rows[1], "root@parley:/tmp#")
        rows = self.run_line("pwd", prompts=3)
        self.assertEqual(rows[1:3], ["root@parley:/tmp# pwd", "/tmp"])
        self.fresh_anywhere()
        rows = self.run_line("cd ..")
        self.assertEqual(rows[1], BARE)

    def test_08b_ctrl_c_stops_a_program(self):
        if not FULL:
            self.skipTest("no vfs, ramdisk, pipe server or utilities built yet")
        self.fresh()
        self.m.type_text("cat\n")
        self.m.type_text("typed to cat\n")
        self.wait_rows(lambda rows: rows[1:3] == ["typed to cat", "typed to cat"])
        self.m.send_key("ctrl-c")
        self.wait_rows(lambda rows: any(r == BARE for r in rows[3:]))
        self.assertEqual(self.status(), 130)

    def test_08c_ctrl_c_stops_a_program_that_never_reads(self):
        if not FULL:
            self.skipTest("no vfs, ramdisk, pipe server or utilities built yet")
        self.fresh()
        self.m.type_text("loop\n")
        self.m.wait_serial(r"proc: started \d+:loop", timeout=20)
        self.m.send_key("ctrl-c")
        self.m.wait_serial(r"proc: \d+:loop killed by \d+:sh", timeout=20)
        self.wait_rows(lambda rows: any(r == BARE for r in rows[1:]))
        self.assertEqual(self.status(), 130)

    def test_08d_ctrl_c_stops_a_builtin_in_a_pipeline(self):
        # More history than a pipe holds (64 KiB): 20 lines of 3,600 characters,
        # the first typed, the others brought back with Up and one more letter.
        if not FULL:
            self.skipTest("no vfs, ramdisk, pipe server or utilities built yet")
        self.fresh()
        self.m.type_text("export H=")
        self.type_long("h" * 3600)
        self.m.send_key("ret")
        for _ in range(19):
            self.fresh()
            self.m.send_key("up")
            self.m.type_text("h\n")
            self.wait_rows(lambda rows: any(r == BARE for r in rows[1:]), timeout=30)
        # history waits in its write to a pipe nobody reads, inside the shell.
        self.fresh()
        self.m.type_text("history | loop\n")
        self.m.wait_serial(r"proc: started \d+:loop", timeout=20)
        self.m.send_key("ctrl-c")
        self.m.wait_serial(r"proc: \d+:loop killed by \d+:sh", timeout=20)
        self.wait_rows(lambda rows: any(r == BARE for r in rows[1:]))
        self.fresh()
        self.run_line("export S=$?; unset H")  # H would fill the screen of `export`
        self.fresh()
        rows = self.run_line("export")
        self.assertIn("export S=130", rows)

    def test_09_long_line(self):
        self.fresh()
        word = "".join(f"k{i:04d}" for i in range(1, LONG_BLOCKS + 1))
        command = "echo" if FULL else "nosuchcmd"
        self.m.type_text(command + " ")
        self.type_long(word)
        self.m.send_key("ret")
        if FULL:
            self.wait_rows(lambda rows: rows[-2].endswith("k0800") and rows[-1] == BARE,
                           timeout=30)
        else:
            rows = self.wait_rows(lambda rows: rows[-1] == BARE, timeout=30)
            self.assertEqual(rows[-2], "nosuchcmd: command not found")
        self.fresh()
        rows = self.run_line("pwd")
        self.assertEqual(rows[1], "/")

    def test_09b_many_variables(self):
        # More variables than the shell once had room for (64).
        names = [f"V{i}" for i in range(1, MANY_VARIABLES + 1)]
        last = f"export V{MANY_VARIABLES}=v{MANY_VARIABLES}"
        self.fresh()
        self.type_long("export " + " ".join(f"{n}={n.lower()}" for n in names))
        self.m.send_key("ret")
        rows = self.wait_rows(lambda rows: BARE in rows, timeout=30)
        self.assertNotIn("export:", "\n".join(rows))
        self.fresh()
        self.m.type_text("export\n")  # a listing longer than the screen: the last rows
        rows = self.wait_rows(lambda rows: rows[-1] == BARE and last in rows, timeout=30)
        self.assertEqual(rows[-3:-1], [f"export V{MANY_VARIABLES - 1}=v{MANY_VARIABLES - 1}",
                                       last], rows)
        if FULL:
            # A program takes at most 32 variables (SPAWN_MAX_ARGS): the shell says so.
            self.fresh()
            rows = self.run_line("true")
            self.assertRegex(rows[1], r"^true: \d+ variables, but a program takes at most 32")
        self.fresh()
        self.type_long("unset " + " ".join(names))
        self.m.send_key("ret")
        self.wait_rows(lambda rows: BARE in rows, timeout=30)
        self.fresh()
        self.assertNotIn("V1=", "\n".join(self.run_line("export")))
        if FULL:
            self.fresh()
            self.run_line("true")
            self.assertEqual(self.status(), 0)

    def test_10_ctrl_d_logs_out(self):
        self.fresh()
        self.m.send_key("ctrl-d")
        self.m.wait_serial(r"init: sh \(pid \d+\) exited status=0", timeout=20)
        self.assertIn("logout", self.rows()[1])
        self.assertNotRegex(self.m.serial_text(), r"fault pid=\d+ name=sh ")


if __name__ == "__main__":
    unittest.main(verbosity=2)
