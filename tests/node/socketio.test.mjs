// The unmodified socket.io-client (v4) against the hub's Socket.IO endpoint: seed 004 in Socket.IO's words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { startHub, eventually } from "./hub.mjs";

const CONFIG = `hub:
  socket-io:
    path: /socket.io/
    room: "webhook:{value}"
  websocket:
    origins: [ "https://hooky.example.com" ]
  namespaces:
    webhook:
      must-exist: true
      not-found-message: Webhook not found
`;
const SECRET = "ZGV2ZWxvcG1lbnQtb25seS1zZWNyZXQtY2hhbmdlLW1lLXBsZWFzZSE";
const JWKS = JSON.stringify({ keys: [{ kty: "oct", kid: "dev", alg: "HS256", k: SECRET }] });
const PUBLISHER_KEY = "node-socketio-publisher-key";

function configFile() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchboard-socketio-"));
  const file = path.join(dir, "hooky.yaml");
  writeFileSync(file, CONFIG);
  return { dir, file };
}

/** A hub serving Socket.IO at /socket.io/ with webhooks abc-123 and xyz-789 declared. */
async function hookyHub(t, { args = ["--ephemeral"], env = {}, port } = {}) {
  const { file } = configFile();
  const hub = await startHub({ args: [...args, "--config", file, ...(port ? ["--port", String(port)] : [])], env });
  t.after(() => hub.stop());
  for (const id of ["abc-123", "xyz-789"]) {
    const headers = env.HUB_PUBLISH_API_KEYS ? { Authorization: `Bearer ${env.HUB_PUBLISH_API_KEYS}` } : {};
    const response = await fetch(`${hub.base}/api/v1/rooms/webhook:${id}`, { method: "PUT", headers });
    assert.ok([200, 201].includes(response.status), `declaring webhook:${id}: ${response.status}`);
  }
  return hub;
}

function connect(t, hub, options = {}) {
  const socket = io(hub.base, { transports: ["websocket"], reconnectionDelay: 100, reconnectionDelayMax: 400, ...options });
  t.after(() => socket.close());
  return socket;
}

