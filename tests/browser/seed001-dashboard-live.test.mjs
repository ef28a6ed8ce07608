// Seed 001's own frontend code, verbatim: its useDashboardLive hook (fixtures/seed001-use-dashboard-live.ts, copied from
// the seed's "Frontend Design" section) in headless Chromium against `--profile choicesherpa`, across a hub restart.
// The hook reconnects only when `!event.wasClean`: the profile's `close-style: abrupt` is what brings it back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { launch, startHub } from "./browser.mjs";
import { asPublisher, devToken, freePort, RECORD_SOCKETS, SEED_PAGE_FLAGS, servePages } from "./seed-pages.mjs";

const HOOK = readFileSync(new URL("./fixtures/seed001-use-dashboard-live.ts", import.meta.url), "utf8");

/** The seed's TypeScript as the browser runs it: types stripped, nothing else changed. */
const hookJs = ts.transpileModule(HOOK, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;

// Minimal stand-ins for the two Svelte modules the hook imports: a component mounts at once, and a store is a value
// with subscribers (svelte/store's writable contract: subscribe calls back at once, update/set notify).
const SVELTE = `export function onMount(fn) { queueMicrotask(fn); } export function onDestroy(fn) { window.addEventListener("pagehide", fn); }`;
const SVELTE_STORE = `export function writable(value) {
  const subscribers = new Set();
  const set = (next) => { value = next; subscribers.forEach((fn) => fn(value)); };
  return { set, update: (fn) => set(fn(value)), subscribe(fn) { subscribers.add(fn); fn(value); return () => subscribers.delete(fn); } };
}`;
const PAGE = `<!doctype html><title>seed 001 dashboard</title>
<script>${RECORD_SOCKETS}</script>
<script type="importmap">{"imports": {"svelte": "/seed-pages/svelte.js", "svelte/store": "/seed-pages/svelte-store.js"}}</script>
<script type="module">
  import { useDashboardLive } from "/seed-pages/use-dashboard-live.js";
  window.updates = [];
  // As the seed's +page.svelte uses it: the session from the route, onUpdate, and $state.connected for "Live".
  const { state } = useDashboardLive({ sessionId: "s-1", onUpdate: (update) => window.updates.push(update) });
  state.subscribe((s) => { window.live = s; });
</script>`;

async function componentCompleted(hub, cycleId, percent) {
  await asPublisher(hub, "POST", "/api/v1/domain-events", {
    eventType: "component.completed", aggregateType: "Cycle", aggregateId: cycleId, occurredAt: new Date().toISOString(),
    payload: { session_id: "s-1", cycleId, componentType: "objectives", progress: { completed: 3, total: 9, percent } },
    metadata: { correlationId: `corr-${cycleId}` },
  });
}

test("seed 001's useDashboardLive, verbatim: comes back by itself after a hub restart and shows the next update", { timeout: 120_000 }, async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), "switchboard-seed001-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The page is served at the hub's address: its Origin must be on the endpoint's list (the profile's are the seed's hosts).
  const start = () => startHub({ profile: "choicesherpa", args: ["--data", data, "--port", String(port)], env: { HUB_WEBSOCKET_ORIGINS: base } });
  let hub = await start();
  const browser = await launch(SEED_PAGE_FLAGS);
  try {
    await asPublisher(hub, "PUT", "/api/v1/rooms/session:s-1/members/alice");
    const context = await browser.newContext();
    // "token in query param or cookie": the hook's URL has none, so the token is the hub's cookie, as a login would set it.
    await context.addCookies([{ name: "switchboard_token", value: devToken("alice"), url: base }]);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error));
    await servePages(page, base, {
      "/dashboard.html": ["text/html", PAGE],
      "/use-dashboard-live.js": ["text/javascript", hookJs],
      "/svelte.js": ["text/javascript", SVELTE],
      "/svelte-store.js": ["text/javascript", SVELTE_STORE],
    });
    await page.goto(`${base}/seed-pages/dashboard.html`);
    const live = () => page.waitForFunction(() => window.live?.connected === true, null, { timeout: 60_000 });
    await live();
    await componentCompleted(hub, "c-1", 33);
    await page.waitForFunction(() => window.updates.length === 1, null, { timeout: 10_000 });

    await hub.stop();
    await page.waitForFunction(() => window.live.connected === false, null, { timeout: 10_000 });
    hub = await start();
    await live(); // the hook's own scheduleReconnect: 3 s, then 4.5 s, ... until the hub is back
    await componentCompleted(hub, "c-2", 44);
    await page.waitForFunction(() => window.updates.length === 2, null, { timeout: 10_000 });

    const updates = await page.evaluate(() => window.updates);
    assert.deepEqual(updates.map((u) => [u.updateType, u.data.cycleId, u.data.progress.percent]),
      [["component.completed", "c-1", 33], ["component.completed", "c-2", 44]]);
    assert.equal(updates[1].correlationId, "corr-c-2");
    const log = await page.evaluate(() => window.socketLog);
    const firstClose = log.findIndex((entry) => entry.close);
    assert.deepEqual(log[firstClose].close, { code: 1006, wasClean: false }, JSON.stringify(log));
    const notice = log.slice(0, firstClose).map((entry) => entry.message).filter((m) => m?.type === "disconnect");
    assert.equal(notice.length, 1, "the disconnect notice comes first: " + JSON.stringify(log));
    assert.equal(notice[0].code, 1001);
    assert.equal(notice[0].reconnect, true);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await hub.stop();
    rmSync(data, { recursive: true, force: true });
  }
});
