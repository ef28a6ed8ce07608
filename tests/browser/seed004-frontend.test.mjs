// Seed 004's frontend (tests/fixtures/seed004-frontend.mjs, `io(url)` with socket.io-client's default
// options) in headless Chromium, served from its own origin with socket.io-client's browser bundle
// from node_modules, against the bundled profile `hooky`, across a hub restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, openPage, startHub } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const FILES = {
  "/socket.io.min.js": path.join(here, "node_modules/socket.io-client/dist/socket.io.min.js"),
  "/seed004-frontend.mjs": path.join(here, "../fixtures/seed004-frontend.mjs"),
};

/** The application's own web server: the page, the fixture and the bundle; the hub is another origin. */
async function serveApp(hubBase) {
  const page = `<!doctype html><meta charset="utf-8"><title>hooky</title>
<script src="/socket.io.min.js"></script>
<ul id="log"></ul>
<script type="module">
  import { startWebhookInspector } from "/seed004-frontend.mjs";
  const line = (text) => { const li = document.createElement("li"); li.textContent = text; document.getElementById("log").append(li); };
  window.app = startWebhookInspector(window.io, ${JSON.stringify(hubBase)}, ["abc-123"], {
    status: (s) => line("status " + s),
    connectionId: (id) => line("id " + id),
    joined: (room) => line("joined " + room),
    left: (room) => line("left " + room),
    request: (r) => line("request " + r.id + " " + r.webhookId),
    error: (m) => line("error " + m),
  });
</script>`;
  const server = http.createServer((req, res) => {
    const file = FILES[req.url];
    if (file) {
      res.writeHead(200, { "Content-Type": "text/javascript" });
      res.end(readFileSync(file));
    } else {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(page);
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://localhost:${server.address().port}/`, close: () => server.close() };
}

async function capture(hub, id, n) {
  const response = await fetch(`${hub.base}/hooks/${id}?n=${n}`, { method: "POST", body: `request ${n}` });
  assert.equal(response.status, 200);
  return (await response.json()).id;
}

test("seed 004's frontend, io(url) with default options, in Chromium: polling, upgrade, requests, and back after a hub restart", async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), "switchboard-seed004-browser-"));
  const browser = await launch();
  let hub = await startHub({ profile: "hooky", args: ["--data", data] });
  const app = await serveApp(hub.base);
  try {
    assert.ok([200, 201].includes((await fetch(`${hub.base}/api/v1/rooms/webhook:abc-123`, { method: "PUT" })).status));
    const page = await openPage(browser, app.url);
    const lines = () => page.locator("#log li").allTextContents();
    const until = (pattern, count = 1) => page.waitForFunction(([p, n]) =>
      [...document.querySelectorAll("#log li")].filter((li) => new RegExp(p).test(li.textContent)).length >= n,
    [pattern.source, count], { timeout: 30_000 });

    await until(/^joined webhook:abc-123$/);
    const first = await capture(hub, "abc-123", 1);
    await until(new RegExp(`^request ${first} abc-123$`));
    await page.waitForFunction(() => window.app.socket.io.engine.transport.name === "websocket", null, { timeout: 10_000 });

    await hub.stop();
    await until(/^status disconnected/);
    hub = await startHub({ profile: "hooky", args: ["--data", data, "--port", String(hub.port)] });
    await until(/^joined webhook:abc-123$/, 2); // the frontend's own reconnect and rejoin
    const after = await capture(hub, "abc-123", 2);
    await until(new RegExp(`^request ${after} abc-123$`));
    const shown = await lines();
    assert.deepEqual(shown.filter((l) => l.startsWith("request")), [`request ${first} abc-123`, `request ${after} abc-123`], shown.join("\n"));
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    app.close();
    await hub.stop();
    rmSync(data, { recursive: true, force: true });
  }
});
