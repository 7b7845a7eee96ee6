"""Password hashes: made at build time, checked and made inside Parley.

The build writes build/passwd and build/shadow (tools/mkaccounts) and packs
them into the boot image as etc/passwd and etc/shadow: one line per
default account, the shadow hashes Argon2id at the cost in
<parley/passwords.h>, each with its own salt. pwtest (tests/programs)
then runs on Parley with libsodium: root's build-time hash must accept
"root" and nothing else, damaged hashes must be refused without a crash,
and hashes it makes itself must carry the same parameters, a fresh salt
each, and verify. One check of a password must take well under a second
on QEMU without acceleration (docs/passwords.md).
"""

import re
import sys
import unittest
from pathlib import Path

from userspace import exit_statuses, program_lines, run_programs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PARAMS = REPO / "lib/sodium/include/parley/passwords.h"

ACCOUNTS = {
    "root": "0:/root:/bin/sh",
    "alice": "1000:/home/alice:/bin/sh",
    "bob": "1001:/home/bob:/bin/sh",
}

CHECKS = [
    "libsodium initialized",
    "right password accepted",
    "wrong password rejected",
    "password prefix rejected",
    "password with extra character rejected",
    "empty password rejected",
    "truncated hash rejected",
    "altered hash rejected",
    "empty hash rejected",
    "hash without salt or digest rejected",
    "hash with garbled parameters rejected",
    "hash of another Argon2 version rejected",
    "hash of another algorithm rejected",
    "build-time hash has Parley's cost parameters",
    "new hash made",
    "new hash has the Argon2id prefix and Parley's parameters",
    "new hash accepts its password",
    "new hash rejects another password",
    "second hash made",
    "two hashes of one password differ (salts)",
    "second hash accepts its password",
]


def cost_parameters():
    """(passes, memory KiB) as <parley/passwords.h> defines them."""
    text = PARAMS.read_text()
    passes = int(re.search(r"^#define PASSWORD_PASSES (\d+)", text, re.M).group(1))
    memory = int(re.search(r"^#define PASSWORD_MEMORY_KIB (\d+)", text, re.M).group(1))
    return passes, memory


class PasswordTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.passes, cls.memory = cost_parameters()
        cls.prefix = f"$argon2id$v=19$m={cls.memory},t={cls.passes},p=1$"
        cls.log = run_programs(["pwtest"], timeout=120)
        cls.lines = [text.removeprefix("pwtest: ")
                     for _, text in program_lines(cls.log, "pwtest")]

    def test_default_accounts_in_passwd(self):
        passwd = (parley.BUILD_DIR / "passwd").read_text().splitlines()
        self.assertEqual(passwd, [f"{name}:{rest}" for name, rest in ACCOUNTS.items()])

    def test_shadow_holds_argon2id_hashes_with_own_salts(self):
        shadow = (parley.BUILD_DIR / "shadow").read_text().splitlines()
        self.assertEqual([line.split(":", 1)[0] for line in shadow], list(ACCOUNTS))
        salts = set()
        for line in shadow:
            name, encoded = line.split(":", 1)
            self.assertTrue(encoded.startswith(self.prefix), line)
            salt, digest = encoded[len(self.prefix):].split("$")
            # 16 random bytes as base64 text (22 characters), base64 again: 30.
            self.assertRegex(salt, r"^[A-Za-z0-9+/]{30}$", line)
            self.assertRegex(digest, r"^[A-Za-z0-9+/]{43}$", line)  # 32 bytes
            salts.add(salt)
        self.assertEqual(len(salts), len(ACCOUNTS), "accounts share a salt")

    def test_boot_image_carries_the_files(self):
        files = parley.cpio_files(parley.BUILD_DIR / "bootimage.cpio")
        self.assertEqual(files.get("etc/passwd"), (parley.BUILD_DIR / "passwd").read_bytes())
        self.assertEqual(files.get("etc/shadow"), (parley.BUILD_DIR / "shadow").read_bytes())

    def test_every_check_passes(self):
        self.assertEqual(exit_statuses(self.log).get("pwtest"), [0], self.log)
        for check in CHECKS:
            self.assertIn(f"ok {check}", self.lines, self.log)
        self.assertEqual([line for line in self.lines if line.startswith("FAIL")], [])
        self.assertEqual(self.lines[-1], "0 failed")

    def test_new_hash_has_the_parameters_and_a_salt(self):
        new = [line.split(" ", 2)[2] for line in self.lines if line.startswith("new hash $")]
        self.assertEqual(len(new), 1, self.lines)
        self.assertTrue(new[0].startswith(self.prefix), new[0])
        # libsodium's salts are 16 raw bytes: 22 base64 characters.
        self.assertRegex(new[0][len(self.prefix):], r"^[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$")

    def test_verify_is_well_under_a_second(self):
        times = [int(m.group(1)) for line in self.lines
                 if (m := re.fullmatch(r"verify took (\d+) ms", line))]
        self.assertEqual(len(times), 1, self.lines)
        self.assertLess(times[0], 1000)
        # Argon2 with this much memory cannot be instant: a time of zero
        # would mean the check did not really run.
        self.assertGreater(times[0], 0)


if __name__ == "__main__":
    unittest.main()
