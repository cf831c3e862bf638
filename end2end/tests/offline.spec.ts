import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { ACCOUNTS, SAME_ORIGIN, openApp, signIn, signInByForm, unlockOffline } from "./app";

const MANAGER = { login: "demo.manager", password: "mihon-kacho-2026" };

/** Signs in, opens 受付（オフライン） online and waits until the service worker holds the shell
 *  and the first sync is done. */
async function openIntakeOnline(context: BrowserContext, who: { login: string; password: string }): Promise<Page> {
  const page = await context.newPage();
  await signInByForm(page, who);
  await openApp(page, "/cases");
  await expect(page.locator("body")).toHaveAttribute("data-offline-ready", "true");
  const status = page.getByTestId("sync-status");
  await expect(status).toHaveAttribute("data-online", "true");
  await expect(status).toHaveAttribute("data-running", "false");
  return page;
}

async function register(page: Page, p: { family: string; given: string; fkana: string; gkana: string; birth: string }) {
  const form = page.getByTestId("intake-form");
  await form.locator("#family_name").fill(p.family);
  await form.locator("#given_name").fill(p.given);
  await form.locator("#family_name_kana").fill(p.fkana);
  await form.locator("#given_name_kana").fill(p.gkana);
  await form.locator("#birth_date").fill(p.birth);
  await form.locator("#category").selectOption("youth");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(form.getByText("この端末に保存しました。")).toBeVisible();
}

test("entries made offline survive a reload and a closed tab, then reach the server once", async ({ browser }) => {
  const tag = String(Date.now() % 100000);
  const laptop = await browser.newContext();
  const first = await openIntakeOnline(laptop, ACCOUNTS.city);

  // No network: the page comes from the service worker's shell and starts client-side.
  await laptop.setOffline(true);
  await first.reload();
  await expect(first.locator("body")).toHaveAttribute("data-shell", "true");
  await expect(first.locator("body")).toHaveAttribute("data-hydrated", "true");
  // The device's store is sealed: offline, the password opens it.
  await unlockOffline(first, ACCOUNTS.city);
  await expect(first.getByTestId("sync-status")).toHaveAttribute("data-online", "false");
  await expect(first.getByTestId("sync-status")).toContainText("オフライン");

  // A wrong reading is caught on the device, before anything is stored.
  const form = first.getByTestId("intake-form");
  await form.locator("#family_name").fill("外出");
  await form.locator("#family_name_kana").fill("sotode");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(form.locator("#family_name_kana-error")).toContainText("フリガナ");
  await expect(first.getByTestId("sync-waiting")).toHaveText("0");

  await register(first, { family: "外出", given: `一子${tag}`, fkana: "そとで", gkana: "かずこ", birth: "平成7年6月15日" });
  await register(first, { family: "外出", given: `二郎${tag}`, fkana: "ソトデ", gkana: "ｼﾞﾛｳ", birth: "1996-02-03" });
  await expect(first.getByTestId("sync-waiting")).toHaveText("2");

  // Close the tab; open the app again, still offline: the entries are there, waiting.
  await first.close();
  const again = await laptop.newPage();
  await again.goto("/cases");
  await expect(again.locator("body")).toHaveAttribute("data-hydrated", "true");
  await unlockOffline(again, ACCOUNTS.city);
  const rows = again.getByTestId("people-table").locator("tr[data-state=waiting]", { hasText: tag });
  await expect(rows).toHaveCount(2);
  await expect(again.getByTestId("people-table")).toContainText("ソトデ カズコ");
  await expect(again.getByTestId("sync-waiting")).toHaveText("2");

  // The network returns: the app sends by itself.
  await laptop.setOffline(false);
  await expect(again.getByTestId("sync-waiting")).toHaveText("0", { timeout: 20_000 });
  await expect(again.getByTestId("people-table").locator("tr[data-state=synced]", { hasText: tag })).toHaveCount(2);

  // On the server, and at the counter in another browser: each once.
  const counter = await browser.newContext();
  const desk = await counter.newPage();
  await signIn(desk, ACCOUNTS.city);
  const people = await (await desk.request.get("/api/v1/people")).json();
  const names = people.people.map((p: { family_name: string; given_name: string }) => `${p.family_name} ${p.given_name}`);
  expect(names.filter((n: string) => n === `外出 一子${tag}`)).toHaveLength(1);
  expect(names.filter((n: string) => n === `外出 二郎${tag}`)).toHaveLength(1);
  await openApp(desk, "/cases");
  await expect(desk.getByTestId("people-table")).toContainText(`外出 一子${tag}`);
  await expect(desk.getByTestId("people-table")).toContainText("ソトデ ジロウ");
  await laptop.close();
  await counter.close();
});

