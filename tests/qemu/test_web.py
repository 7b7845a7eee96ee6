"""tools/web in headless Chromium, as a person uses it.

Starts tools/web (the guest cut off from the network: --restrict), opens
its page in Debian's Chromium through Selenium and chromedriver, and
checks what a visitor sees: the login prompt in the drawn screen, a
login typed in the page, a command's output, the console buttons, the
IPC trace switched on from the page with new arrows for the vfs and the
ramdisk, pause and resume, a PNG screenshot, two pages showing the same
typing, a page reconnecting by itself when the bridge drops it, the
statistics panel (the guest's processes, their message counts growing,
IPC per second), and with --machines 2 two pages on two machines, a
third turned away until the first page's machine, idle, is stopped.
A request without the token is refused. Runs on Debian's Python
(python3-selenium, python3-aiohttp).
"""

import os
import re
import signal
import struct
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

REPO = Path(__file__).resolve().parents[2]
WAIT = 60


class Bridge:
    """One tools/web process; stopped with SIGTERM (then SIGKILL) by its PID."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "tools" / "web"), "--no-build", "--restrict", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in self.proc.stdout:
            found = re.search(r"open (http://127\.0\.0\.1:(\d+)/\?token=(\S+))", line)
            if found:
                self.url, self.port, self.token = found.group(1), found.group(2), found.group(3)
                # Keep reading, so a chatty bridge never blocks on a full pipe.
                threading.Thread(target=self.proc.stdout.read, daemon=True).start()
                return
        raise AssertionError("tools/web printed no URL")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1600,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def qemu_children(bridge):
    """How many QEMU processes the bridge runs now."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        name, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:]
        if name.startswith("qemu-system") and int(rest.split()[1]) == bridge.proc.pid:
            count += 1
    return count


