"""IPC between user processes: calls, rights, transfers, timeouts, dead peers.

One boot runs every IPC test program at once (parallel=1), wired by init
(run=NAME@serve:EP@use:EP, see programs/init/main.c):

  - ipc-echo@serve:one + one ipc-client: 1000 ping-pong calls, each reply
    checked against its request;
  - ipc-echo@serve:many + three ipc-clients: one server, several clients,
    every client gets its own answers; the server exits on -E_CLOSED once
    they are gone and reports how many it served;
  - ipc-rights: rights, bad handles, IPC_POLL, timeouts, FIFO order of
    queued senders, handle and memory moves to a second thread, -E_NOSPC
    for a receiver without room, a caller whose server thread exits;
  - ipc-lib: the conventions of the library's ipc_serve loop (status in
    the reply tag, -E_NOSYS for unknown tags, undeliverable replies);
  - ipc-xfer-server/-client: a region and an endpoint moved between
    processes, after a refused first try (-E_NOSPC);
  - ipc-dying-server + two ipc-dying-clients: a server that exits without
    replying; both its received caller and its queued caller wake with
    -E_CLOSED;
  - ipc-closed + true@use:c#77: IPC_TAG_CLOSED when the last handle of a
    badge is closed, by the holder or by its exit.

The programs check the exact results themselves and log FAIL lines and a
summary; these tests assert on those lines and on the exit statuses init
reports. The IPC trace is off in this boot: no trace line may appear.

A second boot runs ipc-late-reply alone (it keeps the CPU busy with
spinning threads): a server's reply that comes after its caller timed
out must be refused, never delivered to a caller that has given up.
"""

import re
import unittest

from userspace import exit_statuses, program_lines, run_programs, trace_lines

PROGRAMS = [
    "ipc-echo@serve:one", "ipc-client@use:one",
    "ipc-echo@serve:many", "ipc-client@use:many", "ipc-client@use:many",
    "ipc-client@use:many",
    "ipc-rights",
    "ipc-lib",
    "ipc-xfer-server@serve:x", "ipc-xfer-client@use:x",
    "ipc-dying-server@serve:d", "ipc-dying-client@use:d", "ipc-dying-client@use:d",
    "ipc-closed@serve:c", "true@use:c#77",
]
LINGER_MS = 300  # how long ipc-dying-server keeps the call before it exits


class IpcTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log = run_programs(PROGRAMS, extra="parallel=1")
        cls.statuses = exit_statuses(cls.log)

    def lines(self, name):
        return program_lines(self.log, name)

    def assert_exits(self, name, count):
        self.assertEqual(self.statuses.get(name), [0] * count,
                         f"{name} exit statuses\n{self.log}")

    def test_ping_pong_replies_match_requests(self):
        summaries = [text for _, text in self.lines("ipc-client")
                     if text.startswith("ipc-client: ")]
        self.assertEqual(len(summaries), 4, self.log)
        for text in summaries:
            self.assertRegex(text, r"1000 of 1000 calls answered in order .* 0 failed checks")
        self.assert_exits("ipc-client", 4)

    def test_one_server_serves_several_clients(self):
        served = sorted(int(n) for _, text in self.lines("ipc-echo") for n in
                        re.findall(r"served (\d+) requests, then all clients were gone", text))
        self.assertEqual(served, [1000, 3000], self.log)
        self.assert_exits("ipc-echo", 2)

    def test_peer_closed_messages(self):
        self.assertRegex(self.log, r"ipc-closed: \d+ checks, 0 failed")
        self.assertNotIn("ipc-closed: FAIL", self.log)
        self.assert_exits("ipc-closed", 1)

    def test_rights_and_bad_handles(self):
        self.assertRegex(self.log, r"ipc-rights: \d+ checks, 0 failed")
        self.assertNotIn("ipc-rights: FAIL", self.log)
        self.assert_exits("ipc-rights", 1)

    def test_server_loop_conventions(self):
        self.assertRegex(self.log, r"ipc-lib: \d+ checks, 0 failed")
        self.assertNotIn("ipc-lib: FAIL", self.log)
        self.assert_exits("ipc-lib", 1)

    def test_receive_timeout(self):
        m = re.search(r"receive timeout of 50 ms returned after (\d+) us", self.log)
        self.assertIsNotNone(m, self.log)
        self.assertGreaterEqual(int(m.group(1)), 50000)
        self.assertLess(int(m.group(1)), 1000000)

    def test_transfer_between_processes(self):
        server = self.lines("ipc-xfer-server")
        client = self.lines("ipc-xfer-client")
        self.assertTrue(server and client, self.log)
        server_pid, client_pid = server[0][0], client[0][0]
        self.assertIn(f"65536 bytes and a handle from pid {client_pid}, sum ", server[-1][1])
        self.assertRegex(server[-1][1], r", 0 failed$")
        self.assertIn(f"moved 65536 bytes and a handle to pid {server_pid},", client[-1][1])
        self.assertRegex(client[-1][1], r", 0 failed$")
        self.assert_exits("ipc-xfer-server", 1)
        self.assert_exits("ipc-xfer-client", 1)

    def test_delivery_failure_moves_nothing(self):
        # ipc-rights (to a thread) and ipc-xfer-client (to a process) each
        # send handles and memory to a receiver that passed no ipc_extra
        # and check -E_NOSPC, then that everything stayed with the sender.
        for name in ("ipc-rights", "ipc-xfer-client"):
            self.assertNotIn(f"{name}: FAIL", self.log)
            self.assertRegex(self.log, rf"{name}: .*\d+ checks, 0 failed")

    def test_dead_server_wakes_its_callers(self):
        server = self.lines("ipc-dying-server")
        self.assertEqual(len(server), 1, self.log)
        taken = int(re.search(r"took a call from pid (\d+)", server[0][1]).group(1))
        clients = self.lines("ipc-dying-client")
        # One client had been received, the other was still queued.
        self.assertEqual(len(clients), 2, self.log)
        self.assertIn(taken, [pid for pid, _ in clients])
        for pid, text in clients:
            with self.subTest(pid=pid, received=pid == taken):
                m = re.search(r"call woke with E_CLOSED after (\d+) ms, \d+ checks, 0 failed",
                              text)
                self.assertIsNotNone(m, self.log)
                # Woken by the server's exit, not before.
                self.assertGreaterEqual(int(m.group(1)), LINGER_MS * 2 // 3)
        self.assert_exits("ipc-dying-server", 1)
        self.assert_exits("ipc-dying-client", 2)

    def test_no_trace_lines_when_trace_is_off(self):
        self.assertEqual(trace_lines(self.log), [])

    def test_nothing_crashed(self):
        self.assertNotIn("PANIC", self.log)
        self.assertNotRegex(self.log, r"fault pid=")
        self.assertNotIn("cannot start", self.log)


class LateReplyTest(unittest.TestCase):
    def test_reply_after_the_timeout_is_refused(self):
        log = run_programs(["ipc-late-reply"])
        lines = program_lines(log, "ipc-late-reply")
        self.assertTrue(lines, log)
        self.assertRegex(lines[-1][1], r"0 replies stranded, .* 0 failed$", log)
        self.assertEqual(exit_statuses(log).get("ipc-late-reply"), [0], log)


if __name__ == "__main__":
    unittest.main()
