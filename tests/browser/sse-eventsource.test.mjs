// The browser's own EventSource against the hub's SSE endpoint: it reconnects by itself with
// Last-Event-ID and gets exactly the events it missed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, startHub } from "./browser.mjs";

test("the browser's EventSource resumes with Last-Event-ID after its stream is cut, missing nothing", async () => {
  // A 2 s retry leaves time to publish while the browser waits to reconnect.
  const hub = await startHub({ env: { HUB_SSE_RETRY: "2s" } });
  const browser = await launch();
  try {
    const page = await openPage(browser, `${hub.base}/js/example.html`);
    await page.evaluate(() => {
      window.ticks = [];
      window.joins = 0;
      const source = new EventSource("/sse?rooms=demo:es");
      source.addEventListener("joined", () => window.joins++);
      source.addEventListener("tick", (e) => window.ticks.push(JSON.parse(e.data).data));
    });
    const ticks = () => page.evaluate(() => window.ticks);
    await page.waitForFunction(() => window.joins === 1, null, { timeout: 10_000 });
    await hub.publish([1, 2, 3].map((n) => ({ room: "demo:es", type: "tick", data: n })));
    await page.waitForFunction(() => window.ticks.length === 3, null, { timeout: 10_000 });

    // Cut the stream from the hub's side (the admin API; loopback callers are admins on a hub without auth).
    const listed = await (await fetch(`${hub.base}/api/v1/admin/connections`)).json();
    const stream = listed.connections.find((c) => c.transport === "sse" && c.rooms.includes("demo:es"));
    assert.ok(stream, JSON.stringify(listed));
    assert.equal((await fetch(`${hub.base}/api/v1/admin/connections/${stream.connectionId}`, { method: "DELETE" })).status, 202);
    await hub.publish([4, 5].map((n) => ({ room: "demo:es", type: "tick", data: n })));

    await page.waitForFunction(() => window.joins === 2, null, { timeout: 15_000 });
    await hub.publish({ room: "demo:es", type: "tick", data: 6 });
    await page.waitForFunction(() => window.ticks.length >= 6, null, { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 300)); // anything doubled would show up now
    assert.deepEqual(await ticks(), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    await hub.stop();
  }
});
