// The /admin dashboard in a real browser against a real hub process.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, openPage, startHub, nodeClient } from "./browser.mjs";

const screenshot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/img/admin.png");
let hub;
let browser;

before(async () => {
  // Stats pushed every second so the dashboard follows quickly; rooms chat:* keep presence.
  const config = path.join(mkdtempSync(path.join(tmpdir(), "sb-admin-")), "admin.yaml");
  writeFileSync(config, "hub:\n  namespaces:\n    chat:\n      presence: true\n");
  hub = await startHub({ args: ["--ephemeral", "--config", config], env: { HUB_STATS_INTERVAL: "1s" } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await hub?.stop();
});

async function untilCount(page, expected) {
  try {
    await page.waitForFunction((n) => document.getElementById("stat-connections").textContent === String(n), expected, { timeout: 10_000 });
  } catch (error) {
    const shown = await page.locator("#stat-connections").textContent();
    const actual = (await (await fetch(`${hub.base}/api/v1/stats`)).json()).connections;
    throw new Error(`the dashboard shows ${shown} connections, not ${expected}; the hub reports ${JSON.stringify(actual)}`, { cause: error });
  }
}

test("/admin redirects to the dashboard, which shows a live connection count that follows clients", async () => {
  const page = await openPage(browser, `${hub.base}/admin`);
  assert.equal(new URL(page.url()).pathname, "/admin/");
  await page.waitForFunction(() => /^\d+$/.test(document.getElementById("stat-connections").textContent), null, { timeout: 10_000 });
  // Once the dashboard's own connections are counted, it shows what the hub reports.
  await page.waitForFunction(() => document.querySelector("#connections tbody .badge"), null, { timeout: 10_000 });
  const before = (await (await fetch(`${hub.base}/api/v1/stats`)).json()).connections.total;
  await untilCount(page, before);
  const client = await nodeClient(hub, ["count:1"]);
  await untilCount(page, before + 1);
  client.ws.close(1000);
  await untilCount(page, before);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a published event shows in the room tail within a second", async () => {
  const page = await openPage(browser, `${hub.base}/admin/`);
  await page.fill("#tail-room", "tail:1");
  await page.click("#tail-form button");
  await page.waitForFunction(() => document.getElementById("tail-status").textContent.startsWith("watching tail:1, last id"), null, { timeout: 10_000 });
  const { ids } = await hub.publish({ room: "tail:1", type: "order.updated", data: { order: 42, status: "paid" } });
  const id = ids["tail:1"];
  const row = page.locator("#tail li", { hasText: "order.updated" });
  await row.waitFor({ timeout: 1_000 });
  assert.match(await row.textContent(), new RegExp(`order\\.updated #${id}.*"order":42,"status":"paid"`));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the Kick button disconnects that client, which sees close 4500", async () => {
  const victim = await nodeClient(hub, ["kick:1"]);
  const bystander = await nodeClient(hub, ["kick:1"]);
  const page = await openPage(browser, `${hub.base}/admin/`);
  const kick = page.locator(`button.kick[data-connection-id="${victim.connectionId}"]`);
  await kick.waitFor({ timeout: 10_000 });
  await kick.click();
  assert.equal(await victim.closed, 4500);
  const disconnect = victim.messages.find((m) => m.type === "disconnect");
  assert.equal(disconnect?.data.reconnect, false);
  // The row goes away on the next refresh; the other client stays.
  await page.locator(`button.kick[data-connection-id="${victim.connectionId}"]`).waitFor({ state: "detached", timeout: 10_000 });
  assert.equal(bystander.closeCode, null);
  await page.locator(`#audit li`, { hasText: "admin.kick" }).waitFor({ timeout: 10_000 });
  bystander.ws.close(1000);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a room of a namespace with presence shows its members per room, and follows a leave", async () => {
  const clients = await Promise.all(["chat:presence", "chat:presence", "demo:nopresence"].map((room) => nodeClient(hub, [room])));
  const page = await openPage(browser, `${hub.base}/admin/`);
  const cell = (room) => page.evaluate((name) => {
    const row = [...document.querySelectorAll("#rooms tbody tr")].find((tr) => tr.cells[0].textContent === name);
    return row ? row.cells[3].textContent : null;
  }, room);
  await page.waitForFunction(() => [...document.querySelectorAll("#rooms tbody tr")].some((tr) => tr.cells[0].textContent === "chat:presence"
    && tr.cells[3].textContent === "0 users · 2 connections"), null, { timeout: 10_000 });
  assert.equal(await cell("demo:nopresence"), "–", "a namespace without presence shows none");
  clients[0].ws.close(1000);
  await page.waitForFunction(() => [...document.querySelectorAll("#rooms tbody tr")].some((tr) => tr.cells[0].textContent === "chat:presence"
    && tr.cells[3].textContent === "0 users · 1 connection"), null, { timeout: 15_000 });
  for (const client of clients.slice(1)) client.ws.close(1000);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a screenshot of a busy dashboard goes to docs/img/admin.png", async () => {
  const clients = await Promise.all(["demo:1", "demo:1", "orders:7", "chat:lobby"].map((room) => nodeClient(hub, [room])));
  const page = await openPage(browser, `${hub.base}/admin/`, { width: 1360, height: 1180 });
  await page.fill("#tail-room", "demo:1");
  await page.click("#tail-form button");
  await page.waitForFunction(() => document.getElementById("tail-status").textContent.includes("last id"), null, { timeout: 10_000 });
  for (let second = 0; second < 8; second++) {
    const batch = Array.from({ length: 5 + ((second * 7) % 11) }, (_, i) => ({ room: i % 3 ? "demo:1" : "orders:7", type: "greeting", data: { text: "hello", n: second * 20 + i } }));
    await hub.publish(batch);
    await new Promise((r) => setTimeout(r, 1000));
  }
  await page.waitForFunction(() => document.querySelectorAll("#rooms tbody tr").length >= 3, null, { timeout: 10_000 });
  mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  for (const client of clients) client.ws.close(1000);
  assert.deepEqual(page.errors, []);
  await page.close();
});
