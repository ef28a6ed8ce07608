// The /admin dashboard: live stats ($stats), rooms, connections (with kick), the audit tail and a
// room's event tail. Plain ES module on top of the JavaScript client; no build step.
import { connect } from "/js/switchboard.js";

const TOKEN_KEY = "switchboard.adminToken";
const CHART_POINTS = 60;
const TAIL_LENGTH = 100;
const REFRESH_MS = 3000;

const $ = (id) => document.getElementById(id);

/** Builds an element: el("td", {className: "num"}, "text", child...). */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

const fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function clock(iso) {
  const t = iso ? new Date(iso) : new Date();
  return Number.isNaN(t.getTime()) ? String(iso) : t.toLocaleTimeString(undefined, { hour12: false });
}

function setStatus(text, kind = "") {
  const status = $("status");
  status.textContent = text;
  status.className = `pill ${kind}`;
}

/** A problem with the admin API or the audit stream (a missing or non-admin token, say); "" clears it. */
function setNotice(text) {
  $("notice").textContent = text;
}

/** Keeps a list newest first and at most TAIL_LENGTH long. */
function prepend(list, item) {
  list.prepend(item);
  while (list.children.length > TAIL_LENGTH) list.lastElementChild.remove();
}

/** One signed-in dashboard: its client, audit socket and refresh timers. */
class Dashboard {
  constructor(token) {
    this.token = token;
    this.stopped = false;
    this.series = [];
    this.tailRoom = null;
    this.client = connect("/ws", { token: token || undefined, rooms: ["$stats"] });
    this.client.on("connected", () => setStatus("live", "ok"));
    this.client.on("reconnecting", (m) => setStatus(`reconnecting (attempt ${m.data.attempt})`, "bad"));
    this.client.on("disconnect", (m) => {
      if (!m.data.reconnect) setStatus(`disconnected: ${m.data.reason || m.data.code}`, "bad");
    });
    this.client.on("error", (m) => {
      if (m.data.ref === `join:${this.tailRoom}`) $("tail-status").textContent = `${this.tailRoom}: ${m.data.message}`;
    });
    this.client.on("stats_update", (m) => this.showStats(m.data));
    this.client.on("*", (m) => this.onMessage(m));
    this.timers = [setInterval(() => this.refresh(), REFRESH_MS)];
    this.refresh();
    this.api("/api/v1/stats").then((stats) => stats && this.showStats(stats, false));
    this.openAudit();
  }

  stop() {
    this.stopped = true;
    this.client.close();
    this.audit?.close(1000);
    this.timers.forEach(clearInterval);
    clearTimeout(this.auditRetry);
  }

  /** A JSON request to the admin API; null (and a note) when it fails. */
  async api(path, init = {}) {
    const headers = this.token ? { Authorization: `Bearer ${this.token}` } : {};
    try {
      const response = await fetch(path, { ...init, headers });
      const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
      if (!response.ok) {
        setNotice(`${path}: ${response.status} ${body.message ?? response.statusText}`);
        return null;
      }
      if (!this.auditRefused) setNotice("");
      return body;
    } catch (error) {
      setNotice(`${path}: ${error.message}`);
      return null;
    }
  }

  refresh() {
    if (this.stopped) return;
    this.api("/api/v1/admin/rooms").then((body) => body && this.showRooms(body.rooms));
    this.api("/api/v1/admin/connections").then((body) => body && this.showConnections(body.connections));
  }

  // ------------------------------------------------------------------ stats

  showStats(s, live = true) {
    if (this.stopped) return;
    $("stat-connections").textContent = s.connections.total;
    $("stat-transports").textContent = `${s.connections.websocket} WebSocket · ${s.connections.sse} SSE`;
    $("stat-rooms").textContent = s.rooms.active;
    $("stat-uptime").textContent = `up ${duration(s.uptimeSeconds * 1000)}`;
    $("stat-published").textContent = fmt.format(s.rates.publishedPerSec);
    $("stat-published-total").textContent = `${s.events.published} in total`;
    $("stat-delivered").textContent = fmt.format(s.rates.deliveredPerSec);
    $("stat-delivered-total").textContent = `${s.events.delivered} in total`;
    $("stat-latency").textContent = `${fmt.format(s.latencyMs.p50)} / ${fmt.format(s.latencyMs.p99)} ms`;
    $("stat-dropped").textContent = `${s.events.dropped} dropped · ${s.events.invalid} invalid`;
    if (live) {
      this.series.push({ published: s.rates.publishedPerSec, delivered: s.rates.deliveredPerSec });
      if (this.series.length > CHART_POINTS) this.series.shift();
    }
    drawChart($("chart"), this.series);
  }

