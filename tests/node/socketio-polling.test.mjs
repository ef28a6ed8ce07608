// SPEC 16 "Socket.IO long-polling": Engine.IO 4 `transport=polling` and the upgrade to WebSocket on
// hub.socket-io.path, with the real, unmodified socket.io-client (its default options, `io(url)`, and
// `transports: ["polling"]`) and with raw HTTP requests and WebSocket frames where a test needs to
// see Engine.IO's own packets. The hub runs the bundled profile `hooky` (seed 004).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import http from "node:http";
import WebSocket from "ws";
import { startHub, eventually, next } from "./hub.mjs";

const SEP = "\x1e";
let hub;

before(async () => {
  hub = await startHub({ profile: "hooky" });
  await declare(hub, "abc-123", "xyz-789", "race");
});

after(() => hub?.stop());

async function declare(target, ...ids) {
  for (const id of ids) {
    const response = await fetch(`${target.base}/api/v1/rooms/webhook:${id}`, { method: "PUT" });
    assert.ok([200, 201].includes(response.status), `declaring webhook:${id}: ${response.status}`);
  }
}

/** A request to the webhook's capture URL; resolves to the captured request's id. */
async function capture(target, id, n) {
  const response = await fetch(`${target.base}/hooks/${id}?n=${n}`, { method: "POST", body: String(n) });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).id;
}

async function connections(target) {
  const response = await fetch(`${target.base}/api/v1/admin/connections`);
  assert.equal(response.status, 200);
  return (await response.json()).connections;
}

// ---- raw Engine.IO over HTTP -------------------------------------------------------------------

const pollUrl = (target, sid, extra = "") => `${target.base}/socket.io/?EIO=4&transport=polling${sid ? `&sid=${sid}` : ""}${extra}`;

/** The handshake: GET without sid; returns the open packet's fields. */
async function handshake(target) {
  const response = await fetch(pollUrl(target));
  assert.equal(response.status, 200);
  const body = await response.text();
  assert.equal(body[0], "0", body);
  return JSON.parse(body.slice(1));
}

async function get(target, sid) {
  const response = await fetch(pollUrl(target, sid));
  return { status: response.status, body: await response.text() };
}

async function post(target, sid, ...packets) {
  const response = await fetch(pollUrl(target, sid), {
    method: "POST",
    headers: { "Content-Type": "text/plain;charset=UTF-8" },
    body: packets.join(SEP),
  });
  return { status: response.status, body: await response.text() };
}

/** Polls until the packets received include one matching `predicate`; returns every packet received. */
async function pollUntil(target, sid, predicate, received = []) {
  const deadline = Date.now() + 10_000;
  while (!received.some(predicate)) {
    assert.ok(Date.now() < deadline, `never received the packet; got ${JSON.stringify(received)}`);
    const { status, body } = await get(target, sid);
    assert.equal(status, 200, body);
    received.push(...body.split(SEP));
  }
  return received;
}

/** The ids of captured requests (`42["new-request",{id…},…]`) among `packets`, in order. */
const requestIds = (packets) => packets.filter((p) => p.startsWith('42["new-request"')).map((p) => JSON.parse(p.slice(2))[1].id);

/** A polling session connected to the namespace and joined to webhook:`id`. */
async function joinedSession(target, id) {
  const open = await handshake(target);
  assert.equal((await post(target, open.sid, "40")).body, "ok");
  await pollUntil(target, open.sid, (p) => p.startsWith("40"));
  await post(target, open.sid, `421["join","${id}"]`);
  await pollUntil(target, open.sid, (p) => p.startsWith("431"));
  return open;
}

function error(body) {
  return JSON.parse(body);
}

test("the handshake over polling: open packet with sid, upgrades [websocket], pingInterval, pingTimeout, maxPayload", async () => {
  const open = await handshake(hub);
  assert.match(open.sid, /^\S{10,}$/);
  assert.deepEqual(open.upgrades, ["websocket"]);
  assert.equal(typeof open.pingInterval, "number");
  assert.equal(typeof open.pingTimeout, "number");
  assert.equal(typeof open.maxPayload, "number");
  const listed = (await connections(hub)).find((c) => c.connectionId === open.sid);
  assert.equal(listed?.transport, "polling", "the hub lists the session under its transport");
  assert.equal((await post(hub, open.sid, "1")).body, "ok");
  assert.equal((await get(hub, open.sid)).status, 400, "the client's close ends the session at once");
});

