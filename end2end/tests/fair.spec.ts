import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ACCOUNTS, SAME_ORIGIN, inDays, openApp, signIn, unlockOffline } from "./app";

/** Screenshots of the tablet screens go here when set (docs/screenshots). */
const SHOTS = process.env.SCREENSHOT_DIR;

type Walkin = { family: string; given: string; fkana: string; gkana: string; birth?: string; band?: string; phone?: string; work?: string };

/** A tablet: its own browser context (storage), enrolled with a one-time code. */
async function enrolTablet(browser: Browser, code: string, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, hasTouch: true });
  const page = await context.newPage();
  await openApp(page, "/fair");
  const form = page.getByTestId("enrol-form");
  await form.locator("#code").fill(code);
  await form.getByRole("button", { name: "端末を登録する" }).click();
  await expect(page.getByTestId("tablet-event")).toContainText("面接会");
  await expect(page.locator("body")).toHaveAttribute("data-offline-ready", "true");
  const status = page.getByTestId("sync-status");
  await expect(status).toHaveAttribute("data-online", "true");
  await expect(status).toHaveAttribute("data-running", "false");
  return { context, page };
}

async function registerWalkIn(page: Page, w: Walkin) {
  await page.getByTestId("tab-walkin").click();
  const form = page.getByTestId("walkin-form");
  await form.locator("#family_name").fill(w.family);
  await form.locator("#given_name").fill(w.given);
  await form.locator("#family_name_kana").fill(w.fkana);
  await form.locator("#given_name_kana").fill(w.gkana);
  if (w.birth) await form.locator("#birth_date").fill(w.birth);
  if (w.band) await form.getByText(w.band, { exact: true }).click();
  if (w.phone) await form.locator("#phone").fill(w.phone);
  if (w.work) await form.locator("#desired_work").fill(w.work);
  await form.locator("#category").selectOption("youth");
  await form.getByText("市・ハローワークから連絡してよい").click();
  await form.getByText("共有することに同意する").click();
  await form.getByRole("button", { name: "確認へ進む" }).click();
  await expect(page.getByTestId("walkin-confirm")).toContainText(`${w.family} ${w.given}`);
  if (w.work) await expect(page.getByTestId("walkin-confirm")).toContainText(w.work);
  await page.getByTestId("walkin-register").click();
  await expect(page.getByTestId("walkin-done")).toContainText("登録しました");
  await page.getByTestId("walkin-next").click();
}

async function checkIn(page: Page, search: string, name: string) {
  await page.getByTestId("tab-checkin").click();
  await page.locator("#checkin-search").fill(search);
  const row = page.getByTestId("checkin-list").locator("li", { hasText: name });
  await row.getByRole("button", { name: "来場を記録" }).click();
  await expect(row).toHaveAttribute("data-checked-in", "true");
}

async function recordInterview(page: Page, search: string, name: string, employer: string, outcome: string) {
  await page.getByTestId("tab-interviews").click();
  await page.locator("#interview-search").fill(search);
  await page.getByTestId("interview-people").getByRole("button", { name }).click();
  await expect(page.getByTestId("interview-chosen")).toContainText(name);
  await page.getByRole("radio", { name: employer, exact: true }).check();
  await page.getByRole("radio", { name: outcome, exact: true }).check();
  await page.getByTestId("interview-record").click();
  await expect(page.getByTestId("interview-notice")).toContainText("記録しました");
}

async function storageKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("renkei.")));
}

