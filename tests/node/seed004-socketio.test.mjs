// Seed 004 ("hooky", webhook catcher), scenario by scenario, in Socket.IO's own words: the real,
// unmodified socket.io-client against a hub started with the bundled profile `hooky` as shipped.
// Most scenarios share one hub; the ones that stop or restart it, or need other settings, start their own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import WebSocket from "ws";
import { startHub, startRelay, eventually, next } from "./hub.mjs";

const SEED = "004_1ea432bdbaa3fb1a.txt";
const scenario = (title) => `${SEED} — ${title} (socket.io-client)`;

let hub;

before(async () => {
  hub = await startHub({ profile: "hooky" });
  await declare(hub, "abc-123", "xyz-789");
});

after(() => hub?.stop());

/** The application's backend declares its webhooks (loopback needs no credential). */
async function declare(target, ...ids) {
  for (const id of ids) {
    const response = await fetch(`${target.base}/api/v1/rooms/webhook:${id}`, { method: "PUT" });
    assert.ok([200, 201].includes(response.status), `declaring webhook:${id}: ${response.status}`);
  }
}

/** A socket.io-client socket as the seed's frontend opens it (WebSocket transport), closed after the test. */
function connect(t, target, options = {}) {
  const socket = io(target.base ?? target, {
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 400,
    ...options,
  });
  t.after(() => socket.close());
  return socket;
}

/** Resolves once `socket` is connected (it may already be). */
function connected(socket) {
  return socket.connected ? Promise.resolve() : next(socket, "connect");
}

/** Every `events` emitted on `socket`, in order, with the time it arrived. */
function record(socket, ...events) {
  const log = [];
  for (const event of events) socket.on(event, (...args) => log.push({ event, args, at: Date.now() }));
  return log;
}

/** The seed's join: socket.emit("join", id), answered by "joined" (and the ack, which this awaits). */
async function join(socket, id) {
  const answer = await socket.timeout(10_000).emitWithAck("join", id);
  assert.equal(answer.room, `webhook:${id}`, JSON.stringify(answer));
  return answer;
}

/** A request to the webhook's capture URL, as the third party that calls the webhook sends it. */
async function capture(target, id, body = { paid: true }) {
  const response = await fetch(`${target.base}/hooks/${id}?order=42&tag=a`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": "shop-bot/1.0", "X-Signature": "sha256=abc" },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

async function getJson(target, route) {
  const response = await fetch(`${target.base}${route}`);
  assert.equal(response.status, 200, `${route}: ${response.status}`);
  return response.json();
}

/** The hub's admin view of one connection (loopback callers are administrators on this profile). */
async function connection(id) {
  const { connections } = await getJson(hub, "/api/v1/admin/connections");
  return connections.find((c) => c.connectionId === id);
}

/** The answer to a WebSocket upgrade the hub refuses: its status and JSON body. */
function refusedUpgrade(url, protocols) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.on("open", () => {
      ws.terminate();
      reject(new Error(`${url} was upgraded`));
    });
    ws.on("unexpected-response", (request, response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode, body: JSON.parse(body) });
        request.destroy();
      });
    });
    ws.on("error", (error) => reject(new Error(`${url}: ${error.message}`)));
  });
}

test(scenario("Client connects to WebSocket"), async (t) => {
  const a = connect(t, hub);
  const b = connect(t, hub);
  await Promise.all([connected(a), connected(b)]);
  assert.equal(a.io.engine.transport.name, "websocket", "accepted over WebSocket");
  assert.match(a.id, /^\S+$/);
  assert.notEqual(a.id, b.id, "each connection has its own id");
  const { connections } = await getJson(hub, "/api/v1/admin/connections");
  for (const socket of [a, b]) {
    const listed = connections.find((c) => c.connectionId === socket.id);
    assert.ok(listed, `the hub lists ${socket.id}: ${JSON.stringify(connections)}`);
    assert.equal(listed.endpoint, "/socket.io");
    assert.equal(listed.transport, "websocket");
  }
});