/** The arguments of the next `event` on `socket`. */
function next(socket, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Resolves once `socket` is connected (it may already be). */
function connected(socket) {
  return socket.connected ? Promise.resolve() : next(socket, "connect");
}

function record(socket, ...events) {
  const log = [];
  for (const event of events) socket.on(event, (...args) => log.push({ event, args }));
  return log;
}

async function capture(hub, id, body = { paid: true }) {
  const response = await fetch(`${hub.base}/hooks/${id}?order=42`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": "shop-bot/1.0" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

function token(sub, seconds = 300) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: "HS256", typ: "JWT", kid: "dev" })}.${b64({ sub, iat: now, exp: now + seconds })}`;
  const signature = createHmac("sha256", Buffer.from(SECRET, "base64url")).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}

test("connects over WebSocket and is told its connection id", async (t) => {
  const hub = await hookyHub(t);
  const socket = connect(t, hub);
  const connected = next(socket, "connected");
  await next(socket, "connect");
  const [hello] = await connected;
  assert.equal(hello.connectionId, socket.id, "the connection id is the Socket.IO sid");
  assert.equal(socket.io.engine.transport.name, "websocket");
});

test("join → joined, leave → left, an undeclared webhook → error 'Webhook not found', acks on request", async (t) => {
  const hub = await hookyHub(t);
  const socket = connect(t, hub);
  await next(socket, "connect");
  socket.emit("join", "abc-123");
  assert.deepEqual((await next(socket, "joined"))[0].room, "webhook:abc-123");

  socket.emit("join", "nope");
  const [error] = await next(socket, "error");
  assert.equal(error.message, "Webhook not found");
  assert.equal(error.code, "ROOM_NOT_FOUND");

  const acked = await socket.timeout(5000).emitWithAck("join", "xyz-789");
  assert.equal(acked.room, "webhook:xyz-789");
  const refused = await socket.timeout(5000).emitWithAck("join", "nope");
  assert.equal(refused.error.message, "Webhook not found");

  socket.emit("leave", "abc-123");
  assert.equal((await next(socket, "left"))[0].room, "webhook:abc-123");
});

test("a captured request reaches all three clients of its room as new-request, and no client of another room", async (t) => {
  const hub = await hookyHub(t);
  const inRoom = [connect(t, hub), connect(t, hub), connect(t, hub)];
  const other = connect(t, hub);
  const received = inRoom.map((s) => record(s, "new-request"));
  const otherLog = record(other, "new-request");
  for (const s of inRoom) {
    await connected(s);
    assert.equal((await s.timeout(5000).emitWithAck("join", "abc-123")).room, "webhook:abc-123");
  }
  await connected(other);
  await other.timeout(5000).emitWithAck("join", "xyz-789");

  const { id } = await capture(hub, "abc-123");
  await eventually(() => received.every((log) => log.length === 1), 5000, "new-request at all three");
  for (const log of received) {
    const [request, details] = log[0].args;
    assert.equal(request.id, id);
    assert.equal(request.webhookId, "abc-123");
    assert.equal(request.method, "POST");
    assert.equal(typeof request.headers, "object");
    assert.equal(request.queryParams.order, "42");
    assert.equal(request.body, JSON.stringify({ paid: true }));
    assert.match(request.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(request.sourceIp, "127.0.0.1");
    assert.equal(request.userAgent, "shop-bot/1.0");
    assert.equal(details.room, "webhook:abc-123");
  }
  // The other client is answered after the event would have reached it: it got nothing.
  await other.timeout(5000).emitWithAck("leave", "xyz-789");
  assert.equal(otherLog.length, 0);
});

test("after a hub restart the client reconnects by itself and rejoins its rooms in its connect handler", async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "switchboard-socketio-data-"));
  const first = await hookyHub(t, { args: [], env: { HUB_DATA_DIR: dataDir } });
  const socket = connect(t, first);
  const joined = record(socket, "joined");
  const disconnects = record(socket, "disconnect");
  socket.on("connect", () => {
    socket.emit("join", "abc-123");
    socket.emit("join", "xyz-789");
  });
  await eventually(() => joined.length === 2, 5000, "the first joins");

  await first.stop();
  await eventually(() => disconnects.length === 1, 5000, "disconnect");
  assert.equal(disconnects[0].args[0], "transport close", "a transport close, which socket.io-client retries");
  assert.equal(socket.active, true, "still trying to reconnect");
  const second = await hookyHub(t, { args: [], env: { HUB_DATA_DIR: dataDir }, port: first.port });
  await eventually(() => joined.length === 4, 15_000, "the rejoins on the new hub");
  assert.deepEqual(joined.slice(2).map((e) => e.args[0].room).sort(), ["webhook:abc-123", "webhook:xyz-789"]);

  const received = record(socket, "new-request");
  await capture(second, "abc-123");
  await capture(second, "xyz-789");
  await eventually(() => received.length === 2, 5000, "events from both rooms after the reconnect");
});

test("a foreign Origin is refused before the upgrade: connect_error", async (t) => {
  const hub = await hookyHub(t);
  const socket = connect(t, hub, { reconnection: false, extraHeaders: { Origin: "https://evil.example.com" } });
  const [error] = await next(socket, "connect_error");
  assert.ok(error instanceof Error);
  assert.equal(socket.connected, false);
  const allowed = connect(t, hub, { extraHeaders: { Origin: "https://hooky.example.com" } });
  await next(allowed, "connect");
});

test("with auth required, a bad token is a connect_error the client does not retry; a good one connects", async (t) => {
  const env = { HUB_AUTH_JWKS: JWKS, HUB_SOCKET_IO_AUTH: "required", HUB_PUBLISH_API_KEYS: PUBLISHER_KEY };
  const hub = await hookyHub(t, { env });
  const forged = connect(t, hub, { auth: { token: token("mallory").replace(/.{6}$/, "AAAAAA") } });
  const [error] = await next(forged, "connect_error");
  assert.equal(error.data.code, "AUTH_INVALID", error.message);
  assert.equal(forged.active, false, "a connect error from the server is not retried");

  const missing = connect(t, hub);
  assert.equal((await next(missing, "connect_error"))[0].data.code, "AUTH_INVALID");

  const alice = connect(t, hub, { auth: { token: token("alice") } });
  const [hello] = await next(alice, "connected");
  assert.equal(hello.userId, "alice");
});

test("the hub's Engine.IO pings keep the client connected at the configured interval", async (t) => {
  const hub = await hookyHub(t, { env: { HUB_HEARTBEAT_INTERVAL: "300ms", HUB_HEARTBEAT_TIMEOUT: "300ms" } });
  const socket = connect(t, hub);
  const disconnects = record(socket, "disconnect");
  await connected(socket);
  let pings = 0;
  socket.io.engine.on("ping", () => pings++);
  await new Promise((r) => setTimeout(r, 2000));
  assert.ok(pings >= 4, `pings in 2 s: ${pings}`);
  assert.deepEqual(disconnects, [], "socket.io-client's own ping check never fired");
  assert.equal((await socket.timeout(5000).emitWithAck("join", "abc-123")).room, "webhook:abc-123");
});
