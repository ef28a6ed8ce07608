// clients/js/switchboard.js over Server-Sent Events: the fallback when WebSocket cannot connect.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHub, startRelay, eventually } from "./hub.mjs";
import { openClient, readCommands, settle, ticks } from "./client-support.mjs";

let hub;
before(async () => {
  hub = await startHub();
});
after(() => hub?.stop());

/** A WebSocket that never gets through, as behind a proxy that refuses upgrades; counts its attempts. */
function blockedWebSocket() {
  const blocked = { attempts: 0 };
  blocked.WebSocket = class {
    constructor() {
      blocked.attempts++;
      setTimeout(() => {
        this.onerror?.({ message: "upgrade refused" });
        this.onclose?.({ code: 1006, reason: "" });
      }, 5);
    }
    send() {
      throw new Error("not open");
    }
    close() {}
  };
  return blocked;
}

test("with transport auto it falls back to SSE when WebSocket cannot connect, and receives events", async (t) => {
  const blocked = blockedWebSocket();
  const c = openClient(t, `ws://127.0.0.1:${hub.port}/ws`, { rooms: ["fallback:a", "fallback:b"], WebSocket: blocked.WebSocket });
  await c.until("joined", 2);
  await hub.publish([...ticks("fallback:a", 1, 2), ...ticks("fallback:b", 1, 1)]);
  await c.until("tick", 3);

  assert.equal(c.client.transport, "sse");
  assert.equal(blocked.attempts, 2, "sseFallbackAfter defaults to 2 failed WebSocket attempts");
  assert.deepEqual(c.of("connect_error").map((m) => m.data.transport), ["websocket", "websocket"]);
  assert.deepEqual(c.of("reconnecting").map((m) => [m.data.attempt, m.data.transport]), [[1, "websocket"], [2, "sse"]]);
  assert.deepEqual(c.numbers("fallback:a"), [1, 2]);
  assert.deepEqual(c.numbers("fallback:b"), [1]);
  assert.equal(c.client.connectionId, c.of("connected")[0].data.connectionId);
});

test("a command over SSE is POSTed with the stream's connection id and reaches the publishers", async (t) => {
  const commands = await readCommands(t, hub);
  const c = openClient(t, `ws://127.0.0.1:${hub.port}/ws`, { transport: "sse", rooms: ["proposal:9"] });
  await c.until("joined", 1);

  const answer = await c.client.command("proposal:9", "cancel", { iteration: 4 });
  await eventually(() => commands.length === 1, 10_000, "the command at the publisher");

  assert.match(answer.id, /^\d+$/, "202 {id}");
  const { room, name, data, connectionId } = commands[0];
  assert.deepEqual({ room, name, data }, { room: "proposal:9", name: "cancel", data: { iteration: 4 } });
  assert.equal(connectionId, c.client.connectionId);
  await assert.rejects(c.client.command("proposal:10", "cancel", {}), { status: 403, code: "FORBIDDEN" },
    "a room the stream has not joined is refused");
});

test("joining over SSE reopens the stream with every room's position: nothing lost or doubled", async (t) => {
  const c = openClient(t, `ws://127.0.0.1:${hub.port}/ws`, { transport: "sse", rooms: ["ssejoin:a"] });
  await c.until("joined", 1);
  await hub.publish(ticks("ssejoin:a", 1, 2));
  await c.until("tick", 2);

  c.client.join("ssejoin:b");
  await hub.publish(ticks("ssejoin:a", 3, 3)); // may land on the old stream or be replayed on the new one
  await eventually(() => c.of("joined").some((m) => m.data.room === "ssejoin:b"), 10_000, "the new room");
  await hub.publish([...ticks("ssejoin:a", 4, 4), ...ticks("ssejoin:b", 1, 1)]);
  await c.until("tick", 5);
  await settle();

  assert.deepEqual(c.numbers("ssejoin:a"), [1, 2, 3, 4]);
  assert.deepEqual(c.numbers("ssejoin:b"), [1]);
  const rejoinedA = c.of("joined").filter((m) => m.data.room === "ssejoin:a").at(-1);
  assert.equal(rejoinedA.data.recovered, true, "the first room resumed from its position");
  assert.equal(c.of("connected").length, 2);
  assert.deepEqual(c.of("disconnect"), [], "a planned reopen is not a disconnect");
});

test("over SSE a dropped stream is resumed with lastEventId: exactly the missed events", async (t) => {
  const relay = await startRelay(hub.port);
  t.after(() => relay.close());
  const c = openClient(t, `ws://127.0.0.1:${relay.port}/ws`, {
    transport: "sse",
    rooms: ["ssedrop:a", "ssedrop:b"],
    backoff: { initialMs: 300, maxMs: 300, jitter: "none" },
  });
  await c.until("joined", 2);
  await hub.publish([...ticks("ssedrop:a", 1, 1), ...ticks("ssedrop:b", 1, 1)]);
  await c.until("tick", 2);

  relay.cutAll();
  await hub.publish([...ticks("ssedrop:a", 2, 3), ...ticks("ssedrop:b", 2, 2)]);
  await c.until("joined", 4, "the rejoins");
  await hub.publish(ticks("ssedrop:b", 3, 3));
  await c.until("tick", 6);
  await settle();

  assert.deepEqual(c.numbers("ssedrop:a"), [1, 2, 3]);
  assert.deepEqual(c.numbers("ssedrop:b"), [1, 2, 3]);
  assert.deepEqual(c.of("joined").slice(2).map((m) => m.data.recovered), [true, true]);
  assert.equal(c.of("disconnect").length, 1);
  assert.deepEqual(c.of("reconnecting").map((m) => m.data), [{ attempt: 1, delayMs: 300, transport: "sse" }]);
});

test("leaving the last room over SSE ends the stream; publish and sync say they cannot be sent", async (t) => {
  const c = openClient(t, `ws://127.0.0.1:${hub.port}/ws`, { transport: "sse", rooms: ["sseleave:a"] });
  await c.until("joined", 1);

  c.client.leave("sseleave:a");
  await c.until("left", 1);
  await eventually(() => c.client.state === "idle", 10_000, "the idle client");
  await hub.publish(ticks("sseleave:a", 1, 1));
  await settle();

  assert.deepEqual(c.numbers("sseleave:a"), []);
  assert.equal(c.client.publish("sseleave:a", "note", {}), false);
  assert.equal(c.client.sync("sseleave:a"), false);
});
