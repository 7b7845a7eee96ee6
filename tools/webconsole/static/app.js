// tools/web's page: draws what the bridge sends and sends it keys and
// controls (docs/web-console.md lists the messages). Guest text (the
// screen, serial lines, process names) is only ever set as textContent,
// never as HTML.
"use strict";

const params = new URLSearchParams(location.search);
const token = params.get("token") || "";
let visitor = sessionStorage.getItem("parley-visitor");
if (!visitor) {
  visitor = Array.from(crypto.getRandomValues(new Uint8Array(12)),
                       b => b.toString(16).padStart(2, "0")).join("");
  sessionStorage.setItem("parley-visitor", visitor);
}
const query = `token=${encodeURIComponent(token)}&visitor=${visitor}`;
const $ = id => document.getElementById(id);

// --- The connection: reconnects by itself -------------------------------
let ws = null, retry = 500, connections = 0;
function connect() {
  ws = new WebSocket(`ws://${location.host}/ws?${query}`);
  ws.onopen = () => {
    retry = 500;
    document.body.dataset.connections = ++connections; // for tests: reconnects count up
  };
  ws.onmessage = e => receive(JSON.parse(e.data));
  ws.onclose = () => {
    setStatus("offline", "disconnected: reconnecting…");
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 5000);
  };
}
function send(message) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}
function setStatus(kind, text) {
  const s = $("status");
  s.className = "status " + kind;
  s.textContent = text;
}

function receive(m) {
  switch (m.type) {
  case "machine": onMachine(m); break;
  case "screen": drawScreen(m); break;
  case "serial": addSerial(m.lines); break;
  case "trace": addTrace(m.events, m.reset); break;
  case "pairs": drawPairs(m); break;
  case "stats": drawStats(m); break;
  case "notice": notice(m.text); break;
  case "full": notice(m.text); break;
  }
}
function notice(text) {
  $("notice").textContent = text;
}

function onMachine(m) {
  const trace = m.trace_on ? "trace on" : "trace off";
  let text = `machine ${m.number}: ${m.state}`;
  if (m.state === "stopped" && m.exit_status !== null) text += ` (QEMU exit ${m.exit_status})`;
  setStatus(m.state, `${text}, ${trace}`);
  $("trace-state").textContent = `(${trace}${m.hostctl ? "" : ", control line not ready"})`;
  document.body.dataset.machine = m.number;
  document.body.dataset.state = m.state;
  document.body.dataset.trace = m.trace_on ? "on" : "off";
}

// --- The screen ----------------------------------------------------------
const PALETTE = ["#000", "#00a", "#0a0", "#0aa", "#a00", "#a0a", "#a50", "#aaa",
                 "#555", "#55f", "#5f5", "#5ff", "#f55", "#f5f", "#ff5", "#fff"];
function drawScreen(m) {
  const attrs = Uint8Array.from(atob(m.attrs), c => c.charCodeAt(0));
  const pre = $("screen");
  const out = document.createDocumentFragment();
  m.rows.forEach((row, r) => {
    let start = 0;
    for (let c = 1; c <= row.length; c++) {
      const cell = r * 80 + c;
      const split = c === row.length || attrs[cell] !== attrs[cell - 1] ||
                    cell === m.cursor || cell - 1 === m.cursor;
      if (!split) continue;
      const span = document.createElement("span");
      const a = attrs[r * 80 + start];
      span.style.color = PALETTE[a & 15];
      span.style.background = PALETTE[(a >> 4) & 7];
      if (r * 80 + start === m.cursor) span.className = "cursor";
      span.textContent = row.slice(start, c);
      out.appendChild(span);
      start = c;
    }
    if (r < m.rows.length - 1) out.appendChild(document.createTextNode("\n"));
  });
  pre.replaceChildren(out);
}

function keyMessage(spec) {
  const parts = spec.split("+");
  return {type: "key", code: parts.pop(), ctrl: parts.includes("ctrl"),
          alt: parts.includes("alt"), shift: parts.includes("shift")};
}
const MODIFIER_KEYS = ["Shift", "Control", "Alt", "Meta", "CapsLock"];
$("screen").addEventListener("keydown", e => {
  if (MODIFIER_KEYS.includes(e.key)) return;
  e.preventDefault();
  send({type: "key", code: e.code, ctrl: e.ctrlKey, alt: e.altKey, shift: e.shiftKey});
});
$("screen").addEventListener("click", () => $("screen").focus());
for (const b of document.querySelectorAll("[data-console]"))
  b.onclick = () => { send(keyMessage(`alt+F${b.dataset.console}`)); $("screen").focus(); };
for (const b of document.querySelectorAll("[data-key]"))
  b.onclick = () => { send(keyMessage(b.dataset.key)); $("screen").focus(); };
for (const b of document.querySelectorAll("[data-control]"))
  b.onclick = () => send({type: "control", action: b.dataset.control});
$("trace-on").onclick = () => send({type: "trace", on: true});
$("trace-off").onclick = () => send({type: "trace", on: false});
$("screenshot").href = `screenshot.png?${query}`;

// --- The serial log --------------------------------------------------------
const SERIAL_KEEP = 2000;
let serial = [];
function addSerial(lines) {
  serial = serial.concat(lines).slice(-SERIAL_KEEP);
  drawSerial();
}
function drawSerial() {
  const box = $("serial");
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  const filter = $("serial-filter").value;
  const noIpc = $("serial-no-ipc").checked;
  box.textContent = serial.filter(l => (!noIpc || !l.startsWith("IPC ")) &&
                                       (!filter || l.includes(filter))).join("\n");
  if (atEnd) box.scrollTop = box.scrollHeight;
}
$("serial-filter").oninput = drawSerial;
$("serial-no-ipc").onchange = drawSerial;