  // ------------------------------------------------------------------ tables

  showRooms(rooms) {
    const body = $("rooms").tBodies[0];
    rooms.sort((a, b) => a.room.localeCompare(b.room));
    body.replaceChildren(...(rooms.length ? rooms.map((r) => el("tr", {},
      el("td", {}, el("code", {}, r.room)),
      el("td", { className: "num" }, r.subscribers),
      el("td", { className: "num" }, r.lastId ?? "–"),
      el("td", { className: "num presence" }, r.presence ? presenceText(r.presence) : "–"))) : [emptyRow(4, "no rooms with subscribers")]));
    $("rooms-note").textContent = `${rooms.length}, refreshed ${clock()}`;
  }

  showConnections(connections) {
    const body = $("connections").tBodies[0];
    const own = this.client.connectionId;
    const now = Date.now();
    connections.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
    body.replaceChildren(...(connections.length ? connections.map((c) => {
      const kick = el("button", { className: "kick", type: "button", textContent: "Kick", title: "Close with 4500 (do not reconnect)" });
      kick.dataset.connectionId = c.connectionId;
      kick.addEventListener("click", () => this.kick(c.connectionId, kick));
      const id = el("td", {}, el("code", {}, c.connectionId));
      if (c.connectionId === own) id.append(el("span", { className: "badge" }, "this page"));
      return el("tr", {},
        id,
        el("td", {}, c.userId ?? "anonymous"),
        el("td", {}, c.ip),
        el("td", {}, c.endpoint, " ", el("small", {}, c.transport)),
        el("td", {}, (c.rooms ?? []).join(", ")),
        el("td", { className: "num" }, duration(now - Date.parse(c.openedAt))),
        el("td", { className: "num" }, duration(c.idleMs)),
        el("td", {}, kick));
    }) : [emptyRow(8, "no connections")]));
    $("connections-note").textContent = `${connections.length}, refreshed ${clock()}`;
  }

  async kick(connectionId, button) {
    button.disabled = true;
    await this.api(`/api/v1/admin/connections/${encodeURIComponent(connectionId)}`, { method: "DELETE" });
    this.refresh();
  }

  // ------------------------------------------------------------------ audit

