// TLS for tests: a development CA and server certificate made by bin/dev-cert (openssl), and a fetch that trusts the CA.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Runs `bin/dev-cert` into a new temporary directory: `{dir, ca, chain, key, args, remove()}`, where
 * `ca` is the CA certificate's PEM text and `args` the hub options that serve TLS with the certificate.
 */
export function makeCertificates() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-tls-"));
  execFileSync(path.join(root, "bin/dev-cert"), [dir, "localhost", "127.0.0.1"], { stdio: "pipe" });
  const chain = path.join(dir, "server.pem");
  const key = path.join(dir, "server-key.pem");
  const config = path.join(dir, "tls.yaml");
  fs.writeFileSync(config, `server:\n  tls:\n    certificate-chain: ${chain}\n    private-key: ${key}\n`);
  return {
    dir,
    chain,
    key,
    ca: fs.readFileSync(path.join(dir, "ca.pem"), "utf8"),
    args: ["--ephemeral", "--config", config],
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A `fetch` over node:https that trusts `ca` (Node 20's built-in fetch takes no CA): enough for the
 * `eventsource` package's `fetch` option and the Switchboard client's `options.fetch`.
 */
export function fetchTrusting(ca) {
  return (input, init = {}) =>
    new Promise((resolve, reject) => {
      const request = https.request(new URL(String(input)), {
        method: init.method ?? "GET",
        headers: Object.fromEntries(new Headers(init.headers ?? {})),
        ca,
        signal: init.signal,
      }, (response) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) headers.set(name, [].concat(value).join(", "));
        const empty = response.statusCode === 204 || response.statusCode === 304;
        resolve(new Response(empty ? null : Readable.toWeb(response), { status: response.statusCode, headers }));
      });
      request.on("error", reject);
      if (init.body != null) request.write(init.body);
      request.end();
    });
}
