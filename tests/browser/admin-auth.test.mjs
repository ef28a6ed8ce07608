// The /admin dashboard on a hub that verifies tokens: only an admin token opens it, and the tab keeps it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, openPage, startHub } from "./browser.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const config = path.join(root, "docs/examples/dev-auth.yaml");
let hub;
let browser;

/** A development token from `switchboard token`, signed with the key in dev-auth.yaml. */
function token(sub, roles) {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin/java") : "java";
  return execFileSync(java, ["-jar", path.join(root, "bootstrap/target/switchboard.jar"), "token", "--config", config,
    "--sub", sub, "--roles", roles, "--ttl", "1h"], { encoding: "utf8" }).trim().split("\n").pop();
}

before(async () => {
  hub = await startHub({ args: ["--ephemeral", "--config", config] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await hub?.stop();
});

const notice = (page, pattern) =>
  page.waitForFunction((p) => new RegExp(p).test(document.getElementById("notice").textContent), pattern.source, { timeout: 10_000 });

async function signIn(page, value) {
  await page.fill("#token", value);
  await page.click("#login button[type=submit]");
}

test("without a token, or with one lacking the admin role, the dashboard says why it shows nothing", async () => {
  const page = await openPage(browser, `${hub.base}/admin/`);
  await notice(page, /\/api\/v1\/admin\/\w+: 401 this needs a credential/);
  await signIn(page, token("pat", "publisher"));
  await notice(page, /403 the token lacks the role this needs/);
  assert.equal(await page.locator("#connections tbody .kick").count(), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("an admin token opens the dashboard, and the tab keeps it across a reload", async () => {
  const page = await openPage(browser, `${hub.base}/admin/`);
  const admin = token("root", "admin");
  await signIn(page, admin);
  const own = page.locator("#connections tbody tr", { hasText: "this page" });
  await own.waitFor({ timeout: 10_000 });
  assert.match(await own.textContent(), /root/);
  await page.locator("#audit li", { hasText: "room.joined" }).first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator("#notice").textContent(), "");

  await page.reload();
  assert.equal(await page.inputValue("#token"), admin);
  await page.locator("#connections tbody tr", { hasText: "this page" }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator("#notice").textContent(), "");
  assert.deepEqual(page.errors, []);
  await page.close();
});
