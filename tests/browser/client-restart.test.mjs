// A plain page using the JavaScript client (clients/js/example.html, served by the hub) across a hub restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, openPage, startHub } from "./browser.mjs";

test("a page using the client survives a hub restart and shows the events it missed", async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), "switchboard-browser-"));
  const browser = await launch();
  let hub = await startHub({ args: ["--data", data] });
  try {
    const page = await browser.newPage();
    // While `blocked`, the page's WebSocket attempts are refused, so that events published
    // meanwhile are missed and must come from the resume.
    let blocked = false;
    await page.routeWebSocket(/\/ws$/, (ws) => (blocked ? ws.close({ code: 1013, reason: "blocked by the test" }) : ws.connectToServer()));
    await page.goto(`${hub.base}/js/example.html`);
    const log = page.locator("#log");
    const untilLog = (pattern) => page.waitForFunction((p) => new RegExp(p).test(document.getElementById("log").textContent), pattern.source, { timeout: 20_000 });

    await untilLog(/joined demo:1/);
    await hub.publish({ room: "demo:1", type: "greeting", data: { text: "before" } });
    await untilLog(/demo:1 1 \{"text":"before"\}/);

    blocked = true;
    await hub.stop();
    hub = await startHub({ args: ["--data", data, "--port", String(hub.port)] });
    await hub.publish([
      { room: "demo:1", type: "greeting", data: { text: "missed 1" } },
      { room: "demo:1", type: "greeting", data: { text: "missed 2" } },
    ]);
    await untilLog(/reconnecting/);
    blocked = false;

    await untilLog(/demo:1 3 \{"text":"missed 2"\}/);
    await hub.publish({ room: "demo:1", type: "greeting", data: { text: "after" } });
    await untilLog(/demo:1 4 \{"text":"after"\}/);
    const lines = (await log.textContent()).split("\n");
    const greetings = lines.filter((line) => line.startsWith("demo:1 "));
    assert.deepEqual(greetings, ['demo:1 1 {"text":"before"}', 'demo:1 2 {"text":"missed 1"}', 'demo:1 3 {"text":"missed 2"}', 'demo:1 4 {"text":"after"}']);
    assert.ok(lines.some((line) => line === "joined demo:1 recovered: true"), lines.join("\n"));
    assert.ok(!lines.some((line) => line.startsWith("could not resume")), lines.join("\n"));
  } finally {
    await browser.close();
    await hub.stop();
    rmSync(data, { recursive: true, force: true });
  }
});
