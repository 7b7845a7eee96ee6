"""The console server: virtual consoles, line editing and the keyboard path.

Boots with the console server, the PS/2 keyboard driver and termtest
(tests/programs/termtest.c) on virtual consoles 1 and 3, then types on
the emulated keyboard through QMP and reads the VGA screen back:

- echo and `you typed:` replies, editing keys, a line longer than a
  screen row (its reply comes back in a memory region), Ctrl-C, Ctrl-D;
- ANSI colours and cursor movement, and unknown sequences that must
  leave no trace on the screen;
- a no-echo read (a password) shows nothing of what is typed;
- keys typed while nobody reads are kept for the next read;
- a second reader on a busy console is refused with -E_BUSY;
- Shift+PgUp/PgDn scroll back through earlier lines;
- Alt+F2 and Alt+F4 show other consoles, each empty, Alt+F1 the first
  again, its text intact, and what runs on console 3 never shows on
  console 1 (the screen is compared once it has stopped changing);
- malformed requests and a client with a foreign badge are refused.

The steps share one machine and run in order (unittest sorts the test
names), each starting from the prompt the step before left.
"""

import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PROMPT = "termtest> "


def console_wiring():
    """The run= list: termtest on the services' console, or a console of its own."""
    services = REPO / "init" / "services"
    text = services.read_text() if services.exists() else ""
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 3 and not line.startswith("#") and words[1] == "bin/console":
            endpoint = next(w[6:] for w in words[2:] if w.startswith("serve:"))
            return (f"termtest@use:{endpoint}#1,termtest@use:{endpoint}#3,"
                    f"termtest@use:{endpoint}#9")
    return ("console@serve:con@phys:0xb8000:0x1000@ports:0x3d4:2,"
            "ps2kbd@ports:0x60:1@ports:0x64:1@irq:1@use:con#256,"
            "termtest@use:con#1,termtest@use:con#3,termtest@use:con#9")


# The login services read consoles 1-4 themselves; termtest needs 1 and 3.
RUN = f"run={console_wiring()} parallel=1 noservice=login1,login2,login3,login4"


class ConsoleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = parley.Machine(cmdline=RUN, timeout=170)
        cls.m.wait_serial(r"console: ready, 4 virtual consoles", timeout=40)
        cls.m.wait_screen(r"Parley console 1 of 4", timeout=20)
        cls.m.wait_screen(re.escape(PROMPT), timeout=20)
        cls.m.wait_serial(r"ps2kbd: ready", timeout=20)

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    # Helpers

    def screen(self):
        return self.m.screen_text()

    def attributes(self, row, col, count):
        """The colour bytes of `count` cells from (row, col), read from guest memory."""
        dump = self.m.tmp / "attrs.bin"
        self.m.qmp().execute("pmemsave", val=parley.VGA_TEXT_BASE, size=4000,
                             filename=str(dump))
        data = dump.read_bytes()
        start = (row * 80 + col) * 2
        return list(data[start + 1:start + 2 * count:2])

    def line(self, text):
        """Types text and Enter, and waits for termtest's answer."""
        self.m.type_text(text + "\n")
        return self.m.wait_screen(re.escape(f"you typed: {text}"), timeout=20)

    def settle(self, timeout=20):
        """The screen once it has stopped changing (five reads 100 ms apart agree)."""
        deadline = time.monotonic() + timeout
        last, same = self.screen(), 0
        while same < 5:
            if time.monotonic() > deadline:
                self.fail("the screen never stopped changing:\n" + last)
            time.sleep(0.1)
            now = self.screen()
            same = same + 1 if now == last else 0
            last = now
        return last

    # Steps, in order

    def test_01_start(self):
        self.m.wait_serial(r"\d+:termtest: termtest: on console 1 \(80x25\)", timeout=20)
        self.m.wait_serial(r"termtest: protocol checks passed", timeout=20)
        self.assertNotIn("protocol check '", self.m.serial_text())
        # A client whose badge names no console is refused.
        self.m.wait_serial(r"termtest: console_info failed: permission denied", timeout=20)
        # Console 3's termtest draws nothing on the shown console 1.
        self.m.wait_serial(r"termtest: on console 3", timeout=20)
        self.settle()
        self.assertNotIn("Parley console 3", self.screen())
        self.assertEqual(self.screen().count(PROMPT), 1, self.screen())

    def test_02_echo(self):
        self.line("hello world")
        self.assertIn(PROMPT + "hello world", self.screen())
        self.m.wait_serial(r"termtest: line 1 \(11\): hello world", timeout=20)

    def test_03_editing_keys(self):
        self.m.type_text("abcd")
        for key in ("left", "left"):
            self.m.send_key(key)
        self.m.type_text("X")  # abXcd
        self.m.send_key("home")
        self.m.send_key("delete")  # bXcd
        self.m.send_key("end")
        self.m.send_key("backspace")  # bXc
        self.m.type_text("\n")
        self.m.wait_screen(r"you typed: bXc\s", timeout=20)
        self.m.type_text("erase me")
        self.m.send_key("ctrl-u")
        self.line("fresh")
        self.m.wait_serial(r"termtest: line \d+ \(5\): fresh", timeout=20)

    def test_04_long_line(self):
        text = "0123456789" * 10
        self.m.type_text(text + "\n")
        self.m.wait_serial(rf"termtest: line \d+ \(100\): {text}\r?$", timeout=20)
        self.m.wait_screen(r"you typed: 0123456789012345678901234567890", timeout=20)

    def test_05_ctrl_c(self):
        self.m.type_text("junk")
        self.m.send_key("ctrl-c")
        self.m.wait_screen(re.escape(PROMPT + "junk^C"), timeout=20)
        self.m.wait_screen(r"\(interrupted\)", timeout=20)
        self.m.wait_serial(r"termtest: interrupted", timeout=20)

    def test_06_ansi(self):
        self.m.type_text("ansi\n")
        m = self.m.wait_screen(r"^red bold-green on-blue bright-yellow", timeout=20)
        self.m.wait_screen(r"^ansi\[\]ok *$", timeout=20)
        self.m.wait_screen(r"^abcXY *$", timeout=20)
        screen = self.screen()
        self.assertNotIn("\u2190", screen)  # ESC drawn as a glyph
        self.assertNotIn("[?25", screen)
        row = screen[:m.start()].count("\n")
        # red (VGA 4), bold green (bright 0xA), white on blue (0x17), bright yellow (0xE)
        self.assertEqual(self.attributes(row, 0, 1), [0x04])
        self.assertEqual(self.attributes(row, 4, 1), [0x0A])
        self.assertEqual(self.attributes(row, 15, 1), [0x17])
        self.assertEqual(self.attributes(row, 23, 1), [0x0E])
        self.assertEqual(self.attributes(row, 3, 1), [0x07])

    def test_07_no_echo(self):
        self.m.type_text("secret\n")
        self.m.wait_screen(r"password: ", timeout=20)
        self.m.type_text("hunter2\n")
        self.m.wait_screen(r"secret accepted \(7 characters\)", timeout=20)
        self.assertNotIn("hunter2", self.screen())
        self.assertRegex(self.screen(), r"password: *\n")
        self.m.wait_serial(r"termtest: line \d+ \(7\): hunter2", timeout=20)

    def test_08_typeahead(self):
        self.m.type_text("sleep\n")
        self.m.wait_screen(r"sleeping", timeout=20)
        self.m.type_text("early bird\n")
        self.assertNotIn("termtest: awake", self.m.serial_text(),
                         "typing took longer than termtest slept")
        self.m.wait_screen(r"you typed: early bird", timeout=20)

    def test_09_second_reader_busy(self):
        self.m.type_text("busy\n")
        self.m.wait_serial(r"termtest: second reader: resource busy", timeout=20)
        self.m.wait_screen(r"thread> ", timeout=20)
        self.m.type_text("for thread\n")
        self.m.wait_serial(r"termtest: thread read 10: for thread", timeout=20)
        self.m.wait_screen(re.escape(PROMPT) + r" *$", timeout=20)

    def test_10_scrollback(self):
        self.m.type_text("lines 100\n")
        self.m.wait_screen(r"numbered line 100 of 100", timeout=20)
        self.m.wait_screen(re.escape(PROMPT) + r" *\Z", timeout=20)
        self.assertNotIn("numbered line 60 of", self.screen())
        self.m.send_key("shift-pgup")
        self.m.wait_screen(r"numbered line 65 of 100", timeout=20)
        self.assertNotIn("numbered line 100 of 100", self.screen())
        self.m.send_key("shift-pgup")
        self.m.wait_screen(r"numbered line 53 of 100", timeout=20)
        self.m.send_key("shift-pgdn")
        self.m.send_key("shift-pgdn")
        self.m.wait_screen(r"numbered line 100 of 100", timeout=20)
        # Any key returns to the bottom.
        self.m.send_key("shift-pgup")
        self.m.wait_screen(r"numbered line 65 of 100", timeout=20)
        self.m.type_text("z")
        self.m.wait_screen(re.escape(PROMPT + "z"), timeout=20)
        self.m.send_key("backspace")
        self.m.wait_screen(re.escape(PROMPT) + r" *\Z", timeout=20)

    def test_11_switch_consoles(self):
        before = self.screen()
        self.m.send_key("alt-f2")
        self.m.wait_screen(r"Parley console 2 of 4", timeout=20)
        self.settle()
        screen = self.screen()
        self.assertNotIn("termtest", screen)
        self.assertNotIn("numbered line", screen)
        self.assertEqual(screen.strip().count("\n"), 0, screen)  # just the title

        self.m.send_key("alt-f3")
        self.m.wait_screen(r"Parley console 3 of 4", timeout=20)
        self.m.wait_screen(re.escape(PROMPT), timeout=20)
        self.line("on three")
        self.m.wait_serial(r"termtest: line 1 \(8\): on three", timeout=20)

        # Console 4: its own empty screen too, and Alt+F1 brings console 1 back intact.
        self.m.send_key("alt-f4")
        self.m.wait_screen(r"Parley console 4 of 4", timeout=20)
        screen = self.settle()
        self.assertNotIn("on three", screen)
        self.assertEqual(screen.strip().count("\n"), 0, screen)

        self.m.send_key("alt-f1")
        self.m.wait_screen(r"numbered line 100 of 100", timeout=20)
        self.assertEqual(self.settle(), before)

    def test_12_end_of_input_and_quit(self):
        self.m.send_key("alt-f3")
        self.m.wait_screen(r"you typed: on three", timeout=20)
        self.m.send_key("ctrl-d")
        self.m.wait_serial(r"termtest: end of input", timeout=20)
        self.m.send_key("alt-f1")
        self.m.wait_screen(r"numbered line 100 of 100", timeout=20)
        self.m.type_text("quit\n")
        self.m.wait_serial(r"termtest: got \d{2} lines", timeout=20)
        self.m.wait_screen(r"termtest: bye", timeout=20)
        log = self.m.serial_text()
        self.assertRegex(log, r"termtest: got 1 lines")
        self.assertNotRegex(log, r"console \(pid \d+\) exited")
        self.assertNotRegex(log, r"name=console vector=")


if __name__ == "__main__":
    unittest.main()
