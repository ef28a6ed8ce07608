// clients/js/switchboard.js: reconnecting by itself and resuming every room, against a real hub.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHub, startRelay, eventually } from "./hub.mjs";
import { openClient, recordingWebSocket, settle, ticks } from "./client-support.mjs";

/** The join messages one connection sent, as their data. */
const joinsSent = (attempt) => attempt.sent.filter((m) => m.type === "join").map((m) => m.data);

/** An unsigned JWT expiring `seconds` from now (the hub does not check tokens yet; the client only reads `exp`). */
function jwt(seconds, sub) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub, exp: Math.floor(Date.now() / 1000) + seconds })}.x`;
}

let hub; // shared by the tests that do not restart it
before(async () => {
  hub = await startHub();
});
after(() => hub?.stop());

test("after the network drops it reconnects by itself and resumes both rooms with exactly the missed events", async (t) => {
  const relay = await startRelay(hub.port);
  t.after(() => relay.close());
  const recording = recordingWebSocket();
  // A fixed 300 ms delay, so the events below are published while the client is away.
  const c = openClient(t, `ws://127.0.0.1:${relay.port}/ws`, {
    rooms: ["resume:a", "resume:b"],
    WebSocket: recording.WebSocket,
    backoff: { initialMs: 300, maxMs: 300, jitter: "none" },
  });
  await c.until("joined", 2);
  await hub.publish([...ticks("resume:a", 1, 2), ...ticks("resume:b", 1, 1)]);
  await c.until("tick", 3);
  const positions = [{ room: "resume:a", since: c.client.lastId("resume:a") }, { room: "resume:b", since: c.client.lastId("resume:b") }];

  relay.cutAll();
  await hub.publish([...ticks("resume:a", 3, 4), ...ticks("resume:b", 2, 2)]);
  await c.until("joined", 4, "the rejoins");
  await hub.publish([...ticks("resume:a", 5, 5), ...ticks("resume:b", 3, 3)]);
  await c.until("tick", 8);
  await settle();

  assert.deepEqual(c.numbers("resume:a"), [1, 2, 3, 4, 5]);
  assert.deepEqual(c.numbers("resume:b"), [1, 2, 3]);
  assert.equal(recording.attempts.length, 2);
  assert.deepEqual(joinsSent(recording.attempts[1]), positions, "rejoined with since = the last id seen");
  assert.deepEqual(c.of("joined").slice(2).map((m) => m.data.recovered), [true, true]);
  assert.equal(c.of("disconnect").length, 1);
  assert.equal(c.of("disconnect")[0].data.reconnect, true);
  assert.deepEqual(c.of("reconnecting").map((m) => m.data), [{ attempt: 1, delayMs: 300, transport: "websocket" }]);
  assert.equal(c.of("connected").length, 2);
});

test("after a hub restart it is told stream_reset, emits resync, asks for state, and goes on live", async (t) => {
  const first = await startHub();
  t.after(() => first.stop());
  const recording = recordingWebSocket();
  const c = openClient(t, `ws://127.0.0.1:${first.port}/ws`, { rooms: ["restart:r"], WebSocket: recording.WebSocket });
  await c.until("joined", 1);
  await first.publish(ticks("restart:r", 1, 2));
  await c.until("tick", 2);
  const since = c.client.lastId("restart:r");

  await first.stop(); // the in-memory history goes with it
  const second = await startHub({ args: ["--ephemeral", "--port", String(first.port)] });
  t.after(() => second.stop());
  await c.until("resync", 1, "the resync after the restart");
  await second.publish(ticks("restart:r", 3, 3));
  await c.until("tick", 3);

  const rejoined = c.of("joined").at(-1).data;
  assert.equal(rejoined.recovered, false);
  assert.equal(rejoined.reason, "stream_reset");
  const [resync] = c.of("resync");
  assert.equal(resync.data.room, "restart:r");
  assert.equal(resync.data.reason, "stream_reset");
  assert.deepEqual(c.numbers("restart:r"), [1, 2, 3]);
  const last = recording.attempts.at(-1).sent.filter((m) => m.type !== "ping");
  assert.deepEqual(last.slice(0, 2).map(({ type, data }) => ({ type, data })), [
    { type: "join", data: { room: "restart:r", since } },
    { type: "sync", data: { room: "restart:r" } },
  ]);
  assert.equal(c.client.lastId("restart:r"), c.of("tick").at(-1).id, "positions follow the new hub's ids");
});

