// Headless Chromium against a hub serving TLS itself (server.tls.*): the page over https://, the
// browser's own WebSocket over wss:// and EventSource over https://, trusting a CA made in the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { launch, openPage, startHub } from "./browser.mjs";
import { fetchTrusting, makeCertificates } from "../node/tls-support.mjs";

/**
 * Chromium's trust in the test CA: the CA certificate is sent in the chain, and
 * `--ignore-certificate-errors-spki-list` names the CA's public key (SHA-256 of its SPKI, base64),
 * which makes Chromium accept chains holding that key, as an imported root would be.
 */
function trustFlag(caPem) {
  const spki = new crypto.X509Certificate(caPem).publicKey.export({ type: "spki", format: "der" });
  return `--ignore-certificate-errors-spki-list=${crypto.createHash("sha256").update(spki).digest("base64")}`;
}

test("Chromium trusting the test CA: wss:// and SSE over https:// from the page, history by fetch", async () => {
  const certs = makeCertificates();
  const withCa = path.join(certs.dir, "server-and-ca.pem");
  fs.writeFileSync(withCa, fs.readFileSync(certs.chain, "utf8") + certs.ca);
  const config = path.join(certs.dir, "tls-with-ca.yaml");
  fs.writeFileSync(config, `server:\n  tls:\n    certificate-chain: ${withCa}\n    private-key: ${certs.key}\n`);
  const hub = await startHub({ args: ["--ephemeral", "--config", config] });
  const origin = `https://localhost:${hub.port}`;
  const fetchTls = fetchTrusting(certs.ca);
  const publish = async (events) => {
    const response = await fetchTls(`${origin}/api/v1/events`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(events),
    });
    assert.equal(response.status, 202, await response.text());
  };
  const untrusting = await launch();
  const browser = await launch([trustFlag(certs.ca)]);
  try {
    await assert.rejects(untrusting.newPage().then((page) => page.goto(`${origin}/js/example.html`)), /ERR_CERT_AUTHORITY_INVALID/,
        "without the CA Chromium refuses the hub's certificate");

    const page = await openPage(browser, `${origin}/js/example.html`);
    await page.evaluate((port) => {
      window.ws = [];
      window.sse = [];
      const socket = new WebSocket(`wss://localhost:${port}/ws`);
      socket.onmessage = (e) => {
        const message = JSON.parse(e.data);
        window.ws.push(message);
        if (message.type === "connected") socket.send(JSON.stringify({ type: "join", data: { room: "tls:browser" } }));
      };
      const source = new EventSource("/sse?rooms=tls:browser");
      source.addEventListener("joined", () => window.sse.push("joined"));
      source.addEventListener("tick", (e) => window.sse.push(JSON.parse(e.data).data));
    }, hub.port);
    await page.waitForFunction(() => window.ws.some((m) => m.type === "joined") && window.sse.includes("joined"), null, { timeout: 15_000 });
    await publish([1, 2, 3].map((n) => ({ room: "tls:browser", type: "tick", data: n })));
    await page.waitForFunction(() => window.ws.filter((m) => m.type === "tick").length === 3 && window.sse.length === 4, null,
      { timeout: 15_000 });

    assert.deepEqual(await page.evaluate(() => window.ws.filter((m) => m.type === "tick").map((m) => m.data)), [1, 2, 3]);
    assert.deepEqual(await page.evaluate(() => window.sse), ["joined", 1, 2, 3]);
    const history = await page.evaluate(async () => (await fetch("/api/v1/rooms/tls:browser/events")).json());
    assert.deepEqual(history.events, await page.evaluate(() => window.ws.filter((m) => m.type === "tick")));
    assert.equal(await page.evaluate(() => location.protocol), "https:");
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    await untrusting.close();
    await hub.stop();
    certs.remove();
  }
});
