"""The frame allocator counts the machine's memory correctly.

We boot with -m 128M and -m 256M and read the kernel's memory summary
`mem: frames total=N free=M used=K` and its `mem: map` lines (one per
multiboot2 memory-map entry). The total must be just under the RAM size
in 4 KiB frames (firmware keeps a little), doubling RAM must add exactly
128 MiB of frames, free+used must add up, and the total must equal the
whole frames inside the usable (type 1) map entries the kernel logged,
less frame 0, which the allocator never manages because physical address
0 is its "no frame" value.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))
import parley  # noqa: E402

FRAME = 4096
FRAMES = re.compile(
    r"mem: frames total=(\d+) free=(\d+) used=(\d+) \(4 KiB each\)")
MAP = re.compile(r"mem: map base=(0x[0-9a-fA-F]+) length=(0x[0-9a-fA-F]+) "
                 r"type=(\d+)")
SIZES_MIB = (128, 256)


def boot_and_read_memory(mib):
    with parley.Machine(memory=f"{mib}M", timeout=90) as m:
        frames = m.wait_serial(FRAMES.pattern, timeout=60)
        text = m.serial_text()
    total, free, used = (int(x) for x in frames.groups())
    entries = [(int(b, 16), int(l, 16), int(t))
               for b, l, t in MAP.findall(text[:frames.start()])]
    return {"total": total, "free": free, "used": used, "map": entries,
            "log": text}


def managed_frames(base, length):
    """Frames lying entirely inside [base, base + length), except frame 0."""
    first = max(1, (base + FRAME - 1) // FRAME)
    return max(0, (base + length) // FRAME - first)


class MemoryMapTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.boots = {mib: boot_and_read_memory(mib) for mib in SIZES_MIB}

    def test_total_is_just_under_ram_size(self):
        for mib, boot in self.boots.items():
            with self.subTest(memory=f"{mib}M"):
                ram_frames = mib * 1024 * 1024 // FRAME
                self.assertLessEqual(boot["total"], ram_frames)
                self.assertGreaterEqual(boot["total"], 0.95 * ram_frames)

    def test_doubling_ram_adds_32768_frames(self):
        added = self.boots[256]["total"] - self.boots[128]["total"]
        self.assertAlmostEqual(added, 32768, delta=256)

    def test_free_plus_used_equals_total(self):
        for mib, boot in self.boots.items():
            with self.subTest(memory=f"{mib}M"):
                self.assertEqual(boot["free"] + boot["used"], boot["total"])
                # The kernel image and the bitmap are always in use.
                self.assertGreater(boot["used"], 0)
                self.assertGreater(boot["free"], 0)

    def test_total_matches_usable_map_entries(self):
        for mib, boot in self.boots.items():
            with self.subTest(memory=f"{mib}M"):
                usable = [e for e in boot["map"] if e[2] == 1]
                self.assertTrue(usable, f"no usable mem: map lines:\n"
                                        f"{boot['log']}")
                expected = sum(managed_frames(b, l) for b, l, _ in usable)
                self.assertEqual(boot["total"], expected)


if __name__ == "__main__":
    unittest.main()