test("the upgrade: 2probe → 3probe, the waiting GET gets a noop, 5; then the same session goes on over WebSocket, nothing lost or twice", async (t) => {
  const open = await joinedSession(hub, "abc-123");
  const sent = [await capture(hub, "abc-123", 1), await capture(hub, "abc-123", 2)];
  const overPolling = requestIds(await pollUntil(hub, open.sid, (p) => requestIds([p]).includes(sent[1])));

  const ws = new WebSocket(`ws://127.0.0.1:${hub.port}/socket.io/?EIO=4&transport=websocket&sid=${open.sid}`);
  t.after(() => ws.terminate());
  const frames = [];
  ws.on("message", (data) => frames.push(data.toString()));
  await new Promise((resolve, reject) => { ws.once("open", resolve); ws.once("error", reject); });

  const waiting = get(hub, open.sid); // a GET waiting for the hub, as the client's always is
  await new Promise((r) => setTimeout(r, 200));
  ws.send("2probe");
  await eventually(() => frames.includes("3probe"), 10_000, "3probe");
  assert.deepEqual(await waiting, { status: 200, body: "6" }, "the waiting GET is answered with a noop so that the client can pause");
  // Captured while the client pauses its polling: they wait for the transport that comes next.
  sent.push(await capture(hub, "abc-123", 3), await capture(hub, "abc-123", 4));
  ws.send("5");
  sent.push(await capture(hub, "abc-123", 5));
  await eventually(() => requestIds(frames).length + overPolling.length >= sent.length, 10_000, "the events over WebSocket");
  assert.deepEqual([...overPolling, ...requestIds(frames)], sent, "every captured request once, in order, across the upgrade");

  assert.equal(error((await get(hub, open.sid)).body).code, 1, "the sid no longer polls once upgraded");
  ws.send('422["leave","abc-123"]');
  await eventually(() => frames.some((f) => f.startsWith("432")), 10_000, "the leave's ack over WebSocket");
  assert.deepEqual(JSON.parse(frames.find((f) => f.startsWith("432")).slice(3)), [{ room: "webhook:abc-123" }]);
  const listed = (await connections(hub)).find((c) => c.connectionId === open.sid);
  assert.ok(listed, "the same connection, still open");
  assert.equal(listed.transport, "websocket", "listed on the transport that carries it now");
  ws.send("1");
});

test("requests Engine.IO refuses get its answers: unknown sid, unknown transport, other versions, POST handshake, JSONP", async () => {
  const unknown = await get(hub, "no-such-session");
  assert.equal(unknown.status, 400);
  assert.deepEqual(error(unknown.body), { code: 1, message: "Session ID unknown" });
  const unknownPost = await post(hub, "no-such-session", "40");
  assert.equal(unknownPost.status, 400);
  assert.equal(error(unknownPost.body).code, 1);

  const noTransport = await fetch(`${hub.base}/socket.io/?EIO=4`);
  assert.equal(noTransport.status, 400);
  assert.equal((await noTransport.json()).code, 0, "Transport unknown");
  const otherTransport = await fetch(`${hub.base}/socket.io/?EIO=4&transport=flashsocket`);
  assert.equal((await otherTransport.json()).code, 0);

  const eio3 = await fetch(`${hub.base}/socket.io/?EIO=3&transport=polling`);
  assert.equal(eio3.status, 400);
  const eio3Body = await eio3.json();
  assert.equal(eio3Body.code, 5);
  assert.equal(eio3Body.message, "Unsupported protocol version");
  assert.match(eio3Body.reason, /Engine\.IO 4/);

  const postHandshake = await fetch(pollUrl(hub), { method: "POST", body: "40" });
  assert.equal(postHandshake.status, 400);
  assert.equal((await postHandshake.json()).code, 2, "Bad handshake method");

  const jsonp = await fetch(pollUrl(hub, null, "&j=0"));
  assert.equal(jsonp.status, 400);
  const jsonpBody = await jsonp.json();
  assert.equal(jsonpBody.code, 3);
  assert.match(jsonpBody.reason, /JSONP/);

  const plainWebsocket = await fetch(`${hub.base}/socket.io/?EIO=4&transport=websocket`);
  assert.equal(plainWebsocket.status, 400, "transport=websocket without an upgrade");
  assert.equal((await plainWebsocket.json()).code, 3);
  const before = (await connections(hub)).length;
  await fetch(pollUrl(hub, null, "&j=0"));
  await fetch(`${hub.base}/socket.io/?EIO=3&transport=polling`);
  assert.equal((await connections(hub)).length, before, "none of these opened a session");
});

