// The npm `eventsource` package — an unmodified EventSource — against a real hub process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventSource } from "eventsource";
import { startHub, startRelay, eventually } from "./hub.mjs";

const ticks = (room, from, to) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ room, type: "tick", data: { n: from + i } }));

test("EventSource reconnects by itself with Last-Event-ID and gets exactly the missed events", async (t) => {
  const hub = await startHub({ env: { HUB_SSE_RETRY: "200ms" } });
  t.after(() => hub.stop());
  const relay = await startRelay(hub.port);
  t.after(() => relay.close());

  const source = new EventSource(`http://127.0.0.1:${relay.port}/sse?rooms=demo:es`);
  t.after(() => source.close());
  const received = [];
  let opens = 0;
  source.addEventListener("open", () => opens++);
  source.addEventListener("tick", (e) => received.push({ n: JSON.parse(e.data).data.n, id: e.lastEventId }));
  let joined = 0;
  source.addEventListener("joined", () => joined++);

  await eventually(() => joined === 1, 10_000, "the first join");
  await hub.publish(ticks("demo:es", 1, 3));
  await eventually(() => received.length === 3, 10_000, "the first three events");

  relay.cutAll(); // the network drops; the browser-compatible client notices and retries on its own
  await hub.publish(ticks("demo:es", 4, 5)); // published while it is away
  await eventually(() => opens >= 2 && joined === 2, 10_000, "the reconnect");
  await hub.publish(ticks("demo:es", 6, 6));
  await eventually(() => received.length >= 6, 10_000, "the missed and the live events");
  await new Promise((r) => setTimeout(r, 300)); // anything doubled would show up now

  assert.deepEqual(received.map((e) => e.n), [1, 2, 3, 4, 5, 6]);
  const ids = received.map((e) => BigInt(e.id));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], `ids increase: ${ids}`);
});