test("two tablets register, check in and record interviews offline; the counter counts each person once", async ({ browser }) => {
  test.setTimeout(240_000);
  const tag = String(Date.now() % 100000);

  // The counter sets up the fair: event, employers, pre-registered people (CSV).
  const desk = await browser.newContext();
  const counter = await desk.newPage();
  await signIn(counter, ACCOUNTS.city);
  const created = await counter.request.post("/api/v1/events", {
    headers: SAME_ORIGIN,
    data: { title: `合同面接会E2E${tag}`, kind: "joint_interview", date: inDays(10), venue: "市民会館", target_group: "youth", capacity: "40" },
  });
  expect(created.status()).toBe(201);
  const eventId = (await created.json()).id as string;
  await openApp(counter, `/events/${eventId}`);
  const employers = counter.getByTestId("employer-form");
  for (const [name, jobs] of [[`みほん介護${tag}`, "介護職（正社員）"], [`見本食品${tag}`, "製造補助（パート）"]]) {
    await employers.locator("#name").fill(name);
    await employers.locator("#jobs").fill(jobs);
    await employers.getByRole("button", { name: "事業所を追加" }).click();
    await expect(counter.getByTestId("employers")).toContainText(name);
  }
  // Excel's plain "CSV" is Shift_JIS: named as such, nothing read. A UTF-8 file (with a BOM
  // and a quoted cell) is read into the box to check before importing.
  const file = counter.getByTestId("import-file");
  const sjis = Buffer.from([0x8c, 0xa9, 0x96, 0x7b, 0x2c, 0x89, 0xd4, 0x8e, 0x71, 0x0d, 0x0a]); // 見本,花子
  await file.setInputFiles({ name: "sankasha.csv", mimeType: "text/csv", buffer: sjis });
  await expect(counter.getByTestId("import-errors")).toContainText("Shift_JIS");
  const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`"読込",花子${tag},ヨミコミ,ハナコ,,\r\n`)]);
  await file.setInputFiles({ name: "sankasha-utf8.csv", mimeType: "text/csv", buffer: utf8 });
  await expect(counter.getByTestId("import-errors")).toHaveCount(0);
  await expect(counter.locator("#import-csv")).toHaveValue(new RegExp(`花子${tag}`));

  // A wrong line is named and nothing is imported; corrected, all three are.
  const csv = counter.locator("#import-csv");
  await csv.fill(`氏,名,氏フリガナ,名フリガナ,生年月日,電話\n招待,一郎${tag},ショウタイ,イチロウ,平成15年4月1日,\n招待,二郎${tag},shoutai,ジロウ,,`);
  await counter.getByTestId("import-form").getByRole("button", { name: "取り込む" }).click();
  await expect(counter.getByTestId("import-errors")).toContainText("3行目");
  await csv.fill(`氏,名,氏フリガナ,名フリガナ,生年月日,電話\n招待,一郎${tag},ショウタイ,イチロウ,平成15年4月1日,\n招待,二郎${tag},ショウタイ,ジロウ,2004-05-05,\n"招待","三郎${tag}",しょうたい,さぶろう,,０９０－１２３４－５６７８`);
  await counter.getByTestId("import-form").getByRole("button", { name: "取り込む" }).click();
  await expect(counter.getByTestId("import-done")).toContainText("3人を取り込みました");
  await expect(counter.getByTestId("sync-waiting")).toHaveText("0", { timeout: 20_000 });

  // Two tablets enrolled for the fair (codes from the administrator).
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ACCOUNTS.admin);
  const codes: string[] = [];
  for (const label of ["受付A", "受付B"]) {
    const device = await admin.request.post("/api/v1/devices", { headers: SAME_ORIGIN, data: { event_id: eventId, label } });
    expect(device.status()).toBe(201);
    codes.push((await device.json()).code);
  }
  const a = await enrolTablet(browser, codes[0], { width: 1280, height: 800 });
  const b = await enrolTablet(browser, codes[1], { width: 800, height: 1280 });
  for (const t of [a, b]) {
    await expect(t.page.getByTestId("tablet-participants")).toHaveText("3");
  }

  // The hall's Wi-Fi fails. A tablet restarted offline opens from the worker's copy of its
  // page and module, still enrolled.
  await a.context.setOffline(true);
  await b.context.setOffline(true);
  const restarted = await a.page.reload();
  expect(restarted?.fromServiceWorker(), "the tablet's page from the worker").toBe(true);
  await expect(a.page.locator("body")).toHaveAttribute("data-tablet", "true");
  await expect(a.page.locator("body")).toHaveAttribute("data-hydrated", "true");
  // Its store is sealed: the enrolment code opens it offline.
  await unlockOffline(a.page, { password: codes[0] });
  await expect(a.page.getByTestId("tablet-event")).toContainText(`合同面接会E2E${tag}`);
  await expect(a.page.getByTestId("sync-status")).toHaveAttribute("data-online", "false");

  // Check-in by reading, in any kana and width; 招待一郎 on both tablets.
  await checkIn(a.page, "しょうたい いちろう", `招待 一郎${tag}`);
  await checkIn(b.page, "ｼｮｳﾀｲｲﾁﾛｳ", `招待 一郎${tag}`);
  await checkIn(a.page, "ショウタイ　ジ", `招待 二郎${tag}`);

  // 20 walk-ins, 10 on each tablet: 16 people once, and 2 people registered on both tablets
  // (the same reading with the same birth date, or the same phone).
  const given = ["あおい", "いつき", "うた", "えま", "おさむ", "かい", "きよし", "くるみ", "けん", "こう", "さき", "しん", "すず", "せな", "そら", "たく"];
  // The walk-ins' reading, birth dates and phone numbers are this run's own: a walk-in who
  // becomes a person at the counter stays there, and a second run on the same database must
  // not find the first run's person as a duplicate of its own walk-in (the match is the
  // reading with the birth date or the phone).
  const n = Number(tag);
  const kanaTag = tag.replace(/[0-9]/g, (d) => "あいうえおかきくけこ"[Number(d)]);
  const year = 1990 + (n % 15); // 平成2年 … 平成16年
  const month = String(1 + (Math.floor(n / 15) % 12)).padStart(2, "0");
  const four = String(n % 10000).padStart(4, "0");
  const fullWidth = (digits: string) => digits.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  const walkins: Walkin[] = given.map((gkana, i) => ({
    family: "来場", given: `${i + 1}号${tag}`, fkana: `らいじょう${kanaTag}`, gkana,
    ...(i % 2 ? { band: "20代" } : { birth: `${year}-${month}-${String(i + 1).padStart(2, "0")}` }),
    ...(i === 2 ? { phone: fullWidth(`080ー${four}ー2222`) } : {}),
    ...(i === 0 ? { work: "午前のみ・週3日" } : {}),
  }));
  const taro = { family: "重複", given: `太郎${tag}`, fkana: "じゅうふく", gkana: "たろう", birth: `平成${year - 1988}年${Number(month)}月20日` };
  const hanako = { family: "重複", given: `花子${tag}`, fkana: "じゅうふく", gkana: "はなこ", band: "20代", phone: `090-${four}-4444` };
  const started = Date.now();
  await registerWalkIn(a.page, walkins[0]);
  const oneWalkIn = Date.now() - started;
  for (const w of walkins.slice(1, 8)) await registerWalkIn(a.page, w);
  for (const w of walkins.slice(8, 16)) await registerWalkIn(b.page, w);
  await registerWalkIn(a.page, taro);
  await registerWalkIn(a.page, hanako);
  await registerWalkIn(b.page, { ...taro, fkana: "ジュウフク", gkana: "タロウ", birth: `${year}-${month}-20` });
  await registerWalkIn(b.page, { ...hanako, fkana: "ｼﾞｭｳﾌｸ", gkana: "ﾊﾅｺ", phone: `090${four}4444` });
  console.log(`one walk-in through the form: ${oneWalkIn} ms (automated)`);
  await expect(a.page.getByTestId("tablet-participants")).toHaveText("13"); // 3 invited + 10 here
  await expect(a.page.getByTestId("sync-waiting")).not.toHaveText("0");

  // Interviews, offline too.
  await recordInterview(a.page, "らいじょう", `来場 1号${tag}`, `みほん介護${tag}`, "面接");
  await recordInterview(a.page, "らいじょう", `来場 2号${tag}`, `見本食品${tag}`, "内定");
  await recordInterview(b.page, "らいじょう", `来場 10号${tag}`, `みほん介護${tag}`, "採用");
  // The same interview moves on: one record, now 内定.
  await recordInterview(a.page, "らいじょう", `来場 1号${tag}`, `みほん介護${tag}`, "内定");
  await expect(a.page.getByTestId("interview-list").locator("li")).toHaveCount(2);

  if (SHOTS) {
    // Each screen in landscape (tablet A, 1280×800) and portrait (tablet B, 800×1280).
    const top = (p: Page) => p.evaluate(() => window.scrollTo(0, 0));
    for (const [t, size] of [[a, "1280x800"], [b, "800x1280"]] as const) {
      await t.page.getByTestId("tab-walkin").click();
      await top(t.page);
      await t.page.screenshot({ path: `${SHOTS}/fair-walkin-${size}.png` });
      await t.page.getByTestId("tab-checkin").click();
      await t.page.locator("#checkin-search").fill("しょうたい");
      await top(t.page);
      await t.page.screenshot({ path: `${SHOTS}/fair-checkin-${size}.png` });
      await t.page.getByTestId("tab-interviews").click();
      await t.page.locator("#interview-search").fill("らいじょう");
      await top(t.page);
      await t.page.screenshot({ path: `${SHOTS}/fair-interviews-${size}.png` });
    }
  }

  // Wi-Fi back: both tablets send by themselves.
  await a.context.setOffline(false);
  await b.context.setOffline(false);
  await expect(a.page.getByTestId("sync-waiting")).toHaveText("0", { timeout: 30_000 });
  await expect(b.page.getByTestId("sync-waiting")).toHaveText("0", { timeout: 30_000 });

  // What a tablet stores is sealed: no name, birth date or phone number readable in storage
  // (the server sends it names and readings only, `server/tests/scope.rs`).
  const stored = await a.page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith("renkei.cache.") || k.startsWith("renkei.local.")).map(([, v]) => v).join(""));
  expect(stored).toContain('"sealed"');
  for (const secret of ["ライジョウ", "来場", `${year}-${month}-03`, `080${four}2222`]) expect(stored).not.toContain(secret);

  // The counter: 3 invited + 20 walk-ins = 23 registrations; 2 invited checked in (one on both
  // tablets) + 20 walk-ins; the 2 people registered on both tablets are flagged.
  await openApp(counter, `/events/${eventId}`);
  await expect(counter.getByTestId("count-registered")).toHaveText("23", { timeout: 15_000 });
  await expect(counter.getByTestId("count-checked-in")).toHaveText("22");
  await expect(counter.getByTestId("count-interviews")).toHaveText("3");
  await expect(counter.getByTestId("count-offers")).toHaveText("3");
  await expect(counter.getByTestId("count-hires")).toHaveText("1");
  await expect(counter.getByTestId("count-duplicates")).toHaveText("2");
  const byEmployer = counter.getByTestId("employer-counts");
  await expect(byEmployer.locator("tr", { hasText: `みほん介護${tag}` })).toContainText("2");
  const duplicates = counter.getByTestId("duplicates");
  await expect(duplicates.locator("tr[data-duplicate-id]")).toHaveCount(2);
  await expect(duplicates).toContainText(`重複 太郎${tag}`);
  await expect(duplicates).toContainText("フリガナと生年月日が一致");
  // What staff judge by: each side's birth date, phone, and which tablet registered it when.
  const pair = duplicates.locator("tr[data-duplicate-id]", { hasText: `太郎${tag}` });
  await expect(pair.getByTestId("duplicate-facts")).toHaveCount(2);
  await expect(pair).toContainText("タブレット「受付A」");
  await expect(pair).toContainText("タブレット「受付B」");
  await expect(pair).toContainText("残る記録");

  // Staff merge the first pair (the same person): counted once; undone, two again; merged again.
  await pair.getByRole("button", { name: "同一人物としてまとめる" }).click();
  await expect(duplicates.locator("tr[data-resolution=merged]")).toHaveCount(1);
  await expect(counter.getByTestId("count-registered")).toHaveText("22");
  await duplicates.locator("tr[data-resolution=merged]").getByRole("button", { name: "取り消す" }).click();
  await expect(duplicates.locator("tr[data-resolution=merged]")).toHaveCount(0);
  await expect(counter.getByTestId("count-registered")).toHaveText("23", { timeout: 15_000 });
  await duplicates.locator("tr[data-duplicate-id]", { hasText: `太郎${tag}` }).getByRole("button", { name: "同一人物としてまとめる" }).click();
  await expect(duplicates.locator("tr[data-resolution=merged]")).toHaveCount(1);
  await expect(counter.getByTestId("count-registered")).toHaveText("22", { timeout: 15_000 });
  await expect(counter.getByTestId("count-duplicates")).toHaveText("1");
  await expect(duplicates).toContainText("フリガナと電話番号が一致");

  // A walk-in who agreed to share becomes a person at the counter (相談者), once.
  const row = counter.getByTestId("participants").locator("tr", { hasText: `来場 1号${tag}` });
  // 希望の働き方 written on the tablet reaches the counter (and only the counter).
  await expect(row).toContainText("希望の働き方");
  await expect(row).toContainText("午前のみ・週3日");
  await row.getByRole("button", { name: "相談者として登録" }).click();
  await expect(row).toContainText("登録済み");
  const people = await (await counter.request.get("/api/v1/people")).json();
  expect(people.people.filter((p: { given_name: string }) => p.given_name === `1号${tag}`)).toHaveLength(1);

  // A revoked tablet cannot sync, and erases what it stored.
  const list = await (await admin.request.get("/api/v1/devices")).json();
  const tabletB = list.devices.find((d: { label: string; event_id: string }) => d.label === "受付B" && d.event_id === eventId);
  expect((await admin.request.post(`/api/v1/devices/${tabletB.id}/revoke`, { headers: SAME_ORIGIN })).status()).toBe(200);
  expect((await storageKeys(b.page)).length).toBeGreaterThan(0);
  await b.page.getByRole("button", { name: "今すぐ同期" }).click();
  await expect(b.page.getByTestId("tablet-revoked")).toBeVisible();
  expect(await storageKeys(b.page)).toEqual([]);
  await b.page.reload();
  await expect(b.page.getByTestId("enrol-form")).toBeVisible();
  // Tablet A carries on.
  await a.page.getByRole("button", { name: "今すぐ同期" }).click();
  await expect(a.page.getByTestId("sync-status")).toHaveAttribute("data-running", "false");
  await expect(a.page.getByTestId("tablet-event")).toBeVisible();
});
