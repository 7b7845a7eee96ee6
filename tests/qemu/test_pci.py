"""The PCI server enumerates QEMU's PCI bus; lspci lists it through IPC.

The PCI server runs as a service (init/services: `pci bin/pci
ports:0xcf8:8 serve:pci`), with nothing but the configuration ports and
its endpoint. One boot (parallel=1) runs, as its clients,
  - lspci@use:pci: prints one line per function from the server's answers;
  - pcibad@use:pci: sends requests the server must refuse (index out of
    range, BAR 7, offset 300, an unknown tag, ...) and checks each gets an
    error reply and that the server still answers afterwards.

QEMU's i440FX machine has the host bridge 8086:1237, the PIIX3 ISA bridge
8086:7000, the standard VGA card 1234:1111 and, from the harness, an
RTL8139 (10ec:8139) whose first BAR is 256 I/O ports. Had the server
touched any port outside 0xCF8-0xCFF it would have been killed with a
general protection fault; it must still be running at the end.
"""

import re
import unittest

from userspace import exit_statuses, program_lines, run_programs

PROGRAMS = ["lspci@use:pci", "pcibad@use:pci", "pciuser@use:pci#1"]

# lspci's line for a function: "00:03.0 10ec:8139 class 0200 Ethernet controller  irq 11  BAR0 ..."
LSPCI_LINE = re.compile(r"^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] [0-9a-f]{4}:[0-9a-f]{4} class [0-9a-f]{4} ")


class PciTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log = run_programs(PROGRAMS, extra="parallel=1")
        cls.statuses = exit_statuses(cls.log)
        cls.server = [text for _, text in program_lines(cls.log, "pci")]
        cls.lspci = [text for _, text in program_lines(cls.log, "lspci")
                     if LSPCI_LINE.match(text)]

    def server_line(self, ids):
        lines = [text for text in self.server if f" {ids} class " in text]
        self.assertEqual(len(lines), 1, self.log)
        return lines[0]

    def lspci_line(self, ids):
        lines = [text for text in self.lspci if f" {ids} class " in text]
        self.assertEqual(len(lines), 1, self.log)
        return lines[0]

    def test_server_finds_the_rtl8139(self):
        m = re.search(r"^pci: [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] 10ec:8139 class 02\.00 irq (\d+)"
                      r" bar0 io 0x([0-9a-f]+) size 256 ", self.server_line("10ec:8139"))
        self.assertIsNotNone(m, self.log)
        self.assertTrue(0 < int(m.group(1)) < 16, self.log)
        self.assertNotEqual(int(m.group(2), 16), 0, self.log)

    def test_server_counts_what_it_listed(self):
        m = re.search(r"^pci: (\d+) functions$", "\n".join(self.server), re.MULTILINE)
        self.assertIsNotNone(m, self.log)
        listed = [t for t in self.server if re.match(r"pci: [0-9a-f]{2}:", t)]
        self.assertEqual(int(m.group(1)), len(listed), self.log)
        self.assertGreaterEqual(len(listed), 4, self.log)

    def test_lspci_lists_the_machine(self):
        self.assertRegex(self.lspci_line("8086:1237"), r"^00:00\.0 8086:1237 class 0600 Host bridge")
        self.assertRegex(self.lspci_line("8086:7000"), r" class 0601 ISA bridge")
        self.assertRegex(self.lspci_line("1234:1111"),
                         r" class 0300 VGA compatible controller .*BAR0 mem 0x[0-9a-f]+ size 16777216")

    def test_lspci_agrees_with_the_server_on_the_rtl8139(self):
        server = re.search(r"irq (\d+) bar0 io (0x[0-9a-f]+) size 256 bar1 mem (0x[0-9a-f]+) size 256",
                           self.server_line("10ec:8139"))
        self.assertIsNotNone(server, self.log)
        irq, io, mem = server.groups()
        self.assertRegex(self.lspci_line("10ec:8139"),
                         rf" class 0200 Ethernet controller  irq {irq}  BAR0 io {io} size 256"
                         rf"  BAR1 mem {mem} size 256$")

    def test_lspci_lists_every_function_once(self):
        listed = [t for t in self.server if re.match(r"pci: [0-9a-f]{2}:", t)]
        self.assertEqual(len(self.lspci), len(listed), self.log)
        self.assertEqual(len(set(line.split()[0] for line in self.lspci)), len(self.lspci))

    def test_bad_requests_get_error_replies(self):
        self.assertIn("pcibad: 0 failed", self.log)
        self.assertIn("pcibad: bar 7 -> -1 (invalid argument)", self.log)
        self.assertIn("pcibad: config offset 300 -> -1 (invalid argument)", self.log)
        self.assertIn("pcibad: info past the end -> -5 (no such file or directory)", self.log)
        self.assertIn("pcibad: unknown tag -> -12 (no such system call)", self.log)
        self.assertEqual(self.statuses.get("pcibad"), [0], self.log)

    def test_a_badged_handle_only_reads(self):
        self.assertIn("pciuser: count success, read success, bus master permission denied", self.log)
        self.assertEqual(self.statuses.get("pciuser"), [0], self.log)

    def test_programs_exit_cleanly_with_only_their_handles(self):
        self.assertNotRegex(self.log, r"fault pid=\d+ name=(pci|lspci|pcibad) ")
        self.assertRegex(self.log, r"init: started pci \(pid \d+\) with priority:driver ports:0xcf8:8 serve:pci")
        self.assertNotRegex(self.log, r"init: service pci .* ended")
        self.assertEqual(self.statuses.get("lspci"), [0], self.log)


if __name__ == "__main__":
    unittest.main()
