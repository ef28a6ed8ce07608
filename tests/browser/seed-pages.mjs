// Helpers for the tests that run a seed's own client code in Chromium: dev tokens, a port known before the hub
// starts (the page's Origin names it), and pages served to the browser at the hub's own address.
import { createHmac } from "node:crypto";
import net from "node:net";

/** The development HS256 key every seed profile ships (docs/examples/dev-auth.yaml). */
const SECRET = "ZGV2ZWxvcG1lbnQtb25seS1zZWNyZXQtY2hhbmdlLW1lLXBsZWFzZSE";

/** A token of the profiles' development key for `sub`, with `roles`. */
export function devToken(sub, roles = [], seconds = 600) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: "HS256", typ: "JWT", kid: "dev" })}.${b64({ sub, roles, iat: now, exp: now + seconds })}`;
  return `${unsigned}.${createHmac("sha256", Buffer.from(SECRET, "base64url")).update(unsigned).digest("base64url")}`;
}

/** A port free right now, for a hub that must keep its address across a restart. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A request to the hub as a publisher (the seed profiles verify tokens, so publishing needs role publisher). */
export async function asPublisher(hub, method, path, body) {
  const response = await fetch(`${hub.base}${path}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${devToken("backend", ["publisher"])}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text;
}

/**
 * Chromium's flags for pages served by {@link servePages}: a page fulfilled by the test has no network address, so
 * Chromium's Local Network Access checks would count it as public and block its WebSocket to the hub on 127.0.0.1
 * (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS); a frontend really served next to the hub has no such problem.
 */
export const SEED_PAGE_FLAGS = ["--disable-features=LocalNetworkAccessChecks,LocalNetworkAccessChecksWebSockets"];

/**
 * Serves `files` (path → [content type, text]) to `page` under the hub's own address, so that the page's
 * `window.location` and `Origin` are the hub's, as for a frontend served next to it; WebSockets go to the real hub.
 */
export async function servePages(page, base, files) {
  await page.route(`${base}/seed-pages/**`, (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\/seed-pages/, "");
    const file = files[path];
    if (!file) return route.fulfill({ status: 404, body: "not a fixture: " + path });
    return route.fulfill({ status: 200, contentType: file[0], body: file[1] });
  });
}

/**
 * A script run before the page's own: wraps `WebSocket` so the test can see every socket's messages and how it closed
 * (`window.socketLog`), without touching the seed's code, which uses the wrapped class as it would the browser's.
 */
export const RECORD_SOCKETS = `
  window.socketLog = [];
  const BrowserWebSocket = window.WebSocket;
  window.WebSocket = class extends BrowserWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => window.socketLog.push({ message: JSON.parse(e.data) }));
      this.addEventListener("close", (e) => window.socketLog.push({ close: { code: e.code, wasClean: e.wasClean } }));
    }
  };`;
