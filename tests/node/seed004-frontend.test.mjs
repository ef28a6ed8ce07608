// Seed 004's frontend (tests/fixtures/seed004-frontend.mjs: `io(url)` with socket.io-client's default
// options) against the bundled profile `hooky`, across a hub restart: it connects over long-polling,
// upgrades, joins its webhooks; after the restart its own reconnection and rejoin bring it back and
// the next captured request arrives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { startHub, eventually } from "./hub.mjs";
import { startWebhookInspector } from "../fixtures/seed004-frontend.mjs";

async function declare(target, id) {
  const response = await fetch(`${target.base}/api/v1/rooms/webhook:${id}`, { method: "PUT" });
  assert.ok([200, 201].includes(response.status), `declaring webhook:${id}: ${response.status}`);
}

async function capture(target, id, n) {
  const response = await fetch(`${target.base}/hooks/${id}?n=${n}`, { method: "POST", body: `request ${n}` });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).id;
}

/** What the frontend's view shows, as a log. */
function view() {
  const log = { statuses: [], ids: [], joined: [], left: [], requests: [], errors: [] };
  return {
    log,
    status: (s) => log.statuses.push(s),
    connectionId: (id) => log.ids.push(id),
    joined: (room) => log.joined.push(room),
    left: (room) => log.left.push(room),
    request: (r) => log.requests.push(r),
    error: (m) => log.errors.push(m),
  };
}

test("seed 004's frontend, io(url) with default options, in Node: polling, upgrade, join, requests, and back after a hub restart", async (t) => {
  const data = mkdtempSync(path.join(os.tmpdir(), "switchboard-seed004-"));
  t.after(() => rmSync(data, { recursive: true, force: true }));
  let hub = await startHub({ profile: "hooky", args: ["--data", data] });
  t.after(() => hub.stop());
  await declare(hub, "abc-123");
  await declare(hub, "xyz-789");

  const shown = view();
  const app = startWebhookInspector(io, hub.base, ["abc-123", "xyz-789"], shown);
  t.after(() => app.socket.close());
  const transports = [];
  app.socket.io.on("open", () => {
    transports.push(app.socket.io.engine.transport.name);
    app.socket.io.engine.on("upgrade", (transport) => transports.push(transport.name));
  });
  await eventually(() => shown.log.joined.length === 2, 10_000, "both webhooks joined");
  assert.deepEqual(shown.log.joined.sort(), ["webhook:abc-123", "webhook:xyz-789"]);
  assert.equal(shown.log.ids[0], app.socket.id, "the connection id shown is the socket's");
  const first = await capture(hub, "abc-123", 1);
  await eventually(() => shown.log.requests.length === 1, 10_000, "the first request");
  assert.equal(shown.log.requests[0].id, first);
  assert.equal(shown.log.requests[0].webhookId, "abc-123");
  await eventually(() => transports.length === 2, 10_000, "the upgrade");
  assert.deepEqual(transports, ["polling", "websocket"], "long-polling first, then the upgrade, as socket.io-client does by default");

  app.join("does-not-exist");
  await eventually(() => shown.log.errors.length === 1, 10_000, "the error");
  assert.equal(shown.log.errors[0], "Webhook not found");

  await hub.stop();
  await eventually(() => shown.log.statuses.some((s) => s.startsWith("disconnected")), 10_000, "the disconnect");
  hub = await startHub({ profile: "hooky", args: ["--data", data, "--port", String(hub.port)] });
  await eventually(() => shown.log.joined.length === 4, 30_000, "both webhooks joined again by the frontend's own reconnect");
  const after = await capture(hub, "xyz-789", 2);
  await eventually(() => shown.log.requests.some((r) => r.id === after), 10_000, "the request after the restart");
  assert.deepEqual(shown.log.requests.map((r) => r.id), [first, after], "each once");
  assert.deepEqual(shown.log.statuses.filter((s) => s === "connected").length, 2);
});
