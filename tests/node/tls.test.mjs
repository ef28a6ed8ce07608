// The hub serving TLS itself (server.tls.*): wss:// from `ws` and the Switchboard client, SSE over https://
// from the `eventsource` package, history over https://, all trusting a CA made in the test; no plain http://.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { WebSocket } from "ws";
import { EventSource } from "eventsource";
import { startHub } from "./hub.mjs";
import { connect } from "../../clients/js/switchboard.js";
import { fetchTrusting, makeCertificates } from "./tls-support.mjs";

let certs;
let hub;
let fetchTls;
before(async () => {
  certs = makeCertificates();
  hub = await startHub({ args: certs.args });
  fetchTls = fetchTrusting(certs.ca);
});
after(async () => {
  await hub?.stop();
  certs?.remove();
});

const origin = () => `https://localhost:${hub.port}`;

async function publish(events) {
  const response = await fetchTls(`${origin()}/api/v1/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(events),
  });
  assert.equal(response.status, 202, await response.clone().text());
  return response.json();
}

/** Records the messages of `ws`, parsed; `until(n)` resolves once `n` have arrived. */
function recorder(ws) {
  const received = [];
  const waiters = [];
  ws.on("message", (data) => {
    received.push(JSON.parse(String(data)));
    for (const w of waiters) if (received.length >= w.n) w.resolve(received);
  });
  return { received, until: (n) => new Promise((resolve) => (received.length >= n ? resolve(received) : waiters.push({ n, resolve }))) };
}

test("wss:// with the `ws` package trusting the CA: connected, joined, then the room's events", async () => {
  const ws = new WebSocket(`wss://localhost:${hub.port}/ws`, { ca: certs.ca });
  const messages = recorder(ws);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.send(JSON.stringify({ type: "join", data: { room: "tls:ws" } }));
  await messages.until(2);
  await publish({ room: "tls:ws", type: "hello", data: { n: 1 } });
  const [connected, joined, event] = await messages.until(3);
  ws.close();

  assert.equal(connected.type, "connected");
  assert.equal(joined.type, "joined");
  assert.deepEqual([event.type, event.room, event.data], ["hello", "tls:ws", { n: 1 }]);
});

test("a client that does not trust the CA is refused the certificate", async () => {
  const ws = new WebSocket(`wss://localhost:${hub.port}/ws`);
  const error = await new Promise((resolve) => ws.once("error", resolve));
  assert.match(String(error.code ?? error.message), /SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify/i);
});

test("plain http:// is not served on the TLS port", async () => {
  const outcome = await new Promise((resolve) => {
    const request = http.get(`http://127.0.0.1:${hub.port}/health`, (response) => resolve(`answered ${response.statusCode}`));
    request.on("error", (error) => resolve(`failed: ${error.code ?? error.message}`));
    request.setTimeout(10_000, () => request.destroy(new Error("timeout")));
  });
  assert.match(outcome, /^failed: /, outcome);
});

test("SSE over https:// with the `eventsource` package: joined, then the events, ids as on the WebSocket", async () => {
  const source = new EventSource(`${origin()}/sse?rooms=tls:sse`, { fetch: fetchTls });
  const received = [];
  const joined = new Promise((resolve) => source.addEventListener("joined", resolve));
  const ticks = new Promise((resolve) => {
    source.addEventListener("tick", (e) => {
      received.push({ id: e.lastEventId, data: JSON.parse(e.data).data });
      if (received.length === 2) resolve();
    });
  });
  try {
    await joined;
    const answer = await publish([{ room: "tls:sse", type: "tick", data: 1 }, { room: "tls:sse", type: "tick", data: 2 }]);
    await ticks;
    assert.deepEqual(received.map((r) => r.data), [1, 2]);
    assert.deepEqual(received.map((r) => r.id), answer.ids.map((ids) => ids["tls:sse"]));
  } finally {
    source.close();
  }
});

test("the Switchboard client over wss:// and its history over https://", async (t) => {
  class TrustingWebSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { ca: certs.ca });
    }
  }
  const client = connect(`wss://localhost:${hub.port}/ws`, { WebSocket: TrustingWebSocket, fetch: fetchTls, rooms: ["tls:client"] });
  t.after(() => client.close());
  const got = [];
  const joined = new Promise((resolve) => client.on("joined", resolve));
  const both = new Promise((resolve) => client.on("tick", (m) => got.push(m) === 2 && resolve()));
  await joined;
  await publish([{ room: "tls:client", type: "tick", data: "a" }, { room: "tls:client", type: "tick", data: "b" }]);
  await both;

  const page = await client.history("tls:client");
  assert.deepEqual(page.events, got);
  assert.equal(page.recovered, true);
});