test("two offline edits of one field become a conflict that staff resolve", async ({ browser }) => {
  const setup = await browser.newContext();
  const setupPage = await setup.newPage();
  await signIn(setupPage, ACCOUNTS.city);
  const created = await setupPage.request.post("/api/v1/people", {
    headers: SAME_ORIGIN,
    data: { family_name: "競合", given_name: "元子", family_name_kana: "キョウゴウ", given_name_kana: "モトコ", birth_date: "", category: "youth" },
  });
  expect(created.status()).toBe(201);
  const personId = (await created.json()).id as string;
  await setup.close();

  const laptop = await browser.newContext();
  const tablet = await browser.newContext();
  const a = await openIntakeOnline(laptop, ACCOUNTS.city);
  const b = await openIntakeOnline(tablet, MANAGER);
  for (const page of [a, b]) {
    // On each device (pulled), so it can be edited offline.
    const row = page.locator(`tr[data-record-id="${personId}"][data-on-device="true"]`);
    await expect(row.getByRole("button", { name: "編集" })).toBeVisible({ timeout: 20_000 });
  }
  await laptop.setOffline(true);
  await tablet.setOffline(true);

  async function editGiven(page: Page, value: string) {
    await page.locator(`tr[data-record-id="${personId}"]`).getByRole("button", { name: "編集" }).click();
    const edit = page.getByTestId("edit-form");
    await edit.locator("#given_name").fill(value);
    await edit.getByRole("button", { name: "保存" }).click();
    await expect(page.getByTestId("sync-waiting")).toHaveText("1");
  }
  await editGiven(a, "春子");
  await editGiven(b, "夏子"); // later: wins provisionally

  await laptop.setOffline(false);
  await expect(a.getByTestId("sync-waiting")).toHaveText("0", { timeout: 20_000 });
  await tablet.setOffline(false);
  await expect(b.getByTestId("sync-waiting")).toHaveText("0", { timeout: 20_000 });

  // The count shows where staff look: the menu and the status bar.
  await expect(b.getByTestId("nav-conflicts")).toHaveText("1", { timeout: 20_000 });
  await expect(b.getByTestId("sync-conflicts")).toContainText("1件");
  // Staff see the conflict with both values, who made each on which device and when, and choose.
  await openApp(a, "/conflicts");
  const row = a.getByTestId("conflicts").locator("tr", { hasText: "競合" });
  await expect(row).toContainText("夏子");
  await expect(row).toContainText("春子");
  await expect(row).toContainText("名");
  const sides = row.getByTestId("conflict-side");
  await expect(sides.nth(0)).toContainText("見本 管理職（市）");
  await expect(sides.nth(1)).toContainText(`${ACCOUNTS.city.name}（市）`);
  await expect(sides.nth(0)).toContainText("ブラウザ（端末");
  await expect(sides.nth(0)).toContainText("令和");
  await expect(a.getByTestId("nav-conflicts")).toHaveText("1");
  await row.getByRole("button", { name: "この値にする" }).nth(1).click(); // 春子, the other value
  await expect(a.getByTestId("no-conflicts")).toBeVisible();
  await expect(a.getByTestId("nav-conflicts")).toHaveCount(0);
  const person = await (await a.request.get(`/api/v1/people/${personId}`)).json();
  expect(person.given_name).toBe("春子");
  await laptop.close();
  await tablet.close();
});