test("a POST that is not Engine.IO packets, or a binary one, ends the session; a bad Socket.IO packet only gets an error", async () => {
  const first = await joinedSession(hub, "abc-123");
  const badJson = await post(hub, first.sid, '42["join",');
  assert.equal(badJson.status, 200, "a bad Socket.IO packet inside a message is answered in the protocol, as on WebSocket");
  const answer = await pollUntil(hub, first.sid, (p) => p.startsWith('42["error"'));
  assert.equal(JSON.parse(answer.find((p) => p.startsWith('42["error"')).slice(2))[1].code, "MESSAGE_INVALID");

  for (const body of ["hello", `3${SEP}`, "bAQID"]) {
    const open = body === "hello" ? first : await joinedSession(hub, "abc-123");
    const refused = await post(hub, open.sid, body);
    assert.equal(refused.status, 400, body);
    assert.equal(error(refused.body).code, 3);
    assert.ok(error(refused.body).reason, "says what was wrong");
    const rest = await pollUntil(hub, open.sid, (p) => p === "1");
    const notice = rest.find((p) => p.startsWith('42["server_disconnect"'));
    assert.equal(JSON.parse(notice.slice(2))[1].code, 1008, `${body}: the notice, then the close packet`);
    assert.equal(error((await get(hub, open.sid)).body).code, 1, "then the session is gone");
  }
});

test("a POST over maxPayload gets 413 and ends the session with 1009", async () => {
  const open = await joinedSession(hub, "abc-123");
  const big = await post(hub, open.sid, `42["join","${"x".repeat(open.maxPayload)}"]`);
  assert.equal(big.status, 413);
  const rest = await pollUntil(hub, open.sid, (p) => p === "1");
  assert.equal(JSON.parse(rest.find((p) => p.startsWith('42["server_disconnect"')).slice(2))[1].code, 1009);
  assert.equal((await get(hub, open.sid)).status, 400);
});

test("a second GET while one waits is refused (400) and closes the session; the waiting GET gets the close", async () => {
  const open = await joinedSession(hub, "abc-123");
  const waiting = get(hub, open.sid);
  await new Promise((r) => setTimeout(r, 200));
  const second = await get(hub, open.sid);
  assert.equal(second.status, 400);
  assert.equal(error(second.body).code, 3);
  const first = await waiting;
  assert.equal(first.status, 200);
  const notice = first.body.split(SEP).find((p) => p.startsWith('42["server_disconnect"'));
  assert.equal(JSON.parse(notice.slice(2))[1].code, 1008, `the waiting GET gets the notice: ${first.body}`);
  assert.deepEqual(await get(hub, open.sid), { status: 200, body: "1" }, "then the close packet, on its own");
  assert.equal((await get(hub, open.sid)).status, 400, "then the session is gone");
});

test("ping/pong over polling: the hub pings, a client that answers stays; one that stops polling is closed after pingInterval + pingTimeout", async (t) => {
  const quick = await startHub({
    profile: "hooky",
    // A timeout long enough for a loaded machine's round trips; short enough for a quick test.
    env: { HUB_HEARTBEAT_INTERVAL: "400ms", HUB_HEARTBEAT_TIMEOUT: "3s", HUB_CONNECTION_CLOSE_GRACE: "1s" },
  });
  t.after(() => quick.stop());
  const open = await handshake(quick);
  assert.equal(open.pingInterval, 400);
  assert.equal(open.pingTimeout, 3000);
  await post(quick, open.sid, "40");
  for (let pings = 0; pings < 4;) {
    const { status, body } = await get(quick, open.sid);
    assert.equal(status, 200, body);
    for (const packet of body.split(SEP)) {
      if (packet === "2") {
        pings++;
        assert.equal((await post(quick, open.sid, "3")).body, "ok");
      }
      assert.notEqual(packet, "1", "a client that answers every ping is not closed");
    }
  }
  // Now the client stops polling: no GET takes the ping, no pong comes.
  const stopped = Date.now();
  let gone = false;
  while (!gone && Date.now() - stopped < 25_000) {
    await new Promise((r) => setTimeout(r, 100));
    gone = !(await connections(quick)).some((c) => c.connectionId === open.sid);
  }
  assert.ok(gone, "the session ended");
  assert.ok(Date.now() - stopped >= 2500, "not before the ping's timeout (3 s after a ping sent at most 400 ms before)");
  assert.deepEqual(error((await get(quick, open.sid)).body), { code: 1, message: "Session ID unknown" });
});

