"""The PS/2 keyboard driver delivers every key, in order, decoded right.

One boot runs the driver, drivers/ps2kbd, wired to keysink
(tests/programs/keysink.c) instead of the console server: keysink serves
the keyboard side of the console protocol and logs the characters the
driver's INPUT_KEY messages carry, 100 to a line, and a count when Enter
is released. The test types through QMP send-key and compares:

  - modifiers: Shift gives capitals and shifted punctuation, Caps Lock
    toggles capitals for letters only (and Shift undoes it), Ctrl and
    right Ctrl give control characters, arrows, Delete and F12 arrive as
    their KEY_* codes, Pause makes nothing, the keypad types digits;
  - 1,000 characters (letters, digits, capitals, punctuation, space, tab)
    as fast as QEMU's input queue takes them: all arrive, in order;
  - a busy console: keysink stops taking keys for a second (F1) while 200
    more are typed; the driver must hold them, not lose them, since the
    i8042 itself buffers only a few bytes;
  - no console: keysink exits (F2); the driver says so once and stays up
    while more keys come.

QEMU's send-key queue holds about a thousand entries (each key is a few)
and silently drops the rest, so the typing is paced to the queue's own
speed (every press and release is held HOLD_MS) and done in chunks of
100 that each wait for keysink to see them; a loss is then the guest's.
"""

import functools
import random
import re
import sys
import time
import unittest
from pathlib import Path

from userspace import program_lines

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

# The keyboard service of etc/services would hold IRQ 1 and the ports, so it is left out.
RUN = ("run=keysink@serve:kb,ps2kbd@ports:0x60:1@ports:0x64:1@irq:1@use:kb#256"
       " parallel=1 noservice=keyboard")

HOLD_MS = 1         # QEMU's shortest hold: every key event waits this long in its queue
KEY_DELAY = 0.003   # about the time QEMU's queue needs for one key (2-4 events)
CHUNK = 100         # characters typed before waiting for keysink to report them
BULK = 1000
BUSY = 200

ALPHABET = ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            "!@#$%^&*()_+{}|:\"<>?~-=[]\\;',./` \t")

# keysink's KEY_* lines: Caps Lock, Up, Delete, F1, F12 (parley/proto/input.h).
KEY_UP, KEY_DELETE, KEY_F1, KEY_F12, KEY_CAPS_LOCK = 0x100, 0x109, 0x110, 0x11B, 0x123
MOD_CAPS_LOCK = 0x8


def unescape(text):
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), text)


def rounds(log):
    """keysink's rounds (up to each 'end' line): characters, key lines, counts."""
    result, chars, keys = [], "", []
    for _, line in program_lines(log, "keysink"):
        m = re.match(r"keysink: \d+ keys \(total \d+\): (\S+)$", line)
        if m:
            chars += unescape(m.group(1))
            continue
        m = re.match(r"keysink: key 0x([0-9a-f]+) mods 0x([0-9a-f]+)$", line)
        if m:
            keys.append((int(m.group(1), 16), int(m.group(2), 16)))
            continue
        m = re.match(r"keysink: end: (\d+) characters, (\d+) presses, (\d+) releases, "
                     r"(\d+) bad badges$", line)
        if m:
            counts = dict(zip(("characters", "presses", "releases", "bad_badges"),
                              map(int, m.groups())))
            result.append({"chars": chars, "keys": keys, **counts})
            chars, keys = "", []
    return result


def wait_log(m, pattern, start, timeout=30):
    """Waits for `pattern` in the serial log after offset `start`; returns the match."""
    regex = re.compile(pattern, re.MULTILINE)
    end = time.monotonic() + timeout
    while True:
        found = regex.search(m.serial_text(), start)
        if found:
            return found
        if not m.running() or time.monotonic() > end:
            raise AssertionError(f"no /{pattern}/ in the log:\n{m.serial_text()[-3000:]}")
        time.sleep(0.01)


def type_round(m, text, chunk=None):
    """Types text then Enter; with `chunk`, waits for keysink after each chunk."""
    start = len(m.serial_text())
    step = chunk or max(len(text), 1)
    for i in range(0, len(text), step):
        part = text[i:i + step]
        m.type_text(part)
        if len(part) == chunk:
            wait_log(m, rf"keysink: \d+ keys \(total {i + chunk}\):", start)
    m.type_text("\n")
    wait_log(m, r"keysink: end: ", start)


class KeyboardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        rng = random.Random(1000)
        cls.bulk_text = "".join(rng.choice(ALPHABET) for _ in range(BULK))
        cls.busy_text = "".join(rng.choice(ALPHABET) for _ in range(BUSY))
        with parley.Machine(cmdline=RUN, timeout=170) as m:
            holder = m.wait_serial(r"irq: line 1 bound to endpoint \d+ of \d+:(\S+)", timeout=30)
            if holder.group(1) != "ps2kbd":
                raise AssertionError(f"IRQ 1 went to {holder.group(1)}, not the ps2kbd wired "
                                     "to keysink (is the keyboard service still started?)")
            m.wait_serial(r"\d+:ps2kbd: ps2kbd: ready", timeout=30)
            m.wait_serial(r"keysink: ready", timeout=30)
            m.key_delay = KEY_DELAY
            # Hold each key the shortest time QEMU's input queue allows.
            m.send_key = functools.partial(m.send_key, hold_time_ms=HOLD_MS)
            m.type_text = functools.partial(m.type_text, hold_time_ms=HOLD_MS)

            m.type_text("abc")
            m.send_key("caps_lock")
            m.type_text("abc1A!")
            m.send_key("caps_lock")
            m.type_text("aB")
            for key in ("ctrl-c", "ctrl_r-d", "up", "delete", "f12", "pause", "kp_7"):
                m.send_key(key)
            type_round(m, "")

            started = time.monotonic()
            type_round(m, cls.bulk_text, chunk=CHUNK)
            cls.bulk_seconds = time.monotonic() - started

            m.send_key("f1")
            wait_log(m, rf"keysink: key 0x{KEY_F1:x} ", 0)
            started = time.monotonic()
            type_round(m, cls.busy_text)
            cls.busy_seconds = time.monotonic() - started

            m.send_key("f2")
            m.wait_serial(r"init: keysink \(pid \d+\) exited status=0")
            m.type_text("after the console left")
            m.send_key("caps_lock")  # the LED command still goes out
            m.type_text("typed into the void\n")
            m.wait_serial(r"ps2kbd: the console is gone")
            time.sleep(0.5)
            cls.log = m.serial_text()
        cls.rounds = rounds(cls.log)
        print(f"\n{BULK} keys typed and received in {cls.bulk_seconds:.2f}s "
              f"({BULK / cls.bulk_seconds:.0f}/s); {BUSY} keys behind a busy "
              f"console in {cls.busy_seconds:.2f}s", file=sys.stderr)

    def round(self, index):
        self.assertGreater(len(self.rounds), index, self.log[-3000:])
        return self.rounds[index]

    def assert_complete(self, r, text):
        self.assertEqual(r["characters"], len(text))
        self.assertEqual(r["presses"], r["releases"], "a press without its release or back")
        self.assertEqual(r["bad_badges"], 0, "keys came without the keyboard badge")

    def test_driver_starts_and_takes_irq_1(self):
        self.assertRegex(self.log, r"irq: line 1 bound to endpoint \d+ of \d+:ps2kbd")
        said = [text for _, text in program_lines(self.log, "ps2kbd")]
        self.assertEqual(said[0], "ps2kbd: ready", "the driver complained")
        self.assertEqual(said[1:], ["ps2kbd: the console is gone; keys are read and dropped "
                                    "from now on"])

    def test_driver_outlives_its_console(self):
        self.assertIn("keysink: leaving", self.log)
        self.assertNotRegex(self.log, r"init: ps2kbd .*exited|proc: \d+:ps2kbd exited")

    def test_shift_caps_ctrl_and_special_keys(self):
        r = self.round(0)
        # Caps Lock makes letters capitals but not digits; Shift with it gives lower case.
        self.assertEqual(r["chars"], "abcABC1a!aB\x03\x047")
        self.assertEqual(r["keys"], [(KEY_CAPS_LOCK, MOD_CAPS_LOCK), (KEY_CAPS_LOCK, 0),
                                     (KEY_UP, 0), (KEY_DELETE, 0), (KEY_F12, 0)])
        self.assert_complete(r, r["chars"])

    def test_thousand_keys_arrive_in_order(self):
        r = self.round(1)
        self.assertEqual(r["chars"], self.bulk_text)
        self.assert_complete(r, self.bulk_text)

    def test_busy_console_loses_nothing(self):
        r = self.round(2)
        self.assertEqual(r["keys"], [(KEY_F1, 0)])
        self.assertEqual(r["chars"], self.busy_text)
        self.assert_complete(r, self.busy_text)


if __name__ == "__main__":
    unittest.main()
