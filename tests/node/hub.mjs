// Starts a real Switchboard process for a test and talks to it over HTTP.
import { spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const jar = path.join(root, "bootstrap/target/switchboard.jar");

/**
 * Starts the hub on a free port with the given extra arguments and environment; resolves when it listens.
 * `profile` names a bundled profile (`--profile NAME`); `args` come after it, so `--port N` there wins,
 * and `env` (`HUB_HEARTBEAT_INTERVAL`, ...) overrides the profile's settings.
 */
export async function startHub({ profile, args = ["--ephemeral"], env = {} } = {}) {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin/java") : "java";
  const profileArgs = profile ? ["--profile", profile] : [];
  const child = spawn(java, ["-jar", jar, "--port", "0", ...profileArgs, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("hub did not start within 30 s:\n" + output)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/listening on port (\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`hub exited with ${code}:\n${output}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    base,
    async publish(events) {
      const response = await fetch(`${base}/api/v1/events`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(events),
      });
      if (response.status !== 202) throw new Error(`publish answered ${response.status}: ${await response.text()}`);
      return response.json();
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** A TCP relay to the hub whose connections a test can cut or freeze, as a flaky network would. */
export async function startRelay(targetPort) {
  const sockets = new Set();
  const pairs = new Set();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream);
    upstream.pipe(client);
    const pair = [client, upstream];
    pairs.add(pair);
    client.on("close", () => pairs.delete(pair));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: server.address().port,
    /** While true, new connections are accepted and dropped at once, as by a hub that is down. */
    refuse(value) {
      refusing = value;
    },
    cutAll() {
      for (const s of sockets) s.destroy();
    },
    /** Stops forwarding on the open connections without closing them: packets silently dropped. */
    freezeAll() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      pairs.clear();
    },
    async close() {
      this.cutAll();
      server.close();
      await once(server, "close");
    },
  };
}

/** Resolves once `predicate()` holds, polling; rejects after `ms`. */
export async function eventually(predicate, ms = 10_000, what = "condition") {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The arguments of the next `event` on `emitter` (a socket or its manager), or a rejection after `ms`. */
export function next(emitter, event, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}