// --- The IPC trace as a sequence diagram -------------------------------------
const TRACE_KEEP = 5000, ROWS_DRAWN = 1000, LANE = 120, ROW = 16, TOP = 24;
let events = [], tracePaused = false, drawPending = false;
function addTrace(list, reset) {
  events = (reset ? [] : events).concat(list).slice(-TRACE_KEEP);
  if (!drawPending) { drawPending = true; requestAnimationFrame(drawTrace); }
}
function visibleEvents() {
  const filter = $("trace-filter").value.trim();
  const seconds = Number($("trace-window").value);
  const last = events.length ? events[events.length - 1].t : 0;
  return events.filter(e =>
    (!seconds || e.t >= last - seconds * 1e9) &&
    (!filter || e.from.includes(filter) || (e.to || "").includes(filter) ||
     e.tag.includes(filter))).slice(-ROWS_DRAWN);
}
const SVG = "http://www.w3.org/2000/svg";
function svg(name, attributes, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}
function drawTrace() {
  drawPending = false;
  $("trace-count").textContent = `${events.length} events kept`;
  if (tracePaused) return;
  const shown = visibleEvents();
  const lanes = [];
  for (const e of shown)
    for (const p of [e.from, e.to])
      if (p && !lanes.includes(p)) lanes.push(p);
  const x = p => LANE / 2 + lanes.indexOf(p) * LANE;
  const height = TOP + shown.length * ROW + 8;
  const root = svg("svg", {width: Math.max(lanes.length, 1) * LANE, height});
  const defs = svg("defs", {});
  const marker = svg("marker", {id: "head", markerWidth: 8, markerHeight: 8, refX: 7, refY: 4,
                                orient: "auto"});
  marker.appendChild(svg("path", {d: "M0,0 L8,4 L0,8 z", fill: "#aaa"}));
  defs.appendChild(marker);
  root.appendChild(defs);
  lanes.forEach(p => {
    root.appendChild(svg("line", {class: "lane", x1: x(p), x2: x(p), y1: TOP - 6, y2: height}));
    root.appendChild(svg("text", {x: x(p), y: 14, "text-anchor": "middle"}, p));
  });
  shown.forEach((e, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const g = svg("g", {class: "event", "data-op": e.op, "data-from": e.from,
                        "data-to": e.to || "-", "data-tag": e.tag});
    const x1 = x(e.from), x2 = e.to ? x(e.to) : x1 + 30;
    const kind = `arrow ${e.op}${e.err ? " error" : ""}${e.status ? " refused" : ""}`;
    if (x1 === x2)
      g.appendChild(svg("path", {class: kind, d: `M${x1},${y - 5} h20 v10 h-18`,
                                 "marker-end": "url(#head)"}));
    else
      g.appendChild(svg("line", {class: kind, x1, x2, y1: y, y2: y, "marker-end": "url(#head)"}));
    // A reply says what the server answered (E_NOENT), not its raw tag.
    let label = (e.status ? e.status : e.tag) + (e.err ? " " + e.err : "");
    if (e.latency_ns !== undefined) label += ` ${(e.latency_ns / 1000).toFixed(0)}µs`;
    const lx = Math.min(x1, x2) + 4;
    g.appendChild(svg("text", {x: lx, y: y - 2, class: e.err ? "error" : e.status ? "refused" : ""},
                        label));
    g.appendChild(svg("title", {}, `${e.op} ${e.from} → ${e.to || "-"} ${label} t=${e.t}`));
    root.appendChild(g);
  });
  const box = $("diagram");
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  box.replaceChildren(root);
  if (atEnd) box.scrollTop = box.scrollHeight;
}
$("trace-pause").onclick = () => {
  tracePaused = !tracePaused;
  $("trace-pause").textContent = tracePaused ? "Resume drawing" : "Pause drawing";
  drawTrace();
};
$("trace-window").onchange = drawTrace;
$("trace-filter").oninput = drawTrace;

// --- Tables ----------------------------------------------------------------
function row(cells, nameColumns) {
  const tr = document.createElement("tr");
  cells.forEach((c, i) => {
    const td = document.createElement("td");
    if (nameColumns.includes(i)) td.className = "name";
    td.textContent = c === undefined || c === null ? "" : String(c);
    tr.appendChild(td);
  });
  return tr;
}
function drawPairs(m) {
  const body = $("pairs").tBodies[0];
  body.replaceChildren(...m.rows.slice(0, 50).map(r => row(
    [r.from, r.to || "-", r.messages, r.calls,
     r.median_us === undefined ? "" : r.median_us.toFixed(1),
     r.max_us === undefined ? "" : r.max_us.toFixed(1)], [0, 1])));
}
function drawStats(m) {
  const s = m.system;
  $("system").textContent =
    `up ${s.uptime_s} s · frames free ${s.frames_free} of ${s.frames_total} · ` +
    `${s.processes} processes, ${s.threads} threads · kernel objects ${s.kernel_objects} ` +
    `(${s.kernel_kib} KiB) · IPC ${s.ipc_per_s === null ? "…" : s.ipc_per_s}/s · ` +
    `CPU busy ${s.cpu_busy_percent === null ? "…" : s.cpu_busy_percent + "%"}`;
  $("processes").tBodies[0].replaceChildren(...m.processes.map(p => row(
    [p.pid, p.name, p.uid, p.state, p.threads, `${p.memory_kib} KiB`, p.sent, p.received],
    [1, 3])));
}

connect();