  openAudit() {
    if (this.stopped) return;
    const url = new URL("/ws/audit", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    if (this.token) url.searchParams.set("token", this.token);
    const socket = new WebSocket(url);
    this.audit = socket;
    socket.onmessage = (frame) => {
      const message = JSON.parse(frame.data);
      if (message.type === "audit") this.showAudit(message.data);
      if (message.type === "error") {
        this.auditRefused = true;
        setNotice(`audit: ${message.data.message}`);
      }
    };
    socket.onclose = (event) => {
      if (this.stopped || event.code === 4003 || event.code === 4001) return; // not an admin: retrying will not help
      this.auditRetry = setTimeout(() => this.openAudit(), REFRESH_MS);
    };
  }

  showAudit(entry) {
    const who = [entry.userId, entry.ip, entry.connectionId && `#${entry.connectionId.slice(0, 8)}`].filter(Boolean).join(" ");
    const what = [entry.room, entry.outcome, entry.detail].filter(Boolean).join(" · ");
    const outcome = String(entry.type).includes("denied") || String(entry.type).includes("failed") ? "denied" : "";
    prepend($("audit"), el("li", { className: outcome },
      el("time", {}, clock(entry.time)), el("b", {}, entry.type), `${who}${what ? "  " + what : ""}`));
  }

  // ------------------------------------------------------------------ room tail

  watch(room) {
    if (this.tailRoom && this.tailRoom !== room) this.client.leave(this.tailRoom);
    this.tailRoom = room;
    $("tail").replaceChildren();
    $("tail-status").textContent = `watching ${room}`;
    this.client.join(room);
  }

  onMessage(m) {
    if (m.type === "joined" && m.data.room === this.tailRoom) {
      $("tail-status").textContent = `watching ${m.data.room}, last id ${m.data.lastId ?? "–"}`;
    }
    if (m.room !== this.tailRoom || m.id == null) return;
    prepend($("tail"), el("li", {}, el("time", {}, clock(m.timestamp)), el("b", {}, `${m.type} #${m.id}`), JSON.stringify(m.data)));
  }
}

/** A room's presence totals (cluster-wide): "2 users · 3 connections". */
function presenceText(p) {
  return `${p.users} ${p.users === 1 ? "user" : "users"} · ${p.connections} ${p.connections === 1 ? "connection" : "connections"}`;
}

function emptyRow(columns, text) {
  return el("tr", {}, el("td", { className: "empty", colSpan: columns }, text));
}

/** A line chart of published and delivered events per second, drawn on a canvas. */
function drawChart(canvas, series) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const style = getComputedStyle(document.documentElement);
  const pad = { left: 44, right: 8, top: 8, bottom: 18 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const peak = Math.max(4, ...series.flatMap((p) => [p.published, p.delivered]));
  const top = niceCeiling(peak);

  g.font = "11px system-ui, sans-serif";
  g.fillStyle = style.getPropertyValue("--muted");
  g.strokeStyle = style.getPropertyValue("--line");
  g.lineWidth = 1;
  g.textAlign = "right";
  g.textBaseline = "middle";
  for (let i = 0; i <= 4; i++) {
    const y = pad.top + plotH - (plotH * i) / 4;
    g.beginPath();
    g.moveTo(pad.left, Math.round(y) + 0.5);
    g.lineTo(pad.left + plotW, Math.round(y) + 0.5);
    g.stroke();
    g.fillText(fmt.format((top * i) / 4), pad.left - 6, y);
  }
  g.textAlign = "left";
  g.textBaseline = "alphabetic";
  g.fillText(`last ${CHART_POINTS} updates`, pad.left, height - 4);

  const x = (i) => pad.left + (plotW * (i + CHART_POINTS - series.length)) / (CHART_POINTS - 1);
  const y = (v) => pad.top + plotH - (plotH * v) / top;
  for (const [key, color] of [["delivered", "--delivered"], ["published", "--published"]]) {
    if (series.length === 0) continue;
    g.strokeStyle = style.getPropertyValue(color);
    g.lineWidth = 2;
    g.beginPath();
    series.forEach((p, i) => (i === 0 ? g.moveTo(x(i), y(p[key])) : g.lineTo(x(i), y(p[key]))));
    g.stroke();
  }
}

/** 1, 2, 5, 10, 20, 50, ... at or above v. */
function niceCeiling(v) {
  const magnitude = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((n) => n >= v);
}

let dashboard = null;

function signIn(token) {
  dashboard?.stop();
  sessionStorage.setItem(TOKEN_KEY, token);
  setStatus("connecting");
  setNotice("");
  dashboard = new Dashboard(token);
  const room = $("tail-room").value.trim();
  if (room) dashboard.watch(room);
}

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  signIn($("token").value.trim());
});
$("logout").addEventListener("click", () => {
  dashboard?.stop();
  dashboard = null;
  sessionStorage.removeItem(TOKEN_KEY);
  setNotice("");
  $("token").value = "";
  setStatus("not connected");
});
$("tail-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const room = $("tail-room").value.trim();
  if (room && dashboard) dashboard.watch(room);
});
window.addEventListener("resize", () => dashboard && drawChart($("chart"), dashboard.series));

// A token kept from earlier in this tab, or none: on a hub without auth, loopback callers are admins.
const saved = sessionStorage.getItem(TOKEN_KEY);
$("token").value = saved ?? "";
signIn(saved ?? "");
