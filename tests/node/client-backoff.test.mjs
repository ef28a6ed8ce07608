// clients/js/switchboard.js: reconnect timing against a port where nothing listens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deadPort, openClient, recordingWebSocket, settle } from "./client-support.mjs";

const backoff = { initialMs: 40, maxMs: 320, factor: 2 };
const cap = (attempt) => Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (attempt - 1));

/** A client that keeps failing to connect until it gives up after `maxAttempts`; resolves with what it did. */
async function failingClient(t, options) {
  const recording = recordingWebSocket();
  const c = openClient(t, `ws://127.0.0.1:${await deadPort()}/ws`, { transport: "websocket", WebSocket: recording.WebSocket, ...options });
  await c.until("connect_error", options.maxAttempts + 1, "the last failed attempt");
  return { c, attempts: recording.attempts };
}

test("reconnect delays grow exponentially with full jitter, each within its cap", async (t) => {
  const { c, attempts } = await failingClient(t, { backoff, maxAttempts: 8 });
  const reconnecting = c.of("reconnecting").map((m) => m.data);
  const failedAt = c.log.filter((e) => e.type === "connect_error").map((e) => e.at);

  assert.deepEqual(reconnecting.map((r) => r.attempt), [1, 2, 3, 4, 5, 6, 7, 8]);
  for (const { attempt, delayMs } of reconnecting) {
    assert.ok(delayMs >= 0 && delayMs <= cap(attempt), `attempt ${attempt}: ${delayMs} ms within [0, ${cap(attempt)}]`);
    const waited = attempts[attempt].at - failedAt[attempt - 1];
    assert.ok(waited >= delayMs - 2, `attempt ${attempt} started ${waited} ms after the failure, not before its ${delayMs} ms`);
    assert.ok(waited <= delayMs + 500, `attempt ${attempt} started ${waited} ms after the failure, long after its ${delayMs} ms`);
  }
  // With full jitter a delay is anywhere below its cap; eight all in the top tenth would be a 1e-8 chance.
  assert.ok(reconnecting.some((r) => r.delayMs < 0.9 * cap(r.attempt)), `delays are jittered: ${reconnecting.map((r) => r.delayMs)}`);
});

test("without jitter the delays are the caps: initialMs times factor per attempt, up to maxMs", async (t) => {
  const { c } = await failingClient(t, { backoff: { ...backoff, jitter: "none" }, maxAttempts: 5 });
  assert.deepEqual(c.of("reconnecting").map((m) => m.data.delayMs), [40, 80, 160, 320, 320]);
});

test("after maxAttempts failed reconnects it gives up: connect_error without retry, and no more attempts", async (t) => {
  const { c, attempts } = await failingClient(t, { backoff: { initialMs: 20, maxMs: 20 }, maxAttempts: 3 });
  await settle(400);

  assert.equal(attempts.length, 4, "the first attempt and three reconnects");
  assert.deepEqual(c.of("reconnecting").map((m) => m.data.attempt), [1, 2, 3]);
  assert.deepEqual(c.of("connect_error").map((m) => [m.data.attempt, m.data.willRetry]),
    [[0, true], [1, true], [2, true], [3, false]]);
  assert.ok(c.of("connect_error").every((m) => m.data.transport === "websocket" && m.data.message));
  assert.equal(c.client.state, "closed");
  assert.deepEqual(c.of("connected"), []);
});