test("a full device storage is said plainly and loses nothing already waiting", async ({ browser }) => {
  const laptop = await browser.newContext();
  const page = await openIntakeOnline(laptop, ACCOUNTS.city);
  await laptop.setOffline(true);
  await register(page, { family: "容量", given: "一", fkana: "ヨウリョウ", gkana: "イチ", birth: "" });
  await expect(page.getByTestId("sync-waiting")).toHaveText("1");

  // Fill the rest of the quota, as other data on a shared laptop might.
  await page.evaluate(() => {
    const chunk = "x".repeat(256 * 1024);
    for (let i = 0; i < 100; i++) {
      try { localStorage.setItem(`filler.${i}`, chunk); } catch { break; }
    }
    for (let size = 128 * 1024; size >= 16; size = Math.floor(size / 2)) {
      try { localStorage.setItem(`filler.small.${size}`, "x".repeat(size)); } catch { /* next */ }
    }
  });
  const form = page.getByTestId("intake-form");
  await form.locator("#family_name").fill("容量");
  await form.locator("#given_name").fill("二");
  await form.locator("#family_name_kana").fill("ヨウリョウ");
  await form.locator("#given_name_kana").fill("ニ");
  await form.locator("#category").selectOption("youth");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(form.getByRole("alert")).toContainText("保存容量がいっぱい");
  await expect(page.getByTestId("sync-waiting")).toHaveText("1");

  // Space is freed; the entry already waiting is still there after a reload, and sends.
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("filler.")).forEach((k) => localStorage.removeItem(k)));
  await page.reload();
  await unlockOffline(page, ACCOUNTS.city);
  await expect(page.getByTestId("sync-waiting")).toHaveText("1");
  await laptop.setOffline(false);
  await expect(page.getByTestId("sync-waiting")).toHaveText("0", { timeout: 20_000 });
  await laptop.close();
});

test("two tabs of one laptop writing at once offline number their entries as one: every entry arrives once", async ({ browser }) => {
  const tag = String(Date.now() % 100000);
  const laptop = await browser.newContext();
  const left = await openIntakeOnline(laptop, ACCOUNTS.city);
  const right = await openIntakeOnline(laptop, ACCOUNTS.city);
  await laptop.setOffline(true);

  // Both tabs save at the same moment, three times each (before: each tab numbered from its
  // own copy of the outbox, and one tab's entries overwrote or collided with the other's).
  const names = ["一", "二", "三"];
  for (const n of names) {
    await Promise.all([
      register(left, { family: "左側", given: `${n}${tag}`, fkana: "ヒダリ", gkana: "イチ", birth: "" }),
      register(right, { family: "右側", given: `${n}${tag}`, fkana: "ミギ", gkana: "イチ", birth: "" }),
    ]);
  }
  // Each tab shows the one outbox: all six wait.
  await expect(left.getByTestId("sync-waiting")).toHaveText("6");
  await expect(right.getByTestId("sync-waiting")).toHaveText("6");

  await laptop.setOffline(false);
  await expect(left.getByTestId("sync-waiting")).toHaveText("0", { timeout: 30_000 });
  await expect(right.getByTestId("sync-waiting")).toHaveText("0", { timeout: 30_000 });
  await expect(left.locator("a.alert-link")).toHaveCount(0); // nothing refused

  const people = await (await left.request.get("/api/v1/people")).json();
  const got = people.people
    .map((p: { family_name: string; given_name: string }) => `${p.family_name} ${p.given_name}`)
    .filter((n: string) => n.endsWith(tag))
    .sort();
  const expected = names.flatMap((n) => [`右側 ${n}${tag}`, `左側 ${n}${tag}`]).sort();
  expect(got).toEqual(expected);
  await laptop.close();
});

test("a browser that refuses Web Locks later still saves: the entry is stored and sent", async ({ browser }) => {
  const tag = String(Date.now() % 100000);
  const laptop = await browser.newContext();
  // Some contexts have navigator.locks but reject each request (SecurityError): the outbox
  // change must go on without the lock instead of waiting forever.
  await laptop.addInitScript(() => {
    const locks = navigator.locks;
    if (locks) {
      Object.defineProperty(locks, "request", {
        value: () => Promise.reject(new DOMException("Web Locks refused here", "SecurityError")),
      });
    }
  });
  const page = await openIntakeOnline(laptop, ACCOUNTS.city);
  await register(page, { family: "施錠", given: `拒否${tag}`, fkana: "セジョウ", gkana: "キョヒ", birth: "2001-01-01" });
  await expect(page.getByTestId("sync-waiting")).toHaveText("0", { timeout: 30_000 });
  const people = await (await page.request.get("/api/v1/people")).json();
  expect(people.people.filter((p: { given_name: string }) => p.given_name === `拒否${tag}`)).toHaveLength(1);
  await laptop.close();
});