test(scenario("Connection with invalid protocol"), async (t) => {
  const socketIo = `ws://127.0.0.1:${hub.port}/socket.io/`;
  // Another Engine.IO version (socket.io-client 2 speaks EIO=3): 400 with the reason, before any upgrade.
  const eio3 = await refusedUpgrade(`${socketIo}?EIO=3&transport=websocket`);
  assert.equal(eio3.status, 400);
  assert.equal(eio3.body.code, "MESSAGE_INVALID");
  assert.match(eio3.body.message, /Engine\.IO 4/);
  // A WebSocket subprotocol the hub does not speak, on the Socket.IO endpoint and on /ws.
  for (const url of [`${socketIo}?EIO=4&transport=websocket`, `ws://127.0.0.1:${hub.port}/ws`]) {
    const subprotocol = await refusedUpgrade(url, ["mqtt"]);
    assert.equal(subprotocol.status, 400, url);
    assert.equal(subprotocol.body.code, "MESSAGE_INVALID");
    assert.match(subprotocol.body.message, /Sec-WebSocket-Protocol/);
  }
  // What socket.io-client itself sees when told to ask for a subprotocol: connect_error.
  const asking = connect(t, hub, { protocols: ["mqtt"], reconnection: false });
  const [error] = await next(asking, "connect_error");
  assert.equal(error.message, "websocket error");
  assert.equal(error.description.message, "Unexpected server response: 400");
  assert.equal(asking.connected, false);
  // Long-polling with another Engine.IO version is refused in Engine.IO's words (SPEC 16).
  const eio3Polling = await fetch(`http://127.0.0.1:${hub.port}/socket.io/?EIO=3&transport=polling`);
  assert.equal(eio3Polling.status, 400);
  assert.equal((await eio3Polling.json()).code, 5, "Unsupported protocol version");
});

test(scenario("Join valid webhook room"), async (t) => {
  const socket = connect(t, hub);
  await connected(socket);
  const joined = next(socket, "joined");
  socket.emit("join", "abc-123");
  const [answer] = await joined;
  assert.equal(answer.room, "webhook:abc-123");
  assert.deepEqual((await connection(socket.id)).rooms, ["webhook:abc-123"], "the hub has it in the room");
});

test(scenario("Join room for non-existent webhook"), async (t) => {
  const socket = connect(t, hub);
  await connected(socket);
  const errored = next(socket, "error");
  socket.emit("join", "does-not-exist");
  const [error] = await errored;
  assert.equal(error.message, "Webhook not found");
  assert.equal(error.code, "ROOM_NOT_FOUND");
  // The same answer as an ack, and the connection stays usable.
  const refused = await socket.timeout(10_000).emitWithAck("join", "does-not-exist");
  assert.equal(refused.error.message, "Webhook not found");
  assert.equal(socket.connected, true);
  await join(socket, "abc-123");
});

test(scenario("Leave webhook room"), async (t) => {
  const socket = connect(t, hub);
  const received = record(socket, "new-request");
  await connected(socket);
  await join(socket, "abc-123");
  const left = next(socket, "left");
  socket.emit("leave", "abc-123");
  assert.equal((await left)[0].room, "webhook:abc-123");
  // Out of the room: a request captured afterwards does not reach it. A second client still in the
  // room shows the event was delivered; the leaver's ack-answered round trip shows it had its chance.
  const witness = connect(t, hub);
  const witnessed = record(witness, "new-request");
  await connected(witness);
  await join(witness, "abc-123");
  await capture(hub, "abc-123");
  await eventually(() => witnessed.length === 1, 10_000, "the event at the client still in the room");
  await socket.timeout(10_000).emitWithAck("leave", "abc-123");
  assert.equal(received.length, 0);
});