def wait_for(what, check, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Page:
    def __init__(self, url):
        self.driver = browser()
        self.driver.get(url)

    def screen(self):
        return self.driver.find_element(By.ID, "screen").text

    def wait_screen(self, pattern, timeout=WAIT):
        return wait_for(f"{pattern!r} on the page's screen",
                        lambda: re.search(pattern, self.screen(), re.MULTILINE), timeout)

    def data(self, name):
        return self.driver.find_element(By.TAG_NAME, "body").get_attribute(f"data-{name}")

    def type(self, text):
        self.driver.find_element(By.ID, "screen").send_keys(text)

    def click(self, selector):
        self.driver.find_element(By.CSS_SELECTOR, selector).click()

    def arrows_to(self, name):
        return len(self.driver.find_elements(
            By.CSS_SELECTOR, f'#diagram g.event[data-to*=":{name}"]'))

    def close(self):
        self.driver.quit()


PROMPT = r"alice@parley:/home/alice\$ *$"


class SharedMachineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bridge = Bridge()
        cls.page = Page(cls.bridge.url)

    @classmethod
    def tearDownClass(cls):
        cls.page.close()
        cls.bridge.stop()

    def test_1_without_the_token_nothing_is_served(self):
        base = f"http://127.0.0.1:{self.bridge.port}"
        for path in ("/", "/?token=wrong", "/ws", "/screenshot.png", "/static/app.js"):
            with self.assertRaises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(base + path, timeout=10)
            self.assertEqual(refused.exception.code, 403, path)

    def test_2_log_in_and_run_a_command_in_the_page(self):
        page = self.page
        page.wait_screen(r"(?m)^login: *$")
        page.type("alice\n")
        page.wait_screen(r"Password: *$")
        page.type("alice\n")
        page.wait_screen(PROMPT)
        page.type("clear\n")
        page.type("ls /\n")
        page.wait_screen(r"(?s)bin.*etc.*home")

    def test_3_two_pages_see_the_same_typing(self):
        other = Page(self.bridge.url)
        try:
            other.wait_screen(PROMPT)
            self.page.type("echo seen-by-both")
            other.wait_screen(r"echo seen-by-both")
            self.page.type("\n")
            other.wait_screen(r"(?m)^seen-by-both *$")
        finally:
            other.close()

    def test_4_console_buttons(self):
        self.page.click('[data-console="2"]')
        self.page.wait_screen(r"Parley login \(console 2\)")
        self.assertNotIn("alice@parley", self.page.screen())
        self.page.click('[data-console="1"]')
        self.page.wait_screen(PROMPT)

    def test_5_trace_switched_on_from_the_page(self):
        page = self.page
        wait_for("the host control line", lambda: "not ready" not in
                 page.driver.find_element(By.ID, "trace-state").text)
        before = page.arrows_to("vfs"), page.arrows_to("ramdisk")
        page.click("#trace-on")
        wait_for("trace on", lambda: page.data("trace") == "on")
        page.type("cat /etc/motd\n")
        wait_for("new arrows to the vfs and the ramdisk",
                 lambda: page.arrows_to("vfs") > before[0] and
                 page.arrows_to("ramdisk") > before[1])
        page.click("#trace-off")
        wait_for("trace off", lambda: page.data("trace") == "off")

    def test_6_pause_and_resume(self):
        page = self.page
        page.click("#pause")
        wait_for("paused", lambda: page.data("state") == "paused")
        page.type("echo after-pause\n")
        time.sleep(1)  # a paused guest must not draw: give it the chance to
        self.assertNotIn("after-pause", page.screen())
        page.click("#resume")
        wait_for("running", lambda: page.data("state") == "running")
        page.wait_screen(r"(?m)^after-pause *$")

    def test_7_screenshot_is_a_png_of_the_screen(self):
        link = self.page.driver.find_element(By.ID, "screenshot").get_attribute("href")
        with urllib.request.urlopen(link, timeout=20) as response:
            self.assertEqual(response.headers["Content-Type"], "image/png")
            png = response.read()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", png[16:24])
        self.assertEqual((width, height), (720, 400), "the 80x25 text screen, 9x16 cells")

    def test_8_a_dropped_page_reconnects_by_itself(self):
        page = self.page
        before = int(page.data("connections"))
        os.kill(self.bridge.proc.pid, signal.SIGUSR1)
        wait_for("a new connection", lambda: int(page.data("connections")) > before)
        page.type("echo back-again\n")
        page.wait_screen(r"(?m)^back-again *$")


    def test_9_statistics_come_from_the_guest(self):
        # hostctl's `stats` answer, drawn once a second: every service is a
        # row, and the vfs's message counts grow when a command uses files.
        page = self.page

        def table():
            # In one step: the rows are redrawn every second.
            return page.driver.execute_script(
                "return [...document.querySelectorAll('#processes tbody tr')]"
                ".map(tr => [...tr.cells].map(td => td.textContent));")

        def vfs_row():
            return next((cells for cells in table() if len(cells) == 8 and cells[1] == "vfs"),
                        None)

        first = wait_for("the vfs in the process table", vfs_row)
        self.assertRegex(first[5], r"^\d+ KiB$")
        names = {cells[1] for cells in table() if len(cells) == 8}
        self.assertLessEqual({"init", "ramdisk", "console", "pipe", "auth", "hostctl"}, names)
        system = wait_for("a figure for IPC per second", lambda: re.search(
            r"frames free (\d+) of (\d+) .* IPC (\d+)/s",
            page.driver.find_element(By.ID, "system").text))
        self.assertLess(int(system.group(1)), int(system.group(2)))
        page.type("clear\n")
        page.type("ls /bin\n")
        wait_for("the vfs's counts growing",
                 lambda: (row := vfs_row()) is not None and int(row[7]) > int(first[7])
                 and int(row[6]) > int(first[6]))


class MachinePerVisitorTest(unittest.TestCase):
    def test_two_pages_two_machines_and_a_third_turned_away(self):
        bridge = Bridge("--machines", "2", "--idle", "5")
        pages = []
        try:
            pages = [Page(bridge.url), Page(bridge.url)]
            for page in pages:
                page.wait_screen(r"(?m)^login: *$")
            self.assertEqual({page.data("machine") for page in pages}, {"1", "2"})
            pages[0].type("alice\n")
            pages[0].wait_screen(r"Password: *$")
            self.assertNotIn("Password", pages[1].screen())
            third = Page(bridge.url)
            pages.append(third)
            wait_for("the third page turned away", lambda: "machines are in use" in
                     third.driver.find_element(By.ID, "notice").text)
            # The first page goes: after --idle its machine stops, and the
            # third page, retrying by itself, gets a new one, freshly booted.
            self.assertEqual(qemu_children(bridge), 2)
            pages.pop(0).close()
            wait_for("the idle machine stopped", lambda: qemu_children(bridge) == 1, timeout=40)
            wait_for("the third page on a machine of its own",
                     lambda: third.data("machine") == "3", timeout=WAIT)
            third.wait_screen(r"(?m)^login: *$")
            self.assertNotIn("Password", third.screen())
            self.assertEqual(qemu_children(bridge), 2)
        finally:
            for page in pages:
                page.close()
            bridge.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
