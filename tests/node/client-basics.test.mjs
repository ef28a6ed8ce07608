// clients/js/switchboard.js against a real hub: joining, receiving, leaving, commands, tokens.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHub, eventually } from "./hub.mjs";
import { openClient, recordingWebSocket, readCommands, settle, ticks } from "./client-support.mjs";

let hub;
before(async () => {
  hub = await startHub();
});
after(() => hub?.stop());

const wsUrl = () => `ws://127.0.0.1:${hub.port}/ws`;

test("joins its rooms and receives each room's events in order", async (t) => {
  const c = openClient(t, wsUrl(), { rooms: ["basics:a", "basics:b"] });
  await c.until("joined", 2);
  const answer = await hub.publish([...ticks("basics:a", 1, 3), ...ticks("basics:b", 1, 2)]);
  await c.until("tick", 5);

  assert.deepEqual(c.numbers("basics:a"), [1, 2, 3]);
  assert.deepEqual(c.numbers("basics:b"), [1, 2]);
  assert.deepEqual(c.of("joined").map((m) => m.data.room).sort(), ["basics:a", "basics:b"]);
  assert.equal(c.client.state, "open");
  assert.equal(c.client.transport, "websocket");
  assert.equal(c.client.connectionId, c.of("connected")[0].data.connectionId);
  const newest = (room) => answer.ids.findLast((ids) => room in ids)[room]; // a batch answers one {room: id} per event
  assert.equal(c.client.lastId("basics:a"), newest("basics:a"), "the position is the newest event's id");
  assert.equal(c.client.lastId("basics:b"), newest("basics:b"));
});

test("a room joined later delivers events until it is left", async (t) => {
  const c = openClient(t, wsUrl());
  await c.until("connected", 1);
  c.client.join("basics:c");
  await c.until("joined", 1);
  assert.equal(c.client.lastId("basics:c"), c.of("joined")[0].data.lastId, "joined.lastId is the starting position");
  await hub.publish(ticks("basics:c", 1, 1));
  await c.until("tick", 1);

  c.client.leave("basics:c");
  await c.until("left", 1);
  await hub.publish(ticks("basics:c", 2, 2));
  await settle();

  assert.deepEqual(c.numbers("basics:c"), [1]);
  assert.deepEqual(c.of("left").map((m) => m.data.room), ["basics:c"]);
  assert.deepEqual(c.client.rooms, []);
  assert.equal(c.client.lastId("basics:c"), undefined);
});

test("every server message also reaches '*' listeners", async (t) => {
  const c = openClient(t, wsUrl(), { rooms: ["basics:star"] });
  const all = [];
  c.client.on("*", (m) => all.push(m.type));
  await c.until("joined", 1);
  await hub.publish(ticks("basics:star", 1, 1));
  await c.until("tick", 1);
  assert.deepEqual(all, ["connected", "joined", "tick"]);
});

test("a command over WebSocket reaches the publishers' stream with the connection id", async (t) => {
  const commands = await readCommands(t, hub);
  const c = openClient(t, wsUrl(), { rooms: ["proposal:7"] });
  await c.until("joined", 1);

  await c.client.command("proposal:7", "cancel", { iteration: 3 });
  await eventually(() => commands.length === 1, 10_000, "the command at the publisher");

  const { room, name, data, connectionId } = commands[0];
  assert.deepEqual({ room, name, data }, { room: "proposal:7", name: "cancel", data: { iteration: 3 } });
  assert.equal(connectionId, c.client.connectionId);
  assert.deepEqual(c.of("error"), []);
});

test("a room the hub refuses is reported and not rejoined", async (t) => {
  const c = openClient(t, wsUrl(), { rooms: ["basics:ok", "$secret"] });
  await c.until("error", 1);
  await c.until("joined", 1);

  const [error] = c.of("error");
  assert.equal(error.data.code, "FORBIDDEN");
  assert.equal(error.data.ref, "join:$secret");
  assert.deepEqual(c.client.rooms, ["basics:ok"]);
});

test("the token goes to the hub as the token query parameter", async (t) => {
  const recording = recordingWebSocket();
  const c = openClient(t, wsUrl(), { token: "tok/en+1", WebSocket: recording.WebSocket });
  await c.until("connected", 1);
  assert.equal(recording.attempts[0].url.searchParams.get("token"), "tok/en+1");
  assert.equal(recording.attempts[0].url.pathname, "/ws");
});

test("joining many rooms at once is paced below the hub's inbound limit: every room joined, nothing refused", async (t) => {
  const rooms = Array.from({ length: 20 }, (_, i) => `basics:many${i}`);
  const c = openClient(t, wsUrl(), { rooms });
  await c.until("joined", rooms.length);

  assert.deepEqual(c.of("joined").map((m) => m.data.room).sort(), [...rooms].sort());
  assert.deepEqual(c.of("error"), [], "no RATE_LIMITED");
});
