import { chromium, expect, test } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ACCOUNTS, SAME_ORIGIN, inDays, openApp, signIn, signInByForm, unlockOffline } from "./app";

// The same Chromium and flags as playwright.config.ts, for a browser profile on disk that the
// test can search afterwards (as someone with a stolen laptop would).
const LAUNCH = {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

/** Files of the profile that contain any of `needles` (as UTF-8 or UTF-16, as Chromium stores text). */
function findInProfile(dir: string, needles: string[]): string[] {
  const patterns = needles.flatMap((n) => [[n, Buffer.from(n, "utf8")], [n, Buffer.from(n, "utf16le")]] as const);
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const bytes = fs.readFileSync(p);
        for (const [needle, pattern] of patterns) if (bytes.includes(pattern)) hits.push(`${path.relative(dir, p)}: ${needle}`);
      }
    }
  };
  walk(dir);
  return [...new Set(hits)];
}

function registration(id: string, event: string, who: [string, string, string, string], phone: string) {
  const stamp = { wall_ms: Date.now(), counter: 0, node: 77 };
  const w = (field: string, value: unknown) => ({ field, value, stamp, base: null });
  return { seq: 1, kind: "participant", id, op: { type: "put", fields: [
    w("event_id", event), w("family_name", who[0]), w("given_name", who[1]),
    w("family_name_kana", who[2]), w("given_name_kana", who[3]), w("birth_date", "2001-04-05"),
    w("phone", phone), w("category", "youth"), w("contact_ok", true), w("share_ok", true),
  ] } };
}

test("a counter laptop's browser profile holds nothing readable, synced or signed out", async ({ baseURL }) => {
  test.setTimeout(90_000);
  const tag = String(Date.now() % 100000).padStart(5, "0");
  const given = `秘子${tag}`;
  const phone = `09087${tag}1`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "renkei-profile-"));
  let laptop = await chromium.launchPersistentContext(dir, { ...LAUNCH, baseURL, locale: "ja-JP" });
  let page = await laptop.newPage();
  await signInByForm(page, ACCOUNTS.city);

  // A case and a fair registration with a phone number that this clerk may see.
  const person = await page.request.post("/api/v1/people", { headers: SAME_ORIGIN,
    data: { family_name: "金庫田", given_name: given, family_name_kana: "きんこだ", given_name_kana: "ひめこ", birth_date: "", category: "youth" } });
  expect(person.status()).toBe(201);
  const event = await page.request.post("/api/v1/events", { headers: SAME_ORIGIN,
    data: { title: `保管確認${tag}`, kind: "joint_interview", date: inDays(20), venue: "市民会館", target_group: "youth" } });
  const eventId = (await event.json()).id as string;
  const pushed = await page.request.post("/api/v1/sync/push", { headers: SAME_ORIGIN, data: {
    protocol: 1, replica: crypto.randomUUID(),
    mutations: [registration(crypto.randomUUID(), eventId, ["金庫田", `登録${tag}`, "きんこだ", "とうろく"], phone)] } });
  expect(pushed.status()).toBe(200);

  // The laptop pulls them and shows them: they are on the device.
  await openApp(page, "/cases");
  await expect(page.locator("body")).toHaveAttribute("data-offline-ready", "true");
  const status = page.getByTestId("sync-status");
  await expect(status).toHaveAttribute("data-running", "false");
  // Pulled onto the device (not only listed from the server).
  await expect(page.getByTestId("people-table").locator('tr[data-on-device="true"]', { hasText: given })).toBeVisible({ timeout: 20_000 });
  await laptop.close(); // storage written to disk

  const secrets = [given, `登録${tag}`, phone, "キンコダ"];
  // Controls: the search finds what the app keeps in the clear (key names, and the signed-in
  // staff member's own name in Japanese), so it would find a case's name just as well.
  expect(findInProfile(dir, ["renkei.vault"]).length, "the search looks where the app stores").toBeGreaterThan(0);
  expect(findInProfile(dir, [ACCOUNTS.city.name]).length, "Japanese text in storage is found").toBeGreaterThan(0);
  expect(findInProfile(dir, secrets)).toEqual([]);

  // Offline, the app asks for the password and shows them again.
  laptop = await chromium.launchPersistentContext(dir, { ...LAUNCH, baseURL, locale: "ja-JP" });
  await laptop.setOffline(true);
  page = await laptop.newPage();
  await page.goto("/cases");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("unlock-form")).toBeVisible();
  await expect(page.getByText(given)).toHaveCount(0);
  await unlockOffline(page, ACCOUNTS.city);
  await expect(page.getByTestId("people-table")).toContainText(given);

  // Back online, the clerk signs out: nothing readable stays.
  await laptop.setOffline(false);
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "ログアウト" }).click();
  await expect(page).toHaveURL(/\/login/);
  await laptop.close();
  expect(findInProfile(dir, secrets)).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("entries waiting on a laptop survive an administrator's password reset: kept aside, never written over", async ({ browser }) => {
  const tag = String(Date.now() % 100000).padStart(5, "0");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ACCOUNTS.admin);
  const first = "asagiri-yuugiri-kasumi";
  const created = await admin.request.post("/api/v1/staff", { headers: SAME_ORIGIN,
    data: { login_id: `reset.${tag}`, display_name: "再設定 確認", organisation: "city", role: "counter", password: first } });
  expect(created.status()).toBe(201);
  const staffId = (await created.json()).id as string;
  const who = { login: `reset.${tag}`, password: first };

  // The clerk works offline; one entry waits.
  const laptop = await browser.newContext();
  const page = await laptop.newPage();
  await signInByForm(page, who);
  await openApp(page, "/cases");
  await expect(page.locator("body")).toHaveAttribute("data-offline-ready", "true");
  // The store is open (with the server's key) before the network goes.
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-running", "false");
  await laptop.setOffline(true);
  const form = page.getByTestId("intake-form");
  await form.locator("#family_name").fill("待機");
  await form.locator("#given_name").fill(`一${tag}`);
  await form.locator("#family_name_kana").fill("たいき");
  await form.locator("#given_name_kana").fill("はじめ");
  await form.locator("#category").selectOption("youth");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("sync-waiting")).toHaveText("1");
  const sealed = await page.evaluate((id) => localStorage.getItem(`renkei.local.${id}`), staffId);
  expect(sealed).toContain('"sealed"');

  // Meanwhile the administrator resets the password (the server forgets the laptop's key).
  const second = "yuuyake-koyake-akatonbo";
  expect((await admin.request.post(`/api/v1/staff/${staffId}/password`, { headers: SAME_ORIGIN, data: { password: second } })).status()).toBe(200);

  // Back online, the clerk signs in with the new password: the old entry cannot be opened
  // with it, and is kept aside rather than written over.
  await laptop.setOffline(false);
  await signInByForm(page, { login: who.login, password: second });
  await expect(page.getByTestId("sync-status")).toContainText("別に保管しました");
  const aside = await page.evaluate((id) => localStorage.getItem(`renkei.local.${id}.unreadable`), staffId);
  expect(aside).toBe(sealed);
  expect(await page.evaluate((id) => localStorage.getItem(`renkei.vault.${id}.old`), staffId)).not.toBeNull();
  await laptop.close();
});
