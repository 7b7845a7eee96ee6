"""The web server: the page, its WebSocket, screenshots and the machine pool.

It listens on 127.0.0.1 only. Every request must carry the access token
(`?token=`, compared in constant time) or gets 403; a WebSocket whose
Origin is not this server's own is refused too, so another web site open
in the same browser cannot drive the machine. The token is made fresh
each start and printed with the URL.

Pool: by default every page sees one shared machine, started with the
bridge. With `machines=N` each visitor (a page's tab: the page keeps a
random visitor id in sessionStorage, so a reconnect finds its machine
again) gets a machine of its own, up to N; a machine whose last page
has been gone for `idle_s` is stopped and its slot freed.

Messages between page and bridge are JSON objects with a "type"
(docs/web-console.md lists them). A page that cannot keep up (its queue
fills) is disconnected; it reconnects and starts again from a snapshot.
"""

import asyncio
import hmac
import json
import signal
from pathlib import Path

from aiohttp import WSMsgType, web

from . import keys
from .machine import Machine
from .qmp import QMPError

STATIC = Path(__file__).resolve().parent / "static"
PAGE_QUEUE = 2000
CONTROLS = ("pause", "resume", "reset", "boot", "boot-trace")


class Page:
    def __init__(self, ws):
        self.ws = ws
        self.queue = asyncio.Queue(maxsize=PAGE_QUEUE)
        self.dropped = False

    def send(self, message):
        if self.dropped:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.drop()

    def drop(self):
        self.dropped = True
        asyncio.ensure_future(self.ws.close(code=1013, message=b"too slow; reconnect"))


class Pool:
    def __init__(self, iso_for, machines=None, idle_s=60.0, memory="256M", restrict=False,
                 trace=False):
        self.iso_for, self.limit, self.idle_s = iso_for, machines, idle_s
        self.memory, self.restrict, self.trace = memory, restrict, trace
        self.by_visitor = {}
        self.pages = {}  # Machine -> set of Page
        self.stoppers = {}
        self.shared = None
        self.next_number = 1

    def _new(self):
        machine = None

        def emit(message):
            for page in list(self.pages.get(machine, ())):
                page.send(message)

        machine = Machine(self.next_number, self.iso_for, self.memory, self.restrict, emit)
        self.next_number += 1
        self.pages[machine] = set()
        return machine

    async def start(self):
        if self.limit is None:
            self.shared = self._new()
            await self.shared.start(trace=self.trace)

    async def machine_for(self, visitor):
        """The visitor's machine, started if new; None when all are taken."""
        if self.shared is not None:
            return self.shared
        machine = self.by_visitor.get(visitor)
        if machine is not None:
            return machine
        if len(self.by_visitor) >= self.limit:
            return None
        machine = self._new()
        self.by_visitor[visitor] = machine
        await machine.start(trace=self.trace)
        return machine

    def join(self, machine, page):
        self.pages[machine].add(page)
        machine.watchers = len(self.pages[machine])
        stopper = self.stoppers.pop(machine, None)
        if stopper is not None:
            stopper.cancel()

    def leave(self, machine, page):
        self.pages[machine].discard(page)
        machine.watchers = len(self.pages[machine])
        if machine is not self.shared and not self.pages[machine]:
            self.stoppers[machine] = asyncio.create_task(self._stop_later(machine))

    async def _stop_later(self, machine):
        await asyncio.sleep(self.idle_s)
        self.stoppers.pop(machine, None)
        for visitor, m in list(self.by_visitor.items()):
            if m is machine:
                del self.by_visitor[visitor]
        self.pages.pop(machine, None)
        await machine.close()

    def drop_pages(self):
        for pages in self.pages.values():
            for page in list(pages):
                page.drop()

    async def close(self):
        for stopper in self.stoppers.values():
            stopper.cancel()
        for machine in list(self.pages):
            await machine.close()


def make_app(pool, token):
    app = web.Application(middlewares=[token_required(token)])
    app["pool"] = pool
    app["token"] = token
    app.router.add_get("/", index)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/ws", websocket)
    app.router.add_get("/screenshot.png", screenshot)
    return app


def token_required(token):
    @web.middleware
    async def check(request, handler):
        given = request.query.get("token", "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise web.HTTPForbidden(text="403: this page needs the URL tools/web printed\n")
        return await handler(request)
    return check


async def index(request):
    text = (STATIC / "index.html").read_text().replace("__TOKEN__", request.app["token"])
    return web.Response(text=text, content_type="text/html",
                        headers={"Cache-Control": "no-store"})


async def static(request):
    name = request.match_info["name"]
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        raise web.HTTPNotFound()
    types = {".js": "text/javascript", ".css": "text/css"}
    return web.Response(body=path.read_bytes(),
                        content_type=types.get(path.suffix, "application/octet-stream"))


async def screenshot(request):
    pool = request.app["pool"]
    machine = await pool.machine_for(request.query.get("visitor", ""))
    if machine is None:
        raise web.HTTPServiceUnavailable(text="no machine free\n")
    try:
        png = await machine.screenshot()
    except (QMPError, OSError) as e:
        raise web.HTTPConflict(text=f"no screenshot: {e}\n")
    return web.Response(body=png, content_type="image/png",
                        headers={"Content-Disposition": "inline; filename=parley-screen.png"})


def same_origin(request):
    origin = request.headers.get("Origin")
    return origin is None or origin == f"http://{request.host}"


async def websocket(request):
    if not same_origin(request):
        raise web.HTTPForbidden(text="403: WebSocket from another origin\n")
    pool = request.app["pool"]
    ws = web.WebSocketResponse(heartbeat=20, max_msg_size=1 << 16)
    await ws.prepare(request)
    machine = await pool.machine_for(request.query.get("visitor", ""))
    if machine is None:
        await ws.send_json({"type": "full", "text": f"all {pool.limit} machines are in use; "
                            "this page tries again every few seconds"})
        await ws.close()
        return ws
    page = Page(ws)
    pool.join(machine, page)
    for message in machine.snapshot():
        page.send(message)
    sender = asyncio.create_task(send_loop(page))
    try:
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            try:
                request_message = json.loads(msg.data)
            except ValueError:
                continue
            if isinstance(request_message, dict):
                await handle(machine, page, request_message)
    finally:
        sender.cancel()
        pool.leave(machine, page)
    return ws


async def send_loop(page):
    while True:
        message = await page.queue.get()
        try:
            await page.ws.send_json(message)
        except (ConnectionError, RuntimeError):
            return


async def handle(machine, page, message):
    kind = message.get("type")
    error = None
    if kind == "key":
        qcodes = keys.qcodes(message)
        if qcodes is None:
            error = f"key {message.get('code')!r} is not one the guest's keyboard has"
        else:
            machine.press(qcodes)
    elif kind == "control" and message.get("action") in CONTROLS:
        try:
            error = await machine.control(message["action"])
        except (QMPError, OSError) as e:
            error = str(e)
    elif kind == "trace":
        error = machine.set_trace(message.get("on") is True)
    else:
        error = f"unknown request {kind!r}"
    if error is not None:
        page.send({"type": "notice", "text": error})


async def serve(pool, token, port=0, on_ready=None):
    """Runs until SIGINT or SIGTERM; SIGUSR1 drops every page's connection."""
    await pool.start()
    runner = web.AppRunner(make_app(pool, token), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, pool.drop_pages)
    if on_ready is not None:
        on_ready(bound)
    await stop.wait()
    await runner.cleanup()
    await pool.close()