test(scenario("New request broadcast"), async (t) => {
  const socket = connect(t, hub);
  await connected(socket);
  await join(socket, "abc-123");
  const arrived = next(socket, "new-request");
  const { id } = await capture(hub, "abc-123", { order: 42, paid: true });
  const [request, details] = await arrived;
  assert.equal(request.id, id, "the id the webhook's caller was answered with");
  assert.equal(request.webhookId, "abc-123");
  assert.equal(request.method, "POST");
  assert.equal(request.body, JSON.stringify({ order: 42, paid: true }), "the complete body, as sent");
  assert.deepEqual(request.queryParams, { order: "42", tag: "a" });
  assert.equal(request.userAgent, "shop-bot/1.0");
  assert.equal(details.room, "webhook:abc-123");
});

test(scenario("Broadcast to multiple clients"), async (t) => {
  const clients = [connect(t, hub), connect(t, hub), connect(t, hub)];
  const logs = clients.map((s) => record(s, "new-request"));
  for (const s of clients) {
    await connected(s);
    await join(s, "abc-123");
  }
  const { id } = await capture(hub, "abc-123");
  await eventually(() => logs.every((log) => log.some((e) => e.args[0].id === id)), 10_000, "new-request at all three");
  for (const log of logs) assert.deepEqual(log.map((e) => e.args[0].id), [id]);
});

test(scenario("No broadcast to other rooms"), async (t) => {
  const a = connect(t, hub);
  const b = connect(t, hub);
  const atA = record(a, "new-request");
  const atB = record(b, "new-request");
  await Promise.all([connected(a), connected(b)]);
  await join(a, "abc-123");
  await join(b, "xyz-789");
  const { id } = await capture(hub, "abc-123");
  await eventually(() => atA.length === 1, 10_000, "new-request at client A");
  assert.equal(atA[0].args[0].id, id);
  // B's own room's event is delivered after the first: had B got the first one, it would be in its log now.
  const { id: own } = await capture(hub, "xyz-789");
  await eventually(() => atB.length >= 1, 10_000, "B's own room's event");
  assert.deepEqual(atB.map((e) => e.args[0].id), [own]);
  assert.equal(atA.length, 1);
});

test(scenario("Client disconnects"), async (t) => {
  await declare(hub, "leaving-1", "leaving-2");
  const socket = connect(t, hub);
  await connected(socket);
  await join(socket, "leaving-1");
  await join(socket, "leaving-2");
  const id = socket.id;
  /** The rooms webhook:leaving-* that have subscribers, with their counts. */
  const occupied = async () => {
    const { rooms } = await getJson(hub, "/api/v1/admin/rooms");
    return rooms.filter((r) => r.room.startsWith("webhook:leaving-") && r.subscribers > 0)
      .map((r) => `${r.room}=${r.subscribers}`).sort();
  };
  assert.deepEqual((await connection(id)).rooms.sort(), ["webhook:leaving-1", "webhook:leaving-2"]);
  assert.deepEqual(await occupied(), ["webhook:leaving-1=1", "webhook:leaving-2=1"]);

  socket.disconnect();
  let rooms = await occupied();
  for (const deadline = Date.now() + 10_000; rooms.length > 0 && Date.now() < deadline; rooms = await occupied()) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(rooms, [], "removed from all rooms");
  assert.equal(await connection(id), undefined, "its connection is gone");
});

test(scenario("Server-initiated disconnect"), async (t) => {
  const own = await startHub({ profile: "hooky" });
  t.after(() => own.stop());
  const socket = connect(t, own);
  const log = record(socket, "server_disconnect", "disconnect");
  await connected(socket);

  await own.stop(); // SIGTERM: the hub shuts down gracefully
  await eventually(() => log.some((e) => e.event === "disconnect"), 15_000, "disconnect");
  assert.deepEqual(log.map((e) => e.event).slice(0, 2), ["server_disconnect", "disconnect"], "the notice first, then the close");
  const [notice] = log[0].args;
  assert.equal(notice.code, 1001);
  assert.equal(notice.reason, "server shutting down");
  assert.equal(notice.reconnect, true);
  assert.ok(Number.isInteger(notice.retryAfterMs), JSON.stringify(notice));
  assert.equal(log[1].args[0], "transport close", "a plain close, which socket.io-client retries");
});