test("with getToken it fetches a new token before exp and reconnects with it, losing nothing", async (t) => {
  const recording = recordingWebSocket();
  const issued = [];
  const getToken = async () => {
    issued.push(jwt(2, "user-1"));
    return issued.at(-1);
  };
  const c = openClient(t, `ws://127.0.0.1:${hub.port}/ws`, { rooms: ["token:r"], getToken, WebSocket: recording.WebSocket });
  await c.until("joined", 1);
  await hub.publish(ticks("token:r", 1, 2));
  await c.until("tick", 2);
  const since = c.client.lastId("token:r");

  await c.until("connected", 2, "the connection with the fresh token"); // within the token's 2 s
  await hub.publish(ticks("token:r", 3, 3));
  await c.until("tick", 3);
  await settle();

  assert.equal(recording.attempts[0].url.searchParams.get("token"), issued[0]);
  assert.equal(recording.attempts[1].url.searchParams.get("token"), issued[1]);
  assert.deepEqual(joinsSent(recording.attempts[1]), [{ room: "token:r", since }]);
  assert.deepEqual(c.numbers("token:r"), [1, 2, 3]);
  assert.deepEqual(c.of("disconnect"), [], "a planned reconnect is not a disconnect");
  assert.deepEqual(c.of("reconnecting"), []);
});

test("with tokenRefresh 'message' it sends refresh {token} on the open connection instead", async (t) => {
  const recording = recordingWebSocket();
  const issued = [];
  const getToken = () => {
    issued.push(jwt(2, "user-2"));
    return issued.at(-1);
  };
  const c = openClient(t, `ws://127.0.0.1:${hub.port}/ws`, { getToken, tokenRefresh: "message", WebSocket: recording.WebSocket });
  const sent = () => recording.attempts[0]?.sent ?? [];
  await eventually(() => sent().some((m) => m.type === "refresh"), 10_000, "the refresh message");
  await settle();

  assert.equal(recording.attempts.length, 1);
  assert.deepEqual(sent().filter((m) => m.type === "refresh"), [{ type: "refresh", data: { token: issued[1] } }]);
  assert.equal(c.of("connected").length, 1);
});

test("a connection that silently stops delivering is found by the heartbeat and replaced, losing nothing", async (t) => {
  const quick = await startHub({ env: { HUB_HEARTBEAT_INTERVAL: "300ms", HUB_HEARTBEAT_TIMEOUT: "300ms" } });
  t.after(() => quick.stop());
  const relay = await startRelay(quick.port);
  t.after(() => relay.close());
  const c = openClient(t, `ws://127.0.0.1:${relay.port}/ws`, { rooms: ["silent:r"] });
  await c.until("joined", 1);
  await quick.publish(ticks("silent:r", 1, 1));
  await c.until("tick", 1);

  relay.freezeAll(); // no close, no reset: only the heartbeat can tell
  await quick.publish(ticks("silent:r", 2, 3));
  await c.until("joined", 2, "the rejoin after the heartbeat gave up");
  await quick.publish(ticks("silent:r", 4, 4));
  await c.until("tick", 4);
  await settle();

  assert.deepEqual(c.of("disconnect").map((m) => [m.data.code, m.data.reconnect]), [[4011, true]]);
  assert.deepEqual(c.numbers("silent:r"), [1, 2, 3, 4]);
  assert.equal(c.of("joined")[1].data.recovered, true);
});
