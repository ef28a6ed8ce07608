// Backend hooks (SPEC 16, docs/hooks.md) with the real, unmodified socket.io-client: the hub asks a
// real HTTP backend (the doc's example logic) at the namespace connect and at each join.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import { io } from "socket.io-client";
import { startHub } from "./hub.mjs";

const users = new Set(["alice", "bob"]);
const proposals = { 42: { author: "alice", reviewers: ["bob"] } };
const asked = [];
let backend;
let hub;

/** The application: users by the forwarded X-User header (connect), reviewers and author (subscribe). */
function answer(path, q) {
  if (path === "/hooks/connect") {
    const user = q.headers["x-user"];
    if (user === "slow") return new Promise((resolve) => setTimeout(() => resolve({ allow: true }), 3_000));
    return users.has(user)
      ? { allow: true, userId: user, rooms: ["news:hooked"] }
      : { allow: false, code: "USER_NOT_FOUND", message: "User ID in token does not exist" };
  }
  const p = proposals[q.room.split(":")[1]];
  return p && (p.author === q.userId || p.reviewers.includes(q.userId))
    ? { allow: true }
    : { allow: false, code: "FORBIDDEN", message: "only the reviewers and the author of this proposal" };
}

before(async () => {
  backend = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const q = JSON.parse(body);
    asked.push(q);
    const reply = await answer(req.url, q);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
  });
  backend.listen(0, "127.0.0.1");
  await once(backend, "listening");
  const url = `http://127.0.0.1:${backend.address().port}`;
  hub = await startHub({
    env: {
      HUB_SOCKET_IO_PATH: "/socket.io/",
      HUB_SOCKET_IO_HOOKS_CONNECT_URL: `${url}/hooks/connect`,
      HUB_SOCKET_IO_HOOKS_CONNECT_HEADERS: "X-User",
      HUB_SOCKET_IO_HOOKS_CONNECT_TIMEOUT: "1s",
    },
    args: ["--ephemeral", "--config", await namespaceConfig(url)],
  });
});

after(async () => {
  await hub?.stop();
  backend?.close();
});

/** Namespace settings come from a file: the subscribe hook of `proposal`. */
async function namespaceConfig(url) {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "hooks-")), "hooks.yaml");
  writeFileSync(file, `hub:\n  namespaces:\n    proposal:\n      hooks: { subscribe: { url: "${url}/hooks/subscribe" } }\n`);
  return file;
}

function connect(t, user) {
  const socket = io(hub.base, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: { "X-User": user },
  });
  t.after(() => socket.close());
  return socket;
}

test("a user the application does not know gets connect_error with its code and message", async (t) => {
  const socket = connect(t, "mallory");
  const [error] = await once(socket, "connect_error");
  assert.equal(error.message, "User ID in token does not exist");
  assert.equal(error.data.code, "USER_NOT_FOUND");
  assert.equal(socket.connected, false);
  assert.equal(asked.findLast((q) => q.headers["x-user"] === "mallory").endpoint, "/socket.io");
});

test("a hook that answers too late refuses the client (fail-closed)", async (t) => {
  const socket = connect(t, "slow");
  const [error] = await once(socket, "connect_error");
  assert.equal(error.data.code, "FORBIDDEN", JSON.stringify(error.data));
});

test("a known user connects as the hook's user and gets the hook's rooms from the start", async (t) => {
  const socket = connect(t, "bob");
  const connected = once(socket, "connected");
  await once(socket, "connect");
  const [hello] = await connected;
  assert.equal(hello.userId, "bob");
  const note = once(socket, "note");
  await hub.publish({ room: "news:hooked", type: "note", data: { n: 1 } });
  const [data] = await note;
  assert.deepEqual(data, { n: 1 });
});

test("only the reviewers and the author join a proposal: the subscribe hook's refusal is an error event", async (t) => {
  const bob = connect(t, "bob");
  await once(bob, "connect");
  const joined = await bob.emitWithAck("join", { room: "proposal:42" });
  assert.equal(joined.room, "proposal:42", JSON.stringify(joined));

  users.add("carol");
  t.after(() => users.delete("carol"));
  const carol = connect(t, "carol");
  await once(carol, "connect");
  const refusal = once(carol, "error");
  const ack = await carol.emitWithAck("join", { room: "proposal:42" });
  assert.equal(ack.error?.code, "FORBIDDEN", JSON.stringify(ack));
  const [error] = await refusal;
  assert.equal(error.message, "only the reviewers and the author of this proposal");
});
