// A person's check (not part of the test command): the server is stopped while a laptop works,
// then started again; the entries made meanwhile reach the counter once each.
//   node stopped.mjs   (uses target/release/server; a scratch database under /tmp)
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const port = 3000 + Math.floor(Math.random() * 2000) + 4000;
const base = `http://127.0.0.1:${port}`;
const db = join(mkdtempSync(join(tmpdir(), "renkei-stopped-")), "r.sqlite3");
const start = () => spawn("../target/release/server", ["--addr", `127.0.0.1:${port}`, "--database", db, "--demo-data", "--log", "warn", "--site-root", "../target/site"], { stdio: "ignore" });
const up = async () => { for (let i = 0; i < 200; i++) { try { if ((await fetch(base + "/healthz")).ok) return; } catch {} await new Promise((r) => setTimeout(r, 50)); } throw new Error("server did not start"); };

let server = start();
await up();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
try {
  const context = await browser.newContext({ locale: "ja-JP" });
  const page = await context.newPage();
  await page.request.post(base + "/api/v1/auth/login", { data: { login_id: "demo.city", password: "mihon-shi-2026" } });
  await page.goto(base + "/cases");
  await page.waitForSelector("body[data-offline-ready=true]", { state: "attached" });
  server.kill("SIGKILL");
  await page.reload();
  await page.waitForSelector("body[data-hydrated=true]", { state: "attached" });
  console.log("server stopped; page from", await page.locator("body").getAttribute("data-shell") ? "the offline shell" : "the server");
  const tag = String(Date.now() % 100000);
  for (const [given, gkana] of [["停電一", "テイデンイチ"], ["停電二", "テイデンニ"]]) {
    const form = page.getByTestId("intake-form");
    await form.locator("#family_name").fill("停止");
    await form.locator("#given_name").fill(given + tag);
    await form.locator("#family_name_kana").fill("テイシ");
    await form.locator("#given_name_kana").fill(gkana);
    await form.locator("#category").selectOption("youth");
    await form.getByRole("button", { name: "保存" }).click();
    await form.getByText("この端末に保存しました。").waitFor();
  }
  console.log("waiting:", await page.getByTestId("sync-waiting").textContent(), "| status:", (await page.getByTestId("sync-status").textContent()).replace(/\s+/g, " "));
  server = start();
  await up();
  const t0 = Date.now();
  await page.waitForFunction(() => document.querySelector("[data-testid=sync-waiting]")?.textContent === "0", null, { timeout: 120_000 });
  console.log(`server back; sent by itself after ${Date.now() - t0} ms (backoff)`);
  const people = await (await page.request.get(base + "/api/v1/people")).json();
  for (const n of ["停電一", "停電二"]) {
    const count = people.people.filter((p) => p.given_name === n + tag).length;
    console.log(`${n}${tag} at the counter: ${count} time(s)`);
    if (count !== 1) process.exitCode = 1;
  }
} finally {
  await browser.close();
  server.kill();
}
