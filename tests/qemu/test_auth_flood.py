"""A user's flood of wrong passwords does not hold up anyone else's login.

Typed on the PS/2 keyboard through QMP, read from the VGA screen: alice
logs in on console 1 and runs /bin/authflood, eight threads calling
AUTH_LOGIN with a wrong password through the auth handle every program
of hers gets (tests/programs/authflood.c). While it runs, bob logs in on
console 2: his prompt must appear within BOB_LOGIN_MAX seconds of his
Enter (before auth served requests concurrently it took over ten
seconds, each of alice's guesses holding the only thread for a second),
and a command must run; `ps` must show auth within the memory of two
password checks. auth must have gone on refusing alice meanwhile,
her flood must end with only refusals and busy answers, and nothing may
panic.
"""

import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

FLOOD_THREADS = 8
FLOOD_SECONDS = 25
BOB_LOGIN_MAX = 5.0  # seconds from bob's Enter to his prompt, flood or not
AUTH_MEMORY_MAX_MIB = 2 * 19 + 2  # AUTH_WORKERS checks of 19 MiB, and buffers
FAILED = re.compile(r"auth: failed login from pid (\d+)")


class AuthFloodTest(unittest.TestCase):
    def test_flood_does_not_stall_another_login(self):
        with parley.Machine(timeout=170) as m:
            m.wait_serial(r"auth: ready", timeout=60)
            m.wait_screen(r"(?m)^login: *$", timeout=30)
            m.log_in(1, "alice")
            m.run_line(f"authflood -t {FLOOD_THREADS} -s {FLOOD_SECONDS}",
                       r"authflood: \d+ threads guessing alice's password")
            # The flood is on once auth has refused one of its guesses.
            m.wait_serial(FAILED.pattern, timeout=30)
            refused_before = len(FAILED.findall(m.serial_text()))

            m.send_key("alt-f2")
            m.wait_screen(r"Parley login \(console 2\)", timeout=20)
            m.wait_screen(r"(?m)^login: *$", timeout=20)
            m.type_text("bob\n")
            m.wait_screen(r"Password: *$", timeout=20)
            m.type_text("bob")
            entered = time.monotonic()
            m.send_key("ret")
            m.wait_screen(r"bob@parley:/home/bob\$ *$", timeout=30)
            took = time.monotonic() - entered
            print(f"bob's login took {took:.2f} s during the flood")
            self.assertLess(took, BOB_LOGIN_MAX,
                            f"bob's login took {took:.1f} s while alice flooded auth")
            m.run_line("whoami", r"(?m)^bob\s*$")
            # Both workers have checked a password by now: auth holds at most two hashes' memory.
            auth = m.run_line(
                "ps", r"(?m)^\s*\d+\s+\d+\s+\S+\s+\w+\s+(\d+) (KiB|MiB) auth\s*$")
            mib = int(auth.group(1)) / (1024 if auth.group(2) == "KiB" else 1)
            print(f"auth uses {mib:.0f} MiB")
            self.assertLessEqual(mib, AUTH_MEMORY_MAX_MIB, auth.group(0))

            # alice's flood was live all along: auth went on refusing her.
            serial = m.serial_text()
            self.assertGreater(len(FAILED.findall(serial)), refused_before, serial)
            self.assertIn("auth: bob (uid 1001) logged in", serial)

            m.send_key("alt-f1")
            summary = m.wait_screen(
                r"authflood: (\d+) threads, (\d+) calls in \d+ s: (\d+) refused, "
                r"(\d+) busy, (\d+) other", timeout=FLOOD_SECONDS + 30)
            threads, calls, refused, busy, other = map(int, summary.groups())
            print(summary.group(0))
            self.assertEqual(threads, FLOOD_THREADS)
            self.assertGreater(refused, 0)
            self.assertGreater(busy, 0, "alice's threads all got a password check")
            self.assertEqual(other, 0, summary.group(0))
            # One turn for alice: at most one check per failure delay, plus slack.
            self.assertLessEqual(refused, FLOOD_SECONDS + 5, summary.group(0))
            m.wait_screen(r"alice@parley:/home/alice\$ *$", timeout=10)
            self.assertNotIn("PANIC", m.serial_text())


if __name__ == "__main__":
    unittest.main()