test(scenario("Server temporarily unavailable"), async (t) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "switchboard-socketio-data-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startHub({ profile: "hooky", args: ["--data", dataDir] });
  t.after(() => first.stop());
  await declare(first, "abc-123");
  // No jitter, so that the backoff is the plain doubling: 100, 200, 400, 800, 1600, 2000, 2000 ms.
  const socket = connect(t, first, { reconnectionDelay: 100, reconnectionDelayMax: 2000, randomizationFactor: 0 });
  const attempts = record(socket.io, "reconnect_attempt");
  const reconnects = record(socket.io, "reconnect");
  await connected(socket);

  await first.stop();
  // The hub takes a few seconds to come back: the client tries meanwhile, each time waiting longer.
  await eventually(() => attempts.length >= 3, 15_000, "three reconnect attempts while the hub is down");
  const second = await startHub({ profile: "hooky", args: ["--data", dataDir, "--port", String(first.port)] });
  t.after(() => second.stop());
  await eventually(() => reconnects.length === 1, 15_000, "the reconnect to the new hub");
  await connected(socket);

  assert.deepEqual(attempts.slice(0, 3).map((e) => e.args[0]), [1, 2, 3]);
  for (let n = 1; n < attempts.length; n++) {
    // Timers fire late on a busy machine, never early: each wait is at least the doubled delay.
    const waited = attempts[n].at - attempts[n - 1].at;
    const delay = Math.min(100 * 2 ** n, 2000);
    assert.ok(waited >= delay - 5, `attempt ${n + 1} came ${waited} ms after attempt ${n}; the backoff is ${delay} ms`);
  }
  // The declared webhook survived the restart (durable storage), and the reconnected client is served.
  await join(socket, "abc-123");
  const arrived = next(socket, "new-request");
  const { id } = await capture(second, "abc-123");
  assert.equal((await arrived)[0].id, id);
});

test(scenario("Rejoin rooms after reconnect"), async (t) => {
  // A relay stands for the network: cut, then refusing connections while events are captured.
  const relay = await startRelay(hub.port);
  t.after(() => relay.close());
  const socket = connect(t, `http://127.0.0.1:${relay.port}`);
  const joined = record(socket, "joined");
  const received = record(socket, "new-request");
  // The frontend's connect handler (re)joins its rooms; on a reconnect it resumes each after the
  // last event it saw, so that it also gets what was captured while it was away.
  const lastSeen = new Map();
  socket.on("new-request", (request, { room, id }) => lastSeen.set(room, id));
  socket.on("connect", () => {
    for (const room of ["webhook:abc-123", "webhook:xyz-789"]) {
      socket.emit("join", lastSeen.has(room) ? { room, since: lastSeen.get(room) } : room.slice("webhook:".length));
    }
  });
  await eventually(() => joined.length === 2, 10_000, "the first joins");
  await capture(hub, "abc-123");
  await capture(hub, "xyz-789");
  await eventually(() => received.length === 2, 10_000, "an event from each room");

  relay.refuse(true);
  const disconnected = next(socket, "disconnect");
  relay.cutAll();
  assert.equal((await disconnected)[0], "transport close");
  const missed = [(await capture(hub, "abc-123")).id, (await capture(hub, "xyz-789")).id];
  relay.refuse(false);

  await eventually(() => joined.length === 4, 15_000, "both rooms rejoined after the reconnect");
  assert.deepEqual(joined.slice(2).map((e) => e.args[0].room).sort(), ["webhook:abc-123", "webhook:xyz-789"]);
  await eventually(() => received.length === 4, 10_000, "the events captured while it was away");
  assert.deepEqual(received.slice(2).map((e) => e.args[0].id).sort(), missed.sort());
  // And it is live in both rooms again.
  const live = [(await capture(hub, "abc-123")).id, (await capture(hub, "xyz-789")).id];
  await eventually(() => received.length === 6, 10_000, "live events in both rooms");
  assert.deepEqual(received.slice(4).map((e) => e.args[0].id).sort(), live.sort());
});

