"""login, the auth server and passwd, driven from the keyboard.

Boots Parley with its ordinary services (login on every console, auth,
the vfs and the ramdisk filled from the boot image), types on the
emulated PS/2 keyboard and reads the VGA screen:

- console 1 shows the "Parley login" banner and a `login: ` prompt; the
  password is not echoed;
- a wrong password and an unknown name both get exactly "Login
  incorrect", after about the same delay (at least 0.8 s each, and
  within 1 s of each other), and nothing on the screen or the log says
  which part was wrong;
- root/root logs in: the motd of /etc/motd is shown and root's shell
  prompt appears, running as uid 0;
- at the same time alice/alice logs in on console 2 (Alt+F2), and her
  shell runs as uid 1000;
- alice runs passwd (old, new and again, none of them echoed), logs out
  with `exit`, gets a fresh login prompt, and then her old password is
  refused and the new one accepted;
- root makes /etc/shadow larger than auth reads (AUTH_FILE_MAX, 64 KiB)
  and runs `passwd alice`: passwd says the files are too large, auth
  logs why, and /etc/shadow keeps every byte (before auth refused such
  files it read the first 64 KiB and wrote them back, losing the rest).

The steps share one machine and run in order (unittest sorts the test
names), each starting where the step before left off.
"""

import re
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

NEW_PASSWORD = "wonder42"
SECRETS = ("wrongpass",)  # typed as passwords, never to be shown


class LoginTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        image = parley.cpio_files(parley.BUILD_DIR / "bootimage.cpio")
        cls.motd = image.get("etc/motd", b"").decode(errors="replace")
        cls.m = parley.Machine(timeout=175)
        cls.m.wait_serial(r"ps2kbd: ready", timeout=40)
        cls.m.wait_serial(r"auth: ready", timeout=40)
        cls.m.wait_screen(r"Parley login", timeout=30)
        cls.m.wait_screen(r"(?m)^login: *$", timeout=30)

    @classmethod
    def tearDownClass(cls):
        cls.m.close()

    # Helpers

    def screen(self):
        return self.m.screen_text()

    def count(self, text):
        return self.screen().count(text)

    def wait_more(self, text, before, timeout=20):
        """Waits until `text` shows on the screen more often than `before` times."""
        end = time.monotonic() + timeout
        while self.count(text) <= before:
            self.assertLess(time.monotonic(), end, f"no new {text!r}\n" + self.screen())
            time.sleep(0.05)

    def type_name(self, name):
        """Types a name at the login prompt and waits for the password prompt after it."""
        before = self.count("Password:")
        self.m.type_text(name + "\n")
        self.wait_more("Password:", before)

    def attempt(self, name, password):
        """Types a name and a password; returns the seconds until "Login incorrect" showed."""
        before = self.count("Login incorrect")
        self.type_name(name)
        self.m.type_text(password)
        start = time.monotonic()
        self.m.send_key("ret")
        self.wait_more("Login incorrect", before, timeout=30)
        elapsed = time.monotonic() - start
        self.m.wait_screen(r"(?m)^login: *$", timeout=20)
        return elapsed

    def log_in(self, name, password, prompt):
        self.type_name(name)
        self.m.type_text(password + "\n")
        self.m.wait_serial(rf"auth: {name} \(uid \d+\) logged in", timeout=30)
        return self.m.wait_screen(prompt, timeout=30)

    def uid_of_shell(self, uid):
        self.m.wait_serial(rf"proc: \d+:sh now runs as uid {uid}", timeout=20)

    # Steps

    def test_1_banner_and_prompt(self):
        text = self.screen()
        self.assertIn("Parley login (console 1)", text)
        self.assertRegex(text, r"(?m)^login: *$")

    def test_2_wrong_password_and_wrong_name_look_the_same(self):
        wrong_password = self.attempt("root", "wrongpass")
        wrong_name = self.attempt("nobodyhere", "root")
        self.assertGreater(wrong_password, 0.8)
        self.assertGreater(wrong_name, 0.8)
        self.assertLess(abs(wrong_password - wrong_name), 1.0,
                        f"wrong password {wrong_password:.2f} s, wrong name {wrong_name:.2f} s")
        text = self.screen()
        self.assertEqual(text.count("Login incorrect"), 2, text)
        for hint in ("unknown", "no such", "password is wrong", "wrong password",
                     "not found", "invalid user"):
            self.assertNotIn(hint, text.lower())
        log = self.m.serial_text()
        failures = re.findall(r"auth: failed login from pid \d+", log)
        self.assertEqual(len(failures), 2, log)
        for secret in SECRETS:
            self.assertNotIn(secret, text, "a password was echoed")
            self.assertNotIn(secret, log, "a password reached the log")

    def test_3_root_logs_in_and_sees_the_motd(self):
        self.log_in("root", "root", r"root@parley:/root# *$")
        self.assertTrue(self.motd.strip(), "the boot image has no etc/motd")
        first = next(line for line in self.motd.splitlines() if line.strip())
        self.assertIn(first.strip(), self.screen())

    def test_4_alice_logs_in_on_console_2_at_the_same_time(self):
        self.m.send_key("alt-f2")
        self.m.wait_screen(r"Parley login \(console 2\)", timeout=20)
        self.log_in("alice", "alice", r"alice@parley:/home/alice\$ *$")
        self.uid_of_shell(1000)
        self.assertNotIn("Password: alice", self.screen())
        self.m.send_key("alt-f1")
        self.m.wait_screen(r"root@parley:/root# *$", timeout=20)
        self.m.send_key("alt-f2")
        self.m.wait_screen(r"alice@parley:/home/alice\$ *$", timeout=20)

    def test_5_passwd_changes_alices_password(self):
        self.m.type_text("passwd\n")
        self.m.wait_screen(r"Old password: *$", timeout=20)
        self.m.type_text("alice\n")
        self.m.wait_screen(r"New password: *$", timeout=20)
        self.m.type_text(NEW_PASSWORD + "\n")
        self.m.wait_screen(r"Retype new password: *$", timeout=20)
        self.m.type_text(NEW_PASSWORD + "\n")
        self.m.wait_screen(r"passwd: password changed", timeout=30)
        self.m.wait_serial(r"auth: password of alice changed by uid 1000", timeout=10)
        self.assertNotIn(NEW_PASSWORD, self.screen())

    def test_6_after_logout_only_the_new_password_works(self):
        self.m.type_text("exit\n")
        self.m.wait_serial(r"login: alice logged out", timeout=20)
        self.m.wait_screen(r"Parley login \(console 2\)", timeout=20)
        self.m.wait_screen(r"(?m)^login: *$", timeout=20)
        self.attempt("alice", "alice")
        self.log_in("alice", NEW_PASSWORD, r"alice@parley:/home/alice\$ *$")
        self.assertNotIn(NEW_PASSWORD, self.m.serial_text())

    def shadow_size(self):
        self.m.type_text("clear\n")
        self.m.wait_screen(r"\A\s*root@parley:/root# *$", timeout=20)
        self.m.type_text("wc -c /etc/shadow\n")
        return int(self.m.wait_screen(r"(?m)^\s*(\d+)\s+/etc/shadow\s*$", timeout=20).group(1))

    def test_7_a_shadow_too_large_is_refused_not_cut(self):
        self.m.send_key("alt-f1")
        self.m.wait_screen(r"root@parley:/root# *$", timeout=20)
        # /bin/sh is larger than 64 KiB; its bytes make no valid shadow line.
        self.m.type_text("cat /bin/sh >> /etc/shadow\n")
        size = self.shadow_size()
        self.assertGreater(size, 64 * 1024)
        self.m.type_text("passwd alice\n")
        self.m.wait_screen(r"New password: *$", timeout=20)
        self.m.type_text("unused1\n")
        self.m.wait_screen(r"Retype new password: *$", timeout=20)
        self.m.type_text("unused1\n")
        self.m.wait_screen(r"passwd: the account files are larger than auth reads", timeout=30)
        self.m.wait_serial(r"auth: /etc/shadow is larger than 65536 bytes: refused", timeout=10)
        self.assertEqual(self.shadow_size(), size, "auth rewrote a shadow it could not read whole")
        self.assertNotIn("password of alice changed by uid 0", self.m.serial_text())


if __name__ == "__main__":
    unittest.main(verbosity=2)
