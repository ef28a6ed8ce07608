// clients/js/switchboard.js `history(room, {since, limit})` against a real hub: GET /api/v1/rooms/{room}/events.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startHub } from "./hub.mjs";
import { openClient, ticks } from "./client-support.mjs";

const SECRET = "development-only-secret-change-me-please!";
const KEY = "node-history-publisher-key";
const CONFIG = `
hub:
  auth:
    jwks: '{"keys":[{"kty":"oct","kid":"dev","alg":"HS256","k":"${Buffer.from(SECRET).toString("base64url")}"}]}'
  publish:
    api-keys: [${KEY}]
  history:
    max-events: 5
  namespaces:
    project:
      access: claim
`;

/** An HS256 token for `sub` granting `rooms`, valid for a minute. */
function token(sub, rooms = []) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: "HS256", typ: "JWT", kid: "dev" })}.${part({ sub, rooms, iat: now, exp: now + 60 })}`;
  return `${unsigned}.${crypto.createHmac("sha256", SECRET).update(unsigned).digest("base64url")}`;
}

let hub;
let dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-history-"));
  fs.writeFileSync(path.join(dir, "hub.yaml"), CONFIG);
  hub = await startHub({ args: ["--ephemeral", "--config", path.join(dir, "hub.yaml")] });
});
after(async () => {
  await hub?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const wsUrl = () => `ws://127.0.0.1:${hub.port}/ws`;

async function publish(events) {
  const response = await fetch(`${hub.base}/api/v1/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${KEY}` },
    body: JSON.stringify(events),
  });
  const body = await response.text();
  assert.equal(response.status, 202, body);
  return JSON.parse(body).ids.map((ids) => Object.values(ids)[0]);
}

test("history gives the newest events oldest first, exactly as the WebSocket delivers them", async (t) => {
  const live = openClient(t, wsUrl(), { rooms: ["lobby:news"] });
  await live.until("joined", 1);
  const ids = await publish(ticks("lobby:news", 1, 4));
  await live.until("tick", 4);

  const page = await live.client.history("lobby:news", { limit: 3 });

  assert.equal(page.room, "lobby:news");
  assert.deepEqual(page.events, live.of("tick").slice(1), "the same JSON objects the client received live");
  assert.equal(page.recovered, true);
  assert.equal(page.oldestId, ids[0]);
  assert.equal(page.lastId, ids[3]);
});

test("since pages through the gap; a since outside the history is not recovered", async (t) => {
  const { client } = openClient(t, wsUrl());
  const ids = await publish(ticks("lobby:paged", 1, 8)); // five are kept

  const first = await client.history("lobby:paged", { since: ids[4], limit: 2 });
  assert.deepEqual(first.events.map((e) => e.data.n), [6, 7]);
  assert.equal(first.lastId, ids[7]);
  const rest = await client.history("lobby:paged", { since: first.events.at(-1).id });
  assert.deepEqual(rest.events.map((e) => e.data.n), [8]);

  const trimmed = await client.history("lobby:paged", { since: ids[0] });
  assert.equal(trimmed.recovered, false);
  assert.equal(trimmed.reason, "history_trimmed");
  assert.deepEqual(trimmed.events, []);
  assert.equal(trimmed.oldestId, ids[3]);
});

test("a private room's history needs the client's token to grant the room", async (t) => {
  await publish(ticks("project:9", 1, 2));
  const member = openClient(t, wsUrl(), { token: token("alice", ["project:9"]) });
  await member.until("connected", 1);
  assert.deepEqual((await member.client.history("project:9")).events.map((e) => e.data.n), [1, 2]);

  const anonymous = openClient(t, wsUrl());
  await assert.rejects(anonymous.client.history("project:9"), { status: 401, code: "AUTH_INVALID" });
  const other = openClient(t, wsUrl(), { getToken: () => token("bob", ["project:8"]) });
  await assert.rejects(other.client.history("project:9"), { status: 403, code: "FORBIDDEN" });
  await assert.rejects(member.client.history("project:9", { limit: 1001 }), (error) => {
    assert.equal(error.status, 400);
    assert.equal(error.code, "MESSAGE_INVALID");
    assert.match(error.message, /limit must be a whole number from 1 to 1000/);
    return true;
  });
});
