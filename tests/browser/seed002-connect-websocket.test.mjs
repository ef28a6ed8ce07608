// Seed 002's own client code, verbatim: its connectWebSocket (fixtures/seed002-connect-websocket.js, copied from the
// seed's "Client Implementation Guidelines") in headless Chromium against `--profile task-dashboard`, across a hub
// restart. Only the URL is filled in (ws://localhost:8000 -> the test hub) and the page passes a token.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, startHub } from "./browser.mjs";
import { asPublisher, devToken, freePort, RECORD_SOCKETS, SEED_PAGE_FLAGS, servePages } from "./seed-pages.mjs";

const CLIENT = readFileSync(new URL("./fixtures/seed002-connect-websocket.js", import.meta.url), "utf8");

test("seed 002's connectWebSocket, verbatim: reconnects after a hub restart and gets the next task_update", { timeout: 120_000 }, async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), "switchboard-seed002-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const start = () => startHub({ profile: "task-dashboard", args: ["--data", data, "--port", String(port)] });
  let hub = await start();
  const browser = await launch(SEED_PAGE_FLAGS);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error));
    const token = devToken("1");
    await servePages(page, base, {
      "/dashboard.html": ["text/html", `<!doctype html><title>seed 002 dashboard</title>
        <script>${RECORD_SOCKETS}</script>
        <script>window.received = []; function handleWebSocketMessage(message) { window.received.push(message); }</script>
        <script src="/seed-pages/connect-websocket.js"></script>
        <script>connectWebSocket(1, ${JSON.stringify(token)});</script>`],
      "/connect-websocket.js": ["text/javascript", CLIENT.replaceAll("ws://localhost:8000", `ws://127.0.0.1:${port}`)],
    });
    await page.goto(`${base}/seed-pages/dashboard.html`);
    const received = (type, count) => page.waitForFunction(([t, n]) => window.received.filter((m) => m.type === t).length >= n,
      [type, count], { timeout: 60_000 });
    await received("connection_success", 1);
    await asPublisher(hub, "POST", "/api/v1/events", { room: "user:1", type: "task_update", data: { taskId: 1, action: "created" } });
    await received("task_update", 1);

    await hub.stop();
    hub = await start();
    await received("connection_success", 2); // the seed's own onclose: setTimeout(connectWebSocket, 1000, userId, token)
    await asPublisher(hub, "POST", "/api/v1/events", { room: "user:1", type: "task_update", data: { taskId: 2, action: "updated" } });
    await received("task_update", 2);

    const messages = await page.evaluate(() => window.received);
    assert.deepEqual(messages.filter((m) => m.type === "task_update").map((m) => [m.payload.taskId, m.payload.action]),
      [[1, "created"], [2, "updated"]]);
    assert.deepEqual(messages.filter((m) => m.type === "connection_status").map((m) => m.payload.status),
      ["connected", "reconnecting", "connected"], "connection_status as the seed lists it: " + JSON.stringify(messages));
    assert.ok(messages.every((m) => m.type !== "error"), "the hub took subscribe_dashboard each time: " + JSON.stringify(messages));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await hub.stop();
    rmSync(data, { recursive: true, force: true });
  }
});
