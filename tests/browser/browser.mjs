// Headless Chromium (the system's /usr/bin/chromium) driven by playwright-core, plus helpers.
import { chromium } from "playwright-core";
import { WebSocket } from "ws";

export { startHub, eventually } from "../node/hub.mjs";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Launches Chromium, with `extraFlags` after the usual ones; close it with `browser.close()`. */
export function launch(extraFlags = []) {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: [...FLAGS, ...extraFlags], headless: true });
}

/** Opens a page that fails the test on any uncaught error in it. */
export async function openPage(browser, url, viewport = { width: 1360, height: 1000 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  page.errors = errors;
  await page.goto(url);
  return page;
}

/**
 * A plain WebSocket client of the hub (not through the browser), recording what it receives:
 * `messages`, `connectionId` once connected, `closeCode` once closed.
 */
export async function nodeClient(hub, rooms = []) {
  const ws = new WebSocket(`ws://127.0.0.1:${hub.port}/ws`);
  const client = { ws, messages: [], connectionId: null, closeCode: null };
  ws.on("message", (data) => {
    const message = JSON.parse(String(data));
    client.messages.push(message);
    if (message.type === "connected") {
      client.connectionId = message.data.connectionId;
      for (const room of rooms) ws.send(JSON.stringify({ type: "join", data: { room } }));
    }
  });
  client.closed = new Promise((resolve) => ws.on("close", (code) => resolve((client.closeCode = code))));
  await new Promise((resolve, reject) => {
    ws.on("error", reject);
    const check = setInterval(() => {
      const joined = client.messages.filter((m) => m.type === "joined").length;
      if (client.connectionId && joined === rooms.length) {
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
  return client;
}
