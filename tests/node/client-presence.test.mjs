// clients/js/switchboard.js presence against a real hub: presence(room) pages, onPresence joins and
// leaves over WebSocket and SSE, refusals with the hub's codes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startHub, eventually } from "./hub.mjs";
import { openClient, settle, ticks } from "./client-support.mjs";

let hub;
before(async () => {
  const config = path.join(mkdtempSync(path.join(tmpdir(), "sb-presence-")), "presence.yaml");
  writeFileSync(config, [
    "hub:",
    "  namespaces:",
    "    room:",
    "      presence: true",
    "      presence-events: true",
    "",
  ].join("\n"));
  hub = await startHub({ args: ["--ephemeral", "--config", config] });
});
after(() => hub?.stop());

const wsUrl = () => `ws://127.0.0.1:${hub.port}/ws`;

/** A client that joined `room` and records presence changes. */
async function member(t, room, options = {}) {
  const c = openClient(t, wsUrl(), { rooms: [room], ...options });
  const changes = [];
  c.client.onPresence((change) => changes.push(change));
  await c.until("joined", 1);
  return { ...c, changes, id: () => c.of("connected")[0].data.connectionId };
}

test("presence(room) lists the members and pages with after/next", async (t) => {
  const a = await member(t, "room:list");
  const b = await member(t, "room:list");
  const c = await member(t, "room:list", { transport: "sse" });
  await c.until("connected", 1);
  const ids = [a.id(), b.id(), c.id()].sort();

  const all = await a.client.presence("room:list");
  assert.equal(all.room, "room:list");
  assert.deepEqual(all.clients.map((m) => m.connectionId), ids);
  assert.deepEqual(all.clients.map((m) => m.userId), [null, null, null], "anonymous members have userId null");
  assert.equal(all.connections, 3);
  assert.equal(all.users, 0);
  assert.equal(all.next, null);

  const first = await a.client.presence("room:list", { limit: 2 });
  assert.deepEqual(first.clients.map((m) => m.connectionId), ids.slice(0, 2));
  assert.equal(first.next, ids[1]);
  const rest = await a.client.presence("room:list", { limit: 2, after: first.next });
  assert.deepEqual(rest.clients.map((m) => m.connectionId), ids.slice(2));
  assert.equal(rest.next, null);
});

test("onPresence hears the others' joins and leaves once each, over WebSocket and SSE", async (t) => {
  const ws = await member(t, "room:events");
  const sse = await member(t, "room:events", { transport: "sse" });
  await eventually(() => ws.changes.length === 1, 10_000, "the SSE member's join");
  assert.deepEqual(ws.changes, [{ type: "join", room: "room:events", connectionId: sse.id(), userId: null }]);

  const guest = await member(t, "room:events");
  await eventually(() => ws.changes.length === 2 && sse.changes.length === 1, 10_000, "the guest's join");
  guest.client.close();
  await eventually(() => ws.changes.length === 3 && sse.changes.length === 2, 10_000, "the guest's leave");
  await hub.publish(ticks("room:events", 1, 1));
  await ws.until("tick", 1);
  await sse.until("tick", 1);
  await settle();

  const joinAndLeave = [
    { type: "join", room: "room:events", connectionId: guest.id(), userId: null },
    { type: "leave", room: "room:events", connectionId: guest.id(), userId: null },
  ];
  assert.deepEqual(ws.changes.slice(1), joinAndLeave);
  assert.deepEqual(sse.changes, joinAndLeave);
  assert.deepEqual(guest.changes, [], "a member is not told of its own join");
});

test("presence(room) rejects with the hub's code: not a member, no presence, bad limit, SSE", async (t) => {
  const a = await member(t, "room:mine");
  await assert.rejects(a.client.presence("room:other"), { code: "FORBIDDEN" });
  a.client.join("plain:1");
  await a.until("joined", 2);
  await assert.rejects(a.client.presence("plain:1"), { code: "PRESENCE_DISABLED" });
  await assert.rejects(a.client.presence("room:mine", { limit: 5000 }), { code: "MESSAGE_INVALID" });
  const answer = await a.client.presence("room:mine");
  assert.deepEqual(answer.clients.map((m) => m.connectionId), [a.id()], "the client still works after refusals");

  const s = await member(t, "room:mine", { transport: "sse" });
  await assert.rejects(s.client.presence("room:mine"), /WebSocket/);
});