test("a page never opened online starts offline from the parts the service worker fetched in the background", async ({ browser }) => {
  // Online: sign in (start page) and open the tablet's page only — the counter's code is
  // never loaded by a page, and the tablet's page loads its own module, not the main one.
  const laptop = await browser.newContext();
  const page = await laptop.newPage();
  const loaded: string[] = [];
  await signInByForm(page, ACCOUNTS.city);
  page.on("request", (r) => loaded.push(new URL(r.url()).pathname));
  await openApp(page, "/fair");
  await expect(page.locator("body")).toHaveAttribute("data-offline-ready", "true");
  const modules = loaded.filter((p) => p.startsWith("/pkg/") && /\.(js|wasm)$/.test(p) && !p.includes("__wasm_split"));
  expect(modules.filter((p) => /^\/pkg\/tablet\.[\w-]+\.(js|wasm)$/.test(p)), modules.join(" ")).toHaveLength(2);
  expect(modules.filter((p) => p.startsWith("/pkg/renkei.") || p.includes("_area")), "the tablet's page loads no main module or area").toEqual([]);
  // The worker kept every part of the build anyway.
  const kept = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((k) => k.startsWith("renkei-"));
    const cache = await caches.open(names[names.length - 1]);
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  expect(kept.some((p) => /counter_area.*\.wasm$/.test(p)), kept.join(" ")).toBe(true);

  // Offline, a new tab opens ケース: the shell starts the app and the counter's code comes
  // from the worker's cache.
  await laptop.setOffline(true);
  const cases = await laptop.newPage();
  const errors: string[] = [];
  cases.on("pageerror", (e) => errors.push(String(e)));
  const fromWorker: string[] = [];
  cases.on("response", (r) => {
    if (r.url().includes("counter_area") && r.fromServiceWorker()) fromWorker.push(r.url());
  });
  await cases.goto("/cases");
  await expect(cases.locator("body")).toHaveAttribute("data-shell", "true");
  await expect(cases.locator("body")).toHaveAttribute("data-hydrated", "true");
  await unlockOffline(cases, ACCOUNTS.city);
  await expect(cases.getByTestId("intake-form")).toBeVisible();
  expect(fromWorker.length, "the counter's part came from the worker").toBeGreaterThan(0);
  expect(errors).toEqual([]);
  await laptop.close();
});

test("a tablet's visit of /fair alone keeps the whole build: offline, /cases starts from the shell with the counter's code from the worker", async ({ browser }) => {
  // Online: only the tablet's page, never signed in — its own module, nothing of the main one.
  const tablet = await browser.newContext();
  const page = await tablet.newPage();
  const loaded: string[] = [];
  page.on("request", (r) => loaded.push(new URL(r.url()).pathname));
  await openApp(page, "/fair");
  await expect(page.getByTestId("enrol-form")).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-offline-ready", "true");
  // (The stylesheet is the app's one.)
  expect(loaded.filter((p) => /^\/pkg\/(renkei\.|split_|chunk_|__wasm_split).*\.(js|wasm)$/.test(p)), loaded.join(" ")).toEqual([]);
  expect(loaded.filter((p) => /^\/pkg\/tablet\.[\w-]+\.(js|wasm)$/.test(p)), loaded.join(" ")).toHaveLength(2);

  // Offline, a new tab opens ケース: the shell, the main module and the counter's part all come
  // from the worker; the page runs (it asks to sign in: nobody ever did on this device).
  await tablet.setOffline(true);
  const cases = await tablet.newPage();
  const errors: string[] = [];
  cases.on("pageerror", (e) => errors.push(String(e)));
  const fromWorker: string[] = [];
  cases.on("response", (r) => {
    if (r.url().includes("/pkg/") && r.fromServiceWorker()) fromWorker.push(new URL(r.url()).pathname);
  });
  await cases.goto("/cases");
  await expect(cases.locator("body")).toHaveAttribute("data-shell", "true");
  await expect(cases.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(fromWorker.filter((p) => p.includes("counter_area")).length, fromWorker.join(" ")).toBeGreaterThan(0);
  expect(fromWorker.filter((p) => p.startsWith("/pkg/renkei.")).length, fromWorker.join(" ")).toBeGreaterThan(0);
  await expect(cases.locator("main")).not.toBeEmpty();
  expect(errors).toEqual([]);
  await tablet.close();
});