// ---- the real socket.io-client --------------------------------------------------------------------

function client(t, target, options = {}) {
  const socket = io(target.base, { forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 400, ...options });
  t.after(() => socket.close());
  return socket;
}

for (const [name, options, finalTransport] of [
  ["io(url) with default options: connects over polling, upgrades", {}, "websocket"],
  ['transports: ["polling"] only', { transports: ["polling"] }, "polling"],
]) {
  test(`socket.io-client, ${name}: joins, receives events in order, emits join/leave/sync and gets their answers`, async (t) => {
    const socket = client(t, hub, options);
    const first = next(socket.io, "open");
    const upgrades = [];
    socket.io.on("open", () => socket.io.engine.on("upgrade", (transport) => upgrades.push(transport.name)));
    await first;
    assert.equal(socket.io.engine.transport.name, "polling", "Engine.IO starts with long-polling");
    const [hello] = await next(socket, "connected");
    assert.equal(hello.connectionId, socket.id);
    const received = [];
    socket.on("new-request", (request, details) => received.push({ id: request.id, room: details.room }));
    const answer = await socket.timeout(10_000).emitWithAck("join", "abc-123");
    assert.equal(answer.room, "webhook:abc-123");
    const missing = next(socket, "error");
    socket.emit("join", "no-such-webhook");
    assert.equal((await missing)[0].message, "Webhook not found");

    const sent = [];
    for (let n = 0; n < 30; n++) sent.push(await capture(hub, "abc-123", n));
    await eventually(() => received.length >= sent.length, 10_000, "30 captured requests");
    assert.deepEqual(received.map((r) => r.id), sent, "each once, in order");
    assert.ok(received.every((r) => r.room === "webhook:abc-123"));

    const state = await socket.timeout(10_000).emitWithAck("sync", "abc-123");
    assert.equal(state.room, "webhook:abc-123");
    const left = await socket.timeout(10_000).emitWithAck("leave", "abc-123");
    assert.equal(left.room, "webhook:abc-123");
    await capture(hub, "abc-123", 99);
    await socket.timeout(10_000).emitWithAck("leave", "xyz-789"); // behind anything queued before it
    assert.equal(received.length, sent.length, "nothing after leaving");
    await eventually(() => socket.io.engine.transport.name === finalTransport, 10_000, `transport ${finalTransport}`);
    assert.deepEqual(upgrades, finalTransport === "websocket" ? ["websocket"] : []);
  });
}

test("a GET or POST sent the instant the previous one was answered is not taken for an overlapping one (2,000 back to back)", async (t) => {
  // socket.io-client sends its next request as soon as an answer arrives; the hub once still counted
  // the answered request as in progress for a moment, refused the next with 400 and ended the session.
  const fast = await startHub({ profile: "hooky", env: { HUB_INBOUND_RATE_PER_SECOND: "100000", HUB_INBOUND_BURST: "100000" } });
  t.after(() => fast.stop());
  await declare(fast, "xyz-789");
  const socket = client(t, fast, { transports: ["polling"], reconnection: false });
  const disconnects = [];
  socket.on("disconnect", (reason) => disconnects.push(reason));
  await next(socket, "connect");
  for (let n = 0; n < 1000; n++) {
    const answer = await socket.timeout(10_000).emitWithAck("leave", "xyz-789"); // one POST, then the GET that brings the answer
    assert.equal(answer.error?.code, "MESSAGE_INVALID", `answer ${n}: not in the room`);
  }
  const raw = await joinedSession(fast, "abc-123");
  for (let n = 0; n < 1000; n++) {
    const answered = await post(fast, raw.sid, "3"); // a pong: answered "ok", nothing sent back
    assert.equal(answered.status, 200, `POST ${n}: ${answered.body}`);
  }
  assert.deepEqual(disconnects, [], "the session was never cut");
  assert.equal(socket.io.engine.transport.name, "polling");
});

