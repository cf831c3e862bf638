import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, openApp, signIn, signInByForm } from "./app";

/** Waits until this page's device has sent everything and finished syncing. */
async function synced(page: Page): Promise<void> {
  await expect(page.getByTestId("sync-waiting")).toHaveText("0", { timeout: 20_000 });
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-running", "false");
}

/** Opens the person's page and waits until this device holds the case. */
async function openCase(page: Page, id: string, family: string): Promise<void> {
  await openApp(page, `/cases/${id}`);
  await expect(page.locator("#case-name")).toContainText(family, { timeout: 20_000 });
}

test("a case from intake to a placement that lasts, by both organisations, a note offline", async ({ browser }) => {
  const family = `連携${Date.now() % 100000}`;
  const cityContext = await browser.newContext();
  const city = await cityContext.newPage();
  await signInByForm(city, ACCOUNTS.city);
  await openApp(city, "/cases");
  const form = city.getByTestId("intake-form");
  await form.locator("#family_name").fill(family);
  await form.locator("#given_name").fill("陽子");
  await form.locator("#family_name_kana").fill("れんけい");
  await form.locator("#given_name_kana").fill("ﾖｳｺ");
  await form.locator("#birth_date").fill("平成4年5月6日");
  await form.locator("#category").selectOption("single_mothers");
  await form.getByRole("button", { name: "登録する" }).click();
  const row = city.getByTestId("people-table").getByRole("row").filter({ hasText: family });
  await row.getByRole("button", { name: "同意を記録する" }).click();
  await row.getByTestId("consent-form").locator("#document_no").fill("R8-0777");
  await row.getByTestId("consent-form").locator("#granted_on").fill("令和8年4月1日");
  await row.getByTestId("consent-form").getByRole("button", { name: "同意を記録する" }).click();
  await expect(row).toContainText("同意あり（R8-0777）");
  const href = await row.getByRole("link", { name: "ケースを開く" }).getAttribute("href");
  const id = href!.split("/").pop()!;

  // The city writes the childcare note on the person's page.
  await openCase(city, id, family);
  const note = city.getByTestId("note-form");
  await note.locator("#note_type").selectOption({ label: "保育調整" });
  await note.locator("#job_role").selectOption({ label: "就労支援員" });
  await expect(note.locator("#job_role option", { hasText: "職業相談員" })).toHaveCount(0);
  await note.locator("#body").fill("近くの保育園の一時保育を週4日で調整。認可外の空きも確認中。");
  await note.getByRole("button", { name: "保存する" }).click();
  const timeline = city.getByTestId("timeline");
  await expect(timeline).toContainText("保育調整");
  await expect(timeline).toContainText(ACCOUNTS.city.name);
  await synced(city);
  await expect(timeline.locator("[data-saved=server]")).toHaveCount(1);

  // Hello Work sees the case (consent), refers, records the result and the placement.
  const hwContext = await browser.newContext();
  const hw = await hwContext.newPage();
  await signInByForm(hw, ACCOUNTS.helloWork);
  await openCase(hw, id, family);
  await expect(hw.getByTestId("timeline")).toContainText("一時保育");
  await hw.getByText("職業紹介を記録").click();
  const referral = hw.getByTestId("referral-form");
  await referral.locator("#employer").fill("市立みなと病院");
  await referral.locator("#job_title").fill("看護助手");
  await referral.locator("#job_no").fill("１３０１０－１２３４５６７８");
  await referral.getByRole("button", { name: "保存する" }).click();
  const due = hw.getByTestId("next-due");
  await expect(due).toContainText("結果待ち");
  await due.getByRole("button", { name: "結果を更新" }).click();
  await due.getByTestId("referral-result-form").locator("#referral_result").selectOption({ label: "採用" });
  await due.getByTestId("referral-result-form").getByRole("button", { name: "保存する" }).click();
  await expect(hw.getByTestId("timeline")).toContainText("採用");
  await hw.getByText("就職を記録").click();
  const placement = hw.getByTestId("placement-form");
  await placement.locator("#employer").fill("市立みなと病院");
  await placement.locator("#job_title").fill("看護助手");
  await placement.locator("#employment_type").selectOption({ label: "正社員" });
  await placement.locator("#route").selectOption({ label: "紹介就職" });
  await placement.locator("#referral_id").selectOption({ index: 1 });
  await placement.locator("#conditions").fill("夜勤免除・院内保育を利用");
  await placement.getByRole("button", { name: "保存する" }).click();
  await expect(hw.getByTestId("timeline")).toContainText("正社員 ・ 紹介就職");
  await expect(due).toContainText("定着支援（1か月）");
  await synced(hw);

  // The city records the 1-month follow-up — first offline on its laptop, then synced.
  await openCase(city, id, family);
  await expect(city.getByTestId("timeline")).toContainText("看護助手", { timeout: 20_000 });
  await cityContext.setOffline(true);
  await expect(city.getByTestId("sync-status")).toHaveAttribute("data-online", "false");
  const cityDue = city.getByTestId("next-due");
  await cityDue.getByRole("button", { name: "定着支援を記録" }).first().click();
  const followUp = cityDue.getByTestId("follow-up-form").first();
  await followUp.locator("#follow_up_result").selectOption({ label: "就労継続" });
  await followUp.locator("#remarks").fill("夜勤なしで勤務継続。保育も順調。");
  await followUp.getByRole("button", { name: "保存する" }).click();
  await expect(city.getByTestId("timeline").locator("[data-kind=follow_up] [data-saved=device]")).toHaveCount(1);
  await expect(cityDue).toContainText("定着支援（3か月）");
  await cityContext.setOffline(false);
  await synced(city);
  await expect(city.getByTestId("timeline").locator("[data-kind=follow_up] [data-saved=server]")).toHaveCount(1);

  // Withdrawing consent asks for the day and the reason; the history stays.
  const history = city.getByTestId("consent-history");
  await history.getByRole("button", { name: "同意を撤回する" }).click();
  const withdraw = history.getByTestId("withdraw-form");
  await withdraw.getByRole("button", { name: "撤回を記録する" }).click();
  await expect(withdraw.locator("#withdrawal_reason-error")).toContainText("撤回の理由");
  await withdraw.locator("#withdrawal_reason").fill("本人の申し出（電話）");
  await withdraw.getByRole("button", { name: "撤回を記録する" }).click();
  await expect(history).toContainText("本人の申し出（電話）");
  await expect(history).toContainText("R8-0777");

  // Hello Work no longer sees the case, its own entries included.
  const api = await hw.request.get(`/api/v1/people/${id}`);
  expect(api.status()).toBe(404);
  await openApp(hw, `/cases/${id}`);
  await expect(hw.getByRole("alert")).toContainText("見つからないか", { timeout: 20_000 });

  for (const c of [cityContext, hwContext]) await c.close();
  void signIn;
});
