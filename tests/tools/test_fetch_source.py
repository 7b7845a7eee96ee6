"""tools/fetch-source derives deb-src entries from the machine's apt sources.

Run against a made-up /etc/apt (FETCH_SOURCE_APT_ETC) and stopped before
the network (FETCH_SOURCE_CONFIG_ONLY=1), the script must turn every
enabled `deb` entry, one-line or deb822, into the matching `deb-src` one
with its URIs, suites, components and key, and nothing else; refuse a
machine with no `deb` entries and a bad package name with a clear
message; and do nothing at all once the package is unpacked.
"""

import os
import subprocess
import tempfile
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "fetch-source"

ONE_LINE = """\
# a comment
deb http://mirror.invalid/debian bookworm main contrib
  deb [signed-by=/usr/share/keyrings/k.gpg] http://mirror.invalid/security bookworm-security main
deb-src http://mirror.invalid/debian bookworm main
#deb http://mirror.invalid/old buster main
"""

DEB822 = """\
Types: deb deb-src
# a comment inside the stanza
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Architectures: amd64
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 AAAA
 -----END PGP PUBLIC KEY BLOCK-----

Types: deb
Enabled: no
URIs: http://mirror.invalid/disabled
Suites: bookworm
Components: main

Types: deb-src
URIs: http://mirror.invalid/only-source
Suites: bookworm
Components: main

Types: deb
URIs: http://mirror.invalid/security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""

DEB822_EXPECTED = """\
Types: deb-src
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 AAAA
 -----END PGP PUBLIC KEY BLOCK-----

Types: deb-src
URIs: http://mirror.invalid/security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""


def run(args, etc, config_only=True):
    env = dict(os.environ, FETCH_SOURCE_APT_ETC=str(etc))
    if config_only:
        env["FETCH_SOURCE_CONFIG_ONLY"] = "1"
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True)


class FetchSourceTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="fetch-source-test-"))
        self.etc = self.tmp / "etc"
        (self.etc / "sources.list.d").mkdir(parents=True)
        self.dest = self.tmp / "dest"

    def tearDown(self):
        subprocess.run(["rm", "-rf", str(self.tmp)], check=True)

    def test_one_line_entries_become_deb_src(self):
        (self.etc / "sources.list").write_text(ONE_LINE)
        (self.etc / "sources.list.d" / "extra.list").write_text(
            "deb http://mirror.invalid/extra stable main\n")
        result = run(["libsodium", str(self.dest)], self.etc)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual((self.dest / ".apt" / "sources.list").read_text(), (
            "deb-src http://mirror.invalid/debian bookworm main contrib\n"
            "deb-src [signed-by=/usr/share/keyrings/k.gpg] "
            "http://mirror.invalid/security bookworm-security main\n"
            "deb-src http://mirror.invalid/extra stable main\n"))

    def test_deb822_stanzas_become_deb_src(self):
        (self.etc / "sources.list.d" / "debian.sources").write_text(DEB822)
        (self.etc / "sources.list.d" / "off.sources").write_text(
            "Types: deb\nEnabled: no\nURIs: http://mirror.invalid/x\nSuites: a\nComponents: b\n")
        (self.etc / "sources.list.d" / "ignored.list.disabled").write_text(
            "deb http://mirror.invalid/ignored stable main\n")
        result = run(["libsodium", str(self.dest)], self.etc)
        self.assertEqual(result.returncode, 0, result.stderr)
        parts = self.dest / ".apt" / "sources.list.d"
        self.assertEqual(sorted(p.name for p in parts.iterdir()), ["debian.sources"])
        self.assertEqual((parts / "debian.sources").read_text(), DEB822_EXPECTED)
        self.assertEqual((self.dest / ".apt" / "sources.list").read_text(), "")

    def test_no_deb_entries_is_an_error(self):
        (self.etc / "sources.list").write_text("deb-src http://mirror.invalid/debian x main\n")
        result = run(["libsodium", str(self.dest)], self.etc)
        self.assertEqual(result.returncode, 1)
        self.assertIn("no 'deb' entries", result.stderr)

    def test_bad_arguments_are_refused(self):
        result = run(["Not A Package", str(self.dest)], self.etc)
        self.assertEqual(result.returncode, 1)
        self.assertIn("is not a Debian source package name", result.stderr)
        result = run(["libsodium"], self.etc)
        self.assertEqual(result.returncode, 2)
        self.assertIn("usage:", result.stderr)

    def test_already_fetched_does_nothing(self):
        (self.dest / "libsodium-1.0.18").mkdir(parents=True)
        (self.dest / "libsodium").symlink_to("libsodium-1.0.18")
        # No sources at all and no config-only stop: any attempt to fetch
        # would fail, so success means it did not try.
        result = run(["libsodium", str(self.dest)], self.etc, config_only=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        self.assertFalse((self.dest / ".apt").exists())


if __name__ == "__main__":
    unittest.main()
