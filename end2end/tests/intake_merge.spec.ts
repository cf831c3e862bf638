import { expect, test } from "@playwright/test";
import { ACCOUNTS, SAME_ORIGIN, openApp, signIn, signInByForm } from "./app";

/** A person taken in at the counter (through the API, as another clerk would have). */
async function takeIn(request: import("@playwright/test").APIRequestContext, family: string, given: string, kana: string, phone: string) {
  const created = await request.post("/api/v1/people", {
    headers: SAME_ORIGIN,
    data: { family_name: family, given_name: given, family_name_kana: kana, given_name_kana: "はなこ",
            birth_date: "平成2年4月1日", category: "single_mothers", phone },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).id as string;
}

test("a duplicate intake is merged with its reason, read from the record that stays, and the merge undone", async ({ browser }) => {
  const tag = String(Date.now() % 100000);
  const family = `重複${tag}`;
  const context = await browser.newContext();
  const city = await context.newPage();
  await signIn(city, ACCOUNTS.city);
  const keep = await takeIn(city.request, family, "花子", "ちょうふく", "0429980001");
  const dup = await takeIn(city.request, family, "花子", "ﾁｮｳﾌｸ", "04-2998-0001");
  const page = await browser.newPage();
  await signInByForm(page, ACCOUNTS.city);

  // On the record that stays: the other one is listed with what staff judge by.
  await openApp(page, `/cases/${keep}`);
  const panel = page.getByTestId("merge-panel");
  const candidate = panel.locator(`li[data-candidate="${dup}"]`);
  await expect(candidate).toBeVisible({ timeout: 20_000 });
  await expect(candidate).toContainText("平成2年（1990年）4月1日");
  await expect(candidate).toContainText("0429980001");
  await expect(candidate).toContainText("受付日");
  await candidate.getByRole("button", { name: "この記録に統合する" }).click();
  const form = candidate.getByTestId("merge-form");
  // The reason is asked for.
  await form.getByRole("button", { name: "統合する（この記録を残す）" }).click();
  await expect(form.locator("#merge_reason-error")).toBeVisible();
  await form.locator("#merge_reason").fill("生年月日と電話番号が一致、本人に確認");
  await form.getByRole("button", { name: "統合する（この記録を残す）" }).click();
  await expect(panel.getByTestId("merged-here").locator(`li[data-merged="${dup}"]`)).toBeVisible({ timeout: 20_000 });

  // The list shows the person once; the duplicate's page says where it went.
  await openApp(page, "/cases");
  await page.locator("#case_query").fill(family);
  await expect(page.getByTestId("people-table").locator("tbody tr")).toHaveCount(1, { timeout: 20_000 });
  await openApp(page, `/cases/${dup}`);
  const banner = page.getByTestId("merged-banner");
  await expect(banner).toContainText("統合されています", { timeout: 20_000 });
  await expect(banner.getByRole("link")).toHaveAttribute("href", `/cases/${keep}`);

  // Undone from the duplicate's page: two records again.
  await banner.getByRole("button", { name: "統合を取り消す" }).click();
  await expect(page.getByTestId("merged-banner")).toHaveCount(0, { timeout: 20_000 });
  await openApp(page, "/cases");
  await page.locator("#case_query").fill(family);
  await expect(page.getByTestId("people-table").locator("tbody tr")).toHaveCount(2, { timeout: 20_000 });

  // The caseload as CSV for Excel: UTF-8 with BOM, Japanese headings, dates as chosen.
  const link = page.getByTestId("export-csv");
  const csv = await page.request.get((await link.getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  const body = await csv.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = body.toString("utf8");
  expect(text).toContain("氏名");
  expect(text).toContain(`${family} 花子`);
  expect(text).toContain("平成2年");
  await page.locator("#export_dates").selectOption("iso");
  const iso = await page.request.get((await link.getAttribute("href"))!);
  expect((await iso.body()).toString("utf8")).toContain("1990-04-01");

  // 本人開示: everything held, with who read it, for the holding organisation.
  await openApp(page, `/cases/${keep}`);
  const disclosure = page.getByTestId("disclosure-link");
  await expect(disclosure).toBeVisible({ timeout: 20_000 });
  const held = await (await page.request.get((await disclosure.getAttribute("href"))!)).json();
  expect(JSON.stringify(held)).toContain(family);
  expect(JSON.stringify(held)).toContain("person_merge");
  await context.close();
});
