// clients/js/switchboard.js: what the hub says in `disconnect` decides whether and when it reconnects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { WebSocketServer } from "ws";
import { startHub } from "./hub.mjs";
import { openClient, recordingWebSocket, settle } from "./client-support.mjs";

test("when the hub shuts down it waits at least retryAfterMs, then reconnects to the new hub", async (t) => {
  const first = await startHub();
  t.after(() => first.stop());
  const recording = recordingWebSocket();
  const c = openClient(t, `ws://127.0.0.1:${first.port}/ws`, { rooms: ["shutdown:g"], WebSocket: recording.WebSocket });
  await c.until("joined", 1);

  const stopped = first.stop();
  await c.until("disconnect", 1);
  const second = await startHub({ args: ["--ephemeral", "--port", String(first.port)] });
  t.after(() => second.stop());
  await stopped;
  await c.until("joined", 2, "the rejoin on the new hub");

  const [{ message: disconnect, at: disconnectedAt }] = c.log.filter((e) => e.type === "disconnect");
  assert.equal(disconnect.data.code, 1001);
  assert.equal(disconnect.data.reconnect, true);
  const { retryAfterMs } = disconnect.data;
  assert.ok(Number.isInteger(retryAfterMs) && retryAfterMs >= 0, `retryAfterMs: ${retryAfterMs}`);
  assert.ok(c.of("reconnecting")[0].data.delayMs >= retryAfterMs);
  const waited = recording.attempts[1].at - disconnectedAt;
  assert.ok(waited >= retryAfterMs - 2, `the next attempt came ${waited} ms after disconnect, before retryAfterMs ${retryAfterMs}`);
  assert.equal(c.client.state, "open");
});

/**
 * A scripted stand-in for a hub that tells its client not to come back (this hub has no such case
 * yet): it greets, optionally sends `disconnect`, and closes with `closeCode`; counts connections.
 */
async function refusingServer(t, { disconnect, closeCode }) {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await once(server, "listening");
  t.after(() => new Promise((r) => server.close(r)));
  const seen = { connections: 0, port: server.address().port };
  server.on("connection", (socket) => {
    seen.connections++;
    socket.send(JSON.stringify({ type: "connected", data: { connectionId: "c1", rooms: [], heartbeat: { intervalMs: 30000, timeoutMs: 10000 } } }));
    if (disconnect) socket.send(JSON.stringify({ type: "disconnect", data: disconnect }));
    socket.close(closeCode, "go away");
  });
  return seen;
}

for (const [name, script] of [
  ["disconnect with reconnect:false", { disconnect: { code: 4000, reason: "account closed", reconnect: false }, closeCode: 4000 }],
  ["close code 4500-4999 without disconnect", { closeCode: 4501 }],
]) {
  test(`${name} is honoured: no further attempt`, async (t) => {
    const server = await refusingServer(t, script);
    const c = openClient(t, `ws://127.0.0.1:${server.port}/ws`, { backoff: { initialMs: 20, maxMs: 20 } });
    await c.until("disconnect", 1);
    await settle(400);

    assert.equal(server.connections, 1);
    const [disconnect] = c.of("disconnect");
    assert.equal(disconnect.data.reconnect, false);
    assert.equal(disconnect.data.code, script.disconnect?.code ?? script.closeCode);
    assert.deepEqual(c.of("reconnecting"), []);
    assert.equal(c.client.state, "closed");
  });
}

test("a hub that keeps closing with a 4000-4499 code gets reconnects with growing backoff until maxAttempts", async (t) => {
  const server = await refusingServer(t, { closeCode: 4008 });
  const c = openClient(t, `ws://127.0.0.1:${server.port}/ws`, { backoff: { initialMs: 20, maxMs: 20 }, maxAttempts: 2 });
  await c.until("disconnect", 3);

  assert.equal(server.connections, 3);
  assert.deepEqual(c.of("disconnect").map((m) => [m.data.code, m.data.reconnect]), [[4008, true], [4008, true], [4008, false]]);
  assert.deepEqual(c.of("reconnecting").map((m) => m.data.attempt), [1, 2], "short-lived connections do not start the count anew");
  assert.equal(c.client.state, "closed");
});
