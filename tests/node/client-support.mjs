// Helpers for the tests of clients/js/switchboard.js against a real hub.
import net from "node:net";
import { once } from "node:events";
import { WebSocket } from "ws";
import { EventSource } from "eventsource";
import { connect } from "../../clients/js/switchboard.js";
import { eventually } from "./hub.mjs";

export { WebSocket, EventSource };

/** `n` events of type `tick` for a room, numbered from..to (publish body). */
export const ticks = (room, from, to) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ room, type: "tick", data: { n: from + i } }));

/**
 * A WebSocket class (the `ws` package, as Node 20 has none) that records, across all its
 * instances, when each connection attempt started, its URL, and every message the client sent.
 */
export function recordingWebSocket() {
  const attempts = [];
  class Recording extends WebSocket {
    constructor(url, ...rest) {
      super(url, ...rest);
      this.record = { url: new URL(url), at: performance.now(), sent: [] };
      attempts.push(this.record);
    }
    send(text) {
      this.record.sent.push(JSON.parse(text));
      super.send(text);
    }
  }
  return { WebSocket: Recording, attempts };
}

/**
 * Opens a client with test-friendly defaults (short backoff, the `ws` WebSocket) and records every
 * event it emits, in order, as `log` entries `{type, message, at}`; closes it when the test ends.
 */
export function openClient(t, url, options = {}) {
  const client = connect(url, { WebSocket, EventSource, backoff: { initialMs: 50, maxMs: 200 }, ...options });
  t.after(() => client.close());
  const log = [];
  const seen = new Set();
  const record = (type) => {
    if (seen.has(type)) return;
    seen.add(type);
    client.on(type, (message) => log.push({ type, message, at: performance.now() }));
  };
  for (const type of ["connected", "joined", "left", "error", "disconnect", "reconnecting", "connect_error", "resync", "tick"]) {
    record(type);
  }
  return {
    client,
    log,
    record,
    /** The messages of one type, in order. */
    of: (type) => log.filter((e) => e.type === type).map((e) => e.message),
    /** `tick` events of a room as their numbers. */
    numbers: (room) => log.filter((e) => e.type === "tick" && e.message.room === room).map((e) => e.message.data.n),
    /** Waits until `count` messages of `type` have arrived. */
    until: (type, count, what = `${count} × ${type}`) =>
      eventually(() => log.filter((e) => e.type === type).length >= count, 10_000, what),
  };
}

/** A port on which nothing listens (connections are refused at once). */
export async function deadPort() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** Lets anything still in flight arrive: a duplicate or a stray reconnect would show up meanwhile. */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads the publishers' command stream (`GET /api/v1/commands`, live from now on) and collects
 * each command's data; resolves once the stream is in place.
 */
export async function readCommands(t, hub) {
  const commands = [];
  const source = new EventSource(`${hub.base}/api/v1/commands`);
  t.after(() => source.close());
  source.addEventListener("command", (e) => commands.push(JSON.parse(e.data).data));
  let joined = false;
  source.addEventListener("joined", () => (joined = true));
  await eventually(() => joined, 10_000, "the command stream");
  return commands;
}
