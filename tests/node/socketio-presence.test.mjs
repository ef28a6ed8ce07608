// Presence from an unmodified socket.io-client: emit("presence", room) answers with the room's
// members (as an event and as the ack), pages with limit/after, and refuses what /ws refuses, with
// the same codes. Members of both transports (WebSocket and long-polling) are listed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { startHub, next } from "./hub.mjs";

let hub;
before(async () => {
  const config = path.join(mkdtempSync(path.join(tmpdir(), "sb-sio-presence-")), "presence.yaml");
  writeFileSync(config, ["hub:", "  namespaces:", "    room:", "      presence: true", "      presence-events: true", ""].join("\n"));
  hub = await startHub({ env: { HUB_SOCKET_IO_PATH: "/socket.io/" }, args: ["--ephemeral", "--config", config] });
});
after(() => hub?.stop());

/** A socket.io-client that joined `room`; resolves to it with its connection id. */
async function member(t, room, options = {}) {
  const socket = io(hub.base, { forceNew: true, reconnection: false, ...options });
  t.after(() => socket.close());
  const connected = next(socket, "connected");
  await next(socket, "connect");
  const [{ connectionId }] = await connected;
  const joined = await socket.timeout(10_000).emitWithAck("join", { room });
  assert.equal(joined.room, room, JSON.stringify(joined));
  return { socket, id: connectionId };
}

test("emit('presence', {room}) lists the members of both transports, as the ack and as an event", async (t) => {
  const a = await member(t, "room:sio-list", { transports: ["websocket"] });
  const b = await member(t, "room:sio-list", { transports: ["polling"] });
  const asEvent = next(a.socket, "presence");
  const page = await a.socket.timeout(10_000).emitWithAck("presence", { room: "room:sio-list" });
  assert.equal(page.room, "room:sio-list");
  assert.deepEqual(page.clients.map((c) => c.connectionId).sort(), [a.id, b.id].sort());
  assert.equal(page.connections, 2);
  assert.equal(page.next, null);
  assert.deepEqual((await asEvent)[0], page, "the presence event carries the same page");

  const first = await b.socket.timeout(10_000).emitWithAck("presence", { room: "room:sio-list", limit: 1 });
  assert.equal(first.clients.length, 1);
  assert.ok(first.next, "a cursor to the next page");
  const second = await b.socket.timeout(10_000).emitWithAck("presence", { room: "room:sio-list", limit: 1, after: first.next });
  assert.deepEqual([...first.clients, ...second.clients].map((c) => c.connectionId).sort(), [a.id, b.id].sort());
  assert.equal(second.next, null);
});

test("a member hears presence.join and presence.leave of the others", async (t) => {
  const a = await member(t, "room:sio-events", { transports: ["websocket"] });
  const joinedNotice = next(a.socket, "presence.join");
  const b = await member(t, "room:sio-events", { transports: ["websocket"] });
  assert.equal((await joinedNotice)[0].connectionId, b.id);
  const leftNotice = next(a.socket, "presence.leave");
  b.socket.close();
  assert.equal((await leftNotice)[0].connectionId, b.id);
});

test("presence refuses as /ws does: a room not joined (FORBIDDEN), a namespace without presence (PRESENCE_DISABLED), no room", async (t) => {
  const a = await member(t, "room:sio-refusals", { transports: ["websocket"] });
  const notJoined = await a.socket.timeout(10_000).emitWithAck("presence", { room: "room:elsewhere" });
  assert.equal(notJoined.error.code, "FORBIDDEN", JSON.stringify(notJoined));
  await a.socket.timeout(10_000).emitWithAck("join", { room: "other:x" });
  const disabled = await a.socket.timeout(10_000).emitWithAck("presence", { room: "other:x" });
  assert.equal(disabled.error.code, "PRESENCE_DISABLED", JSON.stringify(disabled));
  const badLimit = await a.socket.timeout(10_000).emitWithAck("presence", { room: "room:sio-refusals", limit: 0 });
  assert.equal(badLimit.error.code, "MESSAGE_INVALID", JSON.stringify(badLimit));
  const noRoom = await a.socket.timeout(10_000).emitWithAck("presence");
  assert.equal(noRoom.error.code, "MESSAGE_INVALID", JSON.stringify(noRoom));
  const page = await a.socket.timeout(10_000).emitWithAck("presence", { room: "room:sio-refusals" });
  assert.deepEqual(page.clients.map((c) => c.connectionId), [a.id], "the connection goes on");
});