test(scenario("Connection established"), async (t) => {
  const socket = connect(t, hub);
  const [hello] = await next(socket, "connected");
  assert.equal(hello.connectionId, socket.id, "the connection id is the Socket.IO id");
  assert.deepEqual(hello.rooms, []);
  assert.equal(typeof hello.heartbeat, "object");
});

test(scenario("Connection error"), async (t) => {
  // A namespace the hub does not serve: the hub's refusal reaches connect_error with its message.
  const admin = connect(t, `${hub.base}/admin`, { reconnection: false });
  const [refused] = await next(admin, "connect_error");
  assert.equal(refused.message, "Invalid namespace");
  // A refused upgrade (here a foreign subprotocol): the transport error carries the HTTP answer.
  const upgrade = connect(t, hub, { protocols: ["mqtt"], reconnection: false });
  const [transport] = await next(upgrade, "connect_error");
  assert.equal(transport.type, "TransportError");
  assert.equal(transport.description.message, "Unexpected server response: 400");
  // No hub at all: connect_error too, and socket.io-client keeps trying with its backoff.
  const relay = await startRelay(hub.port);
  relay.refuse(true);
  t.after(() => relay.close());
  const unreachable = connect(t, `http://127.0.0.1:${relay.port}`);
  const [down] = await next(unreachable, "connect_error");
  assert.equal(down.type, "TransportError");
  assert.equal(unreachable.active, true, "still trying");
  relay.refuse(false);
  await next(unreachable, "connect");
});

test(scenario("Multiple concurrent clients"), async (t) => {
  const N = 100;
  const ids = Array.from({ length: N }, (_, i) => `many-${i}`);
  await Promise.all(ids.map((id) => declare(hub, id)));
  const sockets = ids.map(() => connect(t, hub, { reconnection: false }));
  const logs = sockets.map((s) => record(s, "new-request"));
  await Promise.all(sockets.map(connected));
  assert.equal(new Set(sockets.map((s) => s.id)).size, N, "100 distinct connections");
  await Promise.all(sockets.map((s, i) => join(s, ids[i])));

  const captured = await Promise.all(ids.map(async (id) => (await capture(hub, id)).id));
  await eventually(() => logs.every((log) => log.length >= 1), 20_000, "each client's own event");
  logs.forEach((log, i) => {
    assert.deepEqual(log.map((e) => e.args[0].id), [captured[i]], `client ${i} got its own event only`);
    assert.equal(log[0].args[0].webhookId, ids[i]);
  });
  assert.ok(sockets.every((s) => s.connected), "all still connected");
});

