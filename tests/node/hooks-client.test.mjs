// Backend hooks (SPEC 16, docs/hooks.md) with the project's JavaScript client (clients/js): a
// namespace's command hook answers a command over WebSocket (`command_result`) and over SSE (the
// POST resolves with the hook's result), and such commands do not reach the publishers' stream.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startHub } from "./hub.mjs";
import { openClient, readCommands, settle } from "./client-support.mjs";

let backend;
let hub;

before(async () => {
  backend = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const q = JSON.parse(body);
    const reply = q.command.name === "estimate"
      ? { allow: true, result: { tokens: 42, pages: q.command.data.pages } }
      : { allow: false, code: "NOT_ALLOWED", message: "only the author may do that" };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
  });
  backend.listen(0, "127.0.0.1");
  await once(backend, "listening");
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "hooks-")), "hooks.yaml");
  writeFileSync(file, `hub:\n  namespaces:\n    proposal:\n      hooks: { command: { url: "http://127.0.0.1:${backend.address().port}/hooks/command" } }\n`);
  hub = await startHub({ args: ["--ephemeral", "--config", file] });
});

after(async () => {
  await hub?.stop();
  backend?.close();
});

test("over WebSocket a hooked command is answered with command_result", async (t) => {
  const commands = await readCommands(t, hub);
  const c = openClient(t, `ws://127.0.0.1:${hub.port}/ws`, { rooms: ["proposal:9"] });
  c.record("command_result");
  await c.until("joined", 1);
  await c.client.command("proposal:9", "estimate", { pages: 3 });
  await c.until("command_result", 1);
  assert.deepEqual(c.of("command_result")[0].data.result, { tokens: 42, pages: 3 });
  await c.client.command("proposal:9", "delete", {});
  await c.until("error", 1);
  assert.equal(c.of("error")[0].data.code, "NOT_ALLOWED");
  await settle();
  assert.equal(commands.length, 0, "hooked commands are not queued for publishers");
});

test("over SSE the command's POST resolves with the hook's result, or rejects with its code", async (t) => {
  const c = openClient(t, `ws://127.0.0.1:${hub.port}/ws`, { transport: "sse", rooms: ["proposal:9"] });
  await c.until("joined", 1);
  assert.deepEqual(await c.client.command("proposal:9", "estimate", { pages: 5 }), { result: { tokens: 42, pages: 5 } });
  await assert.rejects(c.client.command("proposal:9", "delete", {}), { status: 403, code: "NOT_ALLOWED" });
});