test("an event over the message rate still gets its ack: the RATE_LIMITED error, not a timeout", async (t) => {
  const socket = client(t, hub, { transports: ["polling"], reconnection: false });
  const errors = [];
  socket.on("error", (e) => errors.push(e.code));
  await next(socket, "connect");
  const answers = await Promise.all(Array.from({ length: 15 }, () => socket.timeout(10_000).emitWithAck("sync", "xyz-789")));
  const limited = answers.filter((a) => a.error?.code === "RATE_LIMITED");
  // The burst is 10 messages, and the namespace connect (40) was one of them.
  assert.ok(answers.length - limited.length >= 9, `the burst is served: ${JSON.stringify(answers)}`);
  assert.ok(limited.length >= 5, "the rest are answered RATE_LIMITED");
  assert.ok(limited.every((a) => /too many messages: at most 10 per second/.test(a.error.message)), "saying why");
  assert.equal(errors.filter((code) => code === "RATE_LIMITED").length, limited.length, "and told as error events too");
});

for (const [name, options] of [["io(url) default options", {}], ['transports: ["polling"]', { transports: ["polling"] }]]) {
  test(`SPEC 13 over polling (${name}): a request captured the instant connect fires (join emitted there) arrives, 100 times`, async () => {
    const lost = [];
    for (let i = 0; i < 100; i++) {
      const socket = io(hub.base, { forceNew: true, reconnection: false, ...options });
      const log = [];
      socket.onAny((event, ...args) => log.push({ event, args }));
      try {
        const captured = await new Promise((resolve, reject) => {
          socket.once("connect", () => {
            socket.emit("join", "race");
            resolve(capture(hub, "race", i));
          });
          socket.once("connect_error", reject);
        });
        const id = await captured;
        await socket.timeout(10_000).emitWithAck("leave", "not-joined"); // everything queued before it has arrived
        const joined = log.findIndex((e) => e.event === "joined");
        assert.ok(joined >= 0, `iteration ${i}: joined`);
        const events = log.slice(joined + 1).filter((e) => e.event === "new-request").map((e) => e.args[0].id);
        if (events.length === 0) lost.push(i);
        else assert.deepEqual(events, [id], `iteration ${i}: the one request, once`);
      } finally {
        socket.close();
      }
    }
    assert.deepEqual(lost, [], `${lost.length} of 100 captures made the instant connect fired never arrived`);
  });
}

for (const [name, options] of [["io(url) default options", {}], ['transports: ["polling"]', { transports: ["polling"] }]]) {
  test(`socket.io-client (${name}) across a hub restart: its own reconnect comes back and the next event arrives`, async (t) => {
    const first = await startHub({ profile: "hooky" });
    t.after(() => first.stop());
    await declare(first, "abc-123");
    const socket = client(t, first, options);
    socket.on("connect", () => socket.emit("join", "abc-123"));
    const received = [];
    socket.on("new-request", (request) => received.push(request.id));
    await next(socket, "joined");
    const notice = next(socket, "server_disconnect");
    const disconnected = next(socket, "disconnect");
    await first.stop();
    assert.equal((await notice)[0].code, 1001);
    assert.equal((await disconnected)[0], "transport close", "a close socket.io-client retries");
    const second = await startHub({ profile: "hooky", args: ["--ephemeral", "--port", String(first.port)] });
    t.after(() => second.stop());
    await declare(second, "abc-123");
    await next(socket, "joined", 20_000); // its connect handler joined again
    const id = await capture(second, "abc-123", 1);
    await eventually(() => received.includes(id), 10_000, "the event after the restart");
  });
}

test("admission happens once per session, not per poll: a polling client stays under a per-IP attempt limit of 3 a minute", async (t) => {
  const limited = await startHub({ profile: "hooky", env: { HUB_LIMITS_ATTEMPTS_PER_IP_PER_MINUTE: "3" } });
  t.after(() => limited.stop());
  await declare(limited, "abc-123");
  const socket = client(t, limited, { transports: ["polling"], reconnection: false });
  await next(socket, "connect");
  for (let n = 0; n < 6; n++) {
    assert.equal((await socket.timeout(10_000).emitWithAck("join", "abc-123")).room, "webhook:abc-123");
    assert.equal((await socket.timeout(10_000).emitWithAck("leave", "abc-123")).room, "webhook:abc-123");
    await new Promise((r) => setTimeout(r, 250)); // under the inbound rate of 10 messages a second
  }
  assert.equal(socket.connected, true, "a dozen POSTs and as many GETs, one admission");
  // New sessions are admissions: the 3 a minute apply to handshakes.
  const statuses = [];
  for (let n = 0; n < 4; n++) statuses.push((await fetch(pollUrl(limited))).status);
  assert.deepEqual(statuses.slice(0, 2), [200, 200]);
  assert.equal(statuses.at(-1), 429, `the limit counts handshakes: ${statuses}`);
});