test(scenario("Broadcast payload format"), async (t) => {
  const socket = connect(t, hub);
  const log = record(socket, "new-request");
  await connected(socket);
  await join(socket, "abc-123");
  const before = Date.now();
  const { id } = await capture(hub, "abc-123", { event: "payment.succeeded" });
  // A request without a body nor a User-Agent (node:http sends none of its own).
  const bare = await new Promise((resolve, reject) => {
    http.get(`${hub.base}/hooks/abc-123`, (response) => {
      let text = "";
      response.on("data", (c) => (text += c));
      response.on("end", () => resolve({ status: response.statusCode, body: JSON.parse(text) }));
    }).on("error", reject);
  });
  assert.equal(bare.status, 200);
  await eventually(() => log.length === 2, 10_000, "both requests");

  const [full, empty] = log.map((e) => e.args[0]);
  assert.deepEqual(Object.keys(full).sort(),
    ["body", "headers", "id", "method", "queryParams", "sourceIp", "timestamp", "userAgent", "webhookId"]);
  assert.equal(full.id, id);
  assert.equal(full.webhookId, "abc-123");
  assert.equal(full.method, "POST");
  const headers = Object.fromEntries(Object.entries(full.headers).map(([k, v]) => [k.toLowerCase(), v]));
  assert.equal(headers["content-type"], "application/json");
  assert.equal(headers["x-signature"], "sha256=abc");
  assert.equal(headers["user-agent"], "shop-bot/1.0");
  assert.ok(Object.values(full.headers).every((v) => typeof v === "string"), JSON.stringify(full.headers));
  assert.deepEqual(full.queryParams, { order: "42", tag: "a" });
  assert.equal(full.body, JSON.stringify({ event: "payment.succeeded" }));
  assert.match(full.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, "ISO 8601");
  const at = Date.parse(full.timestamp);
  assert.ok(at >= before - 1000 && at <= Date.now() + 1000, `timestamp ${full.timestamp} is the capture time`);
  assert.equal(full.sourceIp, "127.0.0.1");
  assert.equal(full.userAgent, "shop-bot/1.0");

  assert.equal(empty.id, bare.body.id);
  assert.notEqual(empty.id, full.id, "unique request ids");
  assert.equal(empty.method, "GET");
  assert.deepEqual(empty.queryParams, {});
  assert.equal(empty.body, null);
  assert.equal(empty.userAgent, null);
});

// Beyond the seed: the hub's own Socket.IO features, with overrides on top of the profile.

const SECRET = "ZGV2ZWxvcG1lbnQtb25seS1zZWNyZXQtY2hhbmdlLW1lLXBsZWFzZSE";
const JWKS = JSON.stringify({ keys: [{ kty: "oct", kid: "dev", alg: "HS256", k: SECRET }] });

function token(sub, seconds = 300) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: "HS256", typ: "JWT", kid: "dev" })}.${b64({ sub, iat: now, exp: now + seconds })}`;
  const signature = createHmac("sha256", Buffer.from(SECRET, "base64url")).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}

test("with auth required and an Origin list: a bad token or a foreign Origin is a connect_error; the Engine.IO pings keep a client connected", async (t) => {
  const guarded = await startHub({
    profile: "hooky",
    env: {
      HUB_AUTH_JWKS: JWKS,
      HUB_SOCKET_IO_AUTH: "required",
      HUB_PUBLISH_API_KEYS: "node-socketio-publisher-key",
      HUB_WEBSOCKET_ORIGINS: "https://hooky.example.com",
      HUB_HEARTBEAT_INTERVAL: "300ms",
      HUB_HEARTBEAT_TIMEOUT: "2s",
    },
  });
  t.after(() => guarded.stop());

  const forged = connect(t, guarded, { auth: { token: token("mallory").replace(/.{6}$/, "AAAAAA") } });
  const [error] = await next(forged, "connect_error");
  assert.equal(error.data.code, "AUTH_INVALID", error.message);
  assert.equal(forged.active, false, "a connect error from the server is not retried");
  const missing = connect(t, guarded);
  assert.equal((await next(missing, "connect_error"))[0].data.code, "AUTH_INVALID");

  const foreign = connect(t, guarded, { reconnection: false, auth: { token: token("eve") }, extraHeaders: { Origin: "https://evil.example.com" } });
  const [refused] = await next(foreign, "connect_error");
  assert.equal(refused.description.message, "Unexpected server response: 403");

  const alice = connect(t, guarded, { auth: { token: token("alice") }, extraHeaders: { Origin: "https://hooky.example.com" } });
  const disconnects = record(alice, "disconnect");
  const [hello] = await next(alice, "connected");
  assert.equal(hello.userId, "alice");
  let pings = 0;
  alice.io.engine.on("ping", () => pings++);
  await new Promise((r) => setTimeout(r, 2000));
  assert.ok(pings >= 3, `Engine.IO pings in 2 s at a 300 ms interval: ${pings}`);
  assert.deepEqual(disconnects, [], "socket.io-client's own ping check never fired");
});
