// Browser benchmarks for docs/benchmarks.md (not part of the test command):
//   BASE_URL=http://127.0.0.1:3000 node bench/browser.mjs [RECORDS]
// against a server started with --demo-data on a scratch database.
//
// 1. Initial pull of RECORDS (default 10,000) people into a fresh browser: the records are
//    pushed through the sync API first; then a new browser context signs in, opens
//    受付（オフライン） and the app pulls everything (fetching pages, merging, writing its copy
//    to localStorage). Reported: the app's own measurement of the pull (data-last-pull-ms) and
//    the wall time from navigation to all records held.
// 2. Offline cold start: after one online visit, with the network off, a new tab opens
//    /cases; reported: time from navigation to the first usable form (the sealed copy's
//    password), then from 開く to the registration form.
import { chromium } from "@playwright/test";
import { randomUUID } from "node:crypto";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const records = Number(process.argv[2] ?? 10000);
const login = { login_id: "demo.city", password: "mihon-shi-2026" };

async function seed() {
  const res = await fetch(base + "/api/v1/auth/login", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(login),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status}`);
  const cookie = res.headers.get("set-cookie").split(";")[0];
  const replica = randomUUID();
  const kana = ["ミホン", "レイダイ", "タメシ", "シケン", "ヤマダ"];
  let seq = 0;
  while (seq < records) {
    const mutations = [];
    for (let i = 0; i < 500 && seq < records; i++) {
      seq++;
      const stamp = { wall_ms: 1760000000000 + seq, counter: 0, node: 99 };
      const w = (field, value) => ({ field, value, stamp, base: null });
      mutations.push({ seq, kind: "person", id: randomUUID(), op: { type: "put", fields: [
        w("family_name", "見本"), w("given_name", `太郎${seq}`), w("family_name_kana", kana[seq % 5]),
        w("given_name_kana", "タロウ"), w("birth_date", "1990-04-01"), w("category", "youth"),
      ] } });
    }
    const push = await fetch(base + "/api/v1/sync/push", {
      method: "POST", headers: { "content-type": "application/json", cookie, origin: base },
      body: JSON.stringify({ protocol: 1, replica, mutations }),
    });
    if (push.status !== 200) throw new Error(`push: ${push.status} ${await push.text()}`);
  }
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  await seed();
  const context = await browser.newContext({ locale: "ja-JP" });
  const page = await context.newPage();
  await page.request.post(base + "/api/v1/auth/login", { data: login });
  const started = Date.now();
  await page.goto(base + "/intake");
  const status = page.getByTestId("sync-status");
  await page.waitForFunction((n) => {
    const s = document.querySelector("[data-testid=sync-status]");
    return s && Number(s.dataset.records) >= n && s.dataset.running === "false" && s.dataset.lastPullMs;
  }, records, { timeout: 120_000 });
  const wall = Date.now() - started;
  const pullMs = Number(await status.getAttribute("data-last-pull-ms"));
  const held = Number(await status.getAttribute("data-records"));
  const stored = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("renkei.cache."));
    return key ? localStorage.getItem(key).length : 0;
  });
  console.log(`initial pull: ${held} records in ${pullMs} ms (app's measurement: fetch + merge + store); ` +
    `${wall} ms from navigation; copy in localStorage ${stored} characters`);

  await page.waitForSelector("body[data-offline-ready=true]");
  await context.setOffline(true);
  const times = [];
  const opened = [];
  for (let i = 0; i < 5; i++) {
    const tab = await context.newPage();
    const t0 = Date.now();
    await tab.goto(base + "/cases");
    // The device's copy is sealed: offline, the first usable form is the password's.
    const unlock = tab.getByTestId("unlock-form");
    await unlock.locator("#unlock-password").waitFor();
    await tab.waitForSelector("body[data-hydrated=true]");
    times.push(Date.now() - t0);
    await unlock.locator("#unlock-password").fill(login.password);
    const t1 = Date.now();
    await unlock.getByRole("button").click();
    await tab.getByTestId("intake-form").locator("#family_name").waitFor();
    opened.push(Date.now() - t1);
    await tab.close();
  }
  times.sort((a, b) => a - b);
  opened.sort((a, b) => a - b);
  console.log(`offline cold start to a usable form (5 tabs, /cases from the shell, its area's code from the worker): median ${times[2]} ms, max ${times[4]} ms (${times.join(", ")})`);
  console.log(`then 開く to the registration form (key derived from the password, the copy opened): median ${opened[2]} ms, max ${opened[4]} ms`);
  await context.close();
} finally {
  await browser.close();
}
