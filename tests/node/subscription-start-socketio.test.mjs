// SPEC 13 for Socket.IO, with the real socket.io-client against a hub started with the `hooky` profile
// (seed 004): "an event whose publish began after the client saw `connect` is delivered to it".
// A Socket.IO client of this hub is in no room at `connect` (`connected.rooms` is []): it is in a room
// once it has emitted `join`, which the seed's frontend does in its connect handler. So "the instant
// the client's open event fires" is that handler: it emits join and, at the same instant, the webhook
// is called (a capture), without waiting for `joined` — a real client knows no such rule. 500 times,
// the captured request must arrive, as the first room event after `joined`. Then a client that
// resumes with the last id it received gets exactly what it missed, once, even when a request is
// captured the instant it connects.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { startHub } from "./hub.mjs";

const ITERATIONS = 500;
const WEBHOOK = "start-race";
const ROOM = `webhook:${WEBHOOK}`;

let hub;

before(async () => {
  hub = await startHub({ profile: "hooky" });
  const response = await fetch(`${hub.base}/api/v1/rooms/${ROOM}`, { method: "PUT" });
  assert.ok([200, 201].includes(response.status), `declaring ${ROOM}: ${response.status}`);
});

after(() => hub?.stop());

/** A request to the webhook's capture URL; resolves to the captured request's id. */
async function capture(n) {
  const response = await fetch(`${hub.base}/hooks/${WEBHOOK}?n=${n}`, { method: "POST", body: String(n) });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).id;
}

/**
 * Opens a socket.io-client socket whose connect handler emits `join` with `joinArg` (as the seed's
 * frontend does) and calls `onConnect` in the same instant. Every event the socket receives is logged
 * in order, with its arguments.
 */
function open(joinArg, onConnect) {
  const socket = io(hub.base, { transports: ["websocket"], forceNew: true, reconnection: false });
  const log = [];
  socket.onAny((event, ...args) => log.push({ event, args }));
  const connected = new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.emit("join", joinArg);
      resolve(onConnect());
    });
    socket.once("connect_error", reject);
  });
  return { socket, log, connected };
}

/**
 * Resolves once everything the hub queued for `socket` before this call has arrived: an event with
 * an ack goes through the connection's reader and its writer's queue, behind whatever is queued
 * already (a `leave` of a room it is not in is answered at once, with an error and the ack).
 */
async function drained(socket) {
  await socket.timeout(10_000).emitWithAck("leave", "not-joined");
}

/** The room events (`new-request`) in `log` after its `joined`, with their ids and data. */
function roomEventsAfterJoined(log) {
  const joined = log.findIndex((e) => e.event === "joined");
  assert.ok(joined >= 0, `joined arrived: ${JSON.stringify(log.map((e) => e.event))}`);
  assert.ok(log.slice(0, joined).every((e) => e.event !== "new-request"), "no room event before joined");
  return log.slice(joined + 1).filter((e) => e.event === "new-request")
    .map((e) => ({ request: e.args[0].id, id: e.args[1].id, room: e.args[1].room }));
}

test(`SPEC 13 (socket.io-client): a request captured the instant connect fires (join emitted there) arrives, ${ITERATIONS} times`, async () => {
  const lost = [];
  let lastId;
  for (let i = 0; i < ITERATIONS; i++) {
    const { socket, log, connected } = open(WEBHOOK, () => capture(i));
    try {
      const captured = await connected; // the capture's 200: its event is in the room's history
      await drained(socket);
      const events = roomEventsAfterJoined(log);
      if (events.length === 0) {
        lost.push(i);
        continue;
      }
      assert.deepEqual(events.map((e) => e.request), [captured], `iteration ${i}: the first and only room event after joined`);
      assert.equal(events[0].room, ROOM);
      lastId = events[0].id;
    } finally {
      socket.close();
    }
  }
  assert.deepEqual(lost, [], `${lost.length} of ${ITERATIONS} captures made the instant connect fired never arrived`);

  // Resume after such a race: the client rejoins after the last id it received and, in the same
  // instant, the webhook is called once more. It gets the three requests it missed and that one, in
  // order, each once; then it is live.
  const missed = [await capture(1001), await capture(1002), await capture(1003)];
  const { socket, log, connected } = open({ room: ROOM, since: lastId }, () => capture(1004));
  try {
    const racing = await connected;
    await drained(socket);
    const joined = log.find((e) => e.event === "joined").args[0];
    assert.equal(joined.room, ROOM);
    assert.equal(joined.recovered, true, JSON.stringify(joined));
    assert.deepEqual(roomEventsAfterJoined(log).map((e) => e.request), [...missed, racing], "the missed requests, then the racing one, once each");
    const live = await capture(1005);
    await drained(socket);
    assert.deepEqual(roomEventsAfterJoined(log).map((e) => e.request), [...missed, racing, live], "then live, nothing twice");
  } finally {
    socket.close();
  }
});