test("a polling client that stops fetching is a slow consumer like a stalled WebSocket: its queue fills and the hub cuts it", async (t) => {
  const small = await startHub({
    profile: "hooky",
    env: { HUB_CONNECTION_OUTBOUND_MAX_MESSAGES: "16", HUB_CONNECTION_CLOSE_GRACE: "1s" },
  });
  t.after(() => small.stop());
  await declare(small, "abc-123");
  const stalled = await joinedSession(small, "abc-123");
  const reading = client(t, small, { transports: ["polling"], reconnection: false });
  reading.on("connect", () => reading.emit("join", "abc-123"));
  await next(reading, "joined");
  const received = [];
  reading.on("new-request", (request) => received.push(request.id));
  // 64 KiB of packets wait for the stalled client's next GET, then its queue of 16: about 100 requests of 1 KiB.
  const sent = [];
  for (let n = 0; n < 150; n++) {
    const response = await fetch(`${small.base}/hooks/abc-123?n=${n}`, { method: "POST", body: "x".repeat(1024) });
    assert.equal(response.status, 200);
    sent.push((await response.json()).id);
    // The reading client keeps up (its own queue is as small); only the stalled one falls behind.
    if (n % 10 === 9) await eventually(() => received.length === sent.length, 10_000, "the reading client caught up");
  }
  let gone = false;
  for (const deadline = Date.now() + 20_000; !gone && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 100));
    gone = !(await connections(small)).some((c) => c.connectionId === stalled.sid);
  }
  assert.ok(gone, "the stalled polling session was cut");
  assert.deepEqual(error((await get(small, stalled.sid)).body), { code: 1, message: "Session ID unknown" });
  await eventually(() => received.length === sent.length, 10_000, "every request to the client that polls");
  assert.deepEqual(received, sent, "the stalled client never held up the one that reads");
});

/** A raw HTTP request (Node's fetch may not send an Origin of the test's choosing). */
function request(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("Origin: checked at the handshake (403, audited like an upgrade) and on every later request; allowed pages get CORS headers", async (t) => {
  const guarded = await startHub({ profile: "hooky", env: { HUB_WEBSOCKET_ORIGINS: "https://hooky.example.com" } });
  t.after(() => guarded.stop());
  const good = { Origin: "https://hooky.example.com" };
  const evil = { Origin: "https://evil.example.com" };
  const refused = await request(pollUrl(guarded), { headers: evil });
  assert.equal(refused.status, 403);
  assert.equal(JSON.parse(refused.body).code, "FORBIDDEN");
  assert.equal(refused.headers["access-control-allow-origin"], undefined, "no CORS grant to a foreign page");

  const hello = await request(pollUrl(guarded), { headers: good });
  assert.equal(hello.status, 200);
  assert.equal(hello.headers["access-control-allow-origin"], "https://hooky.example.com");
  assert.equal(hello.headers["access-control-allow-credentials"], "true");
  const { sid } = JSON.parse(hello.body.slice(1));

  const preflight = await request(pollUrl(guarded, sid), { method: "OPTIONS",
    headers: { ...good, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers["access-control-allow-methods"], /POST/);
  assert.equal(preflight.headers["access-control-allow-headers"], "content-type");

  const foreignPost = await request(pollUrl(guarded, sid), { method: "POST", headers: { ...evil, "Content-Type": "text/plain" }, body: "40" });
  assert.equal(foreignPost.status, 403);
  assert.deepEqual(JSON.parse(foreignPost.body).code, 4);
  const posted = await request(pollUrl(guarded, sid), { method: "POST", headers: { ...good, "Content-Type": "text/plain" }, body: "40" });
  assert.equal(posted.body, "ok");

  const foreignUpgrade = new WebSocket(`ws://127.0.0.1:${guarded.port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`, { headers: evil });
  const status = await new Promise((resolve) => {
    foreignUpgrade.on("unexpected-response", (req, res) => resolve(res.statusCode));
    foreignUpgrade.on("open", () => resolve(101));
    foreignUpgrade.on("error", () => {});
  });
  foreignUpgrade.terminate();
  assert.equal(status, 403, "the upgrade of a session checks Origin too");
  const audit = await (await fetch(`${guarded.base}/api/v1/audit?limit=100`)).json();
  assert.ok(JSON.stringify(audit).includes("evil.example.com"), "the refused handshake is audited with its Origin");
});
