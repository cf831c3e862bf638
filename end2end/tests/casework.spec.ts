import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, openApp, signIn, signInByForm } from "./app";

/** With SHOTS_DIR set, the case's screens are kept for the docs at the two sizes staff use. */
async function shots(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  for (const [size, width, height] of [["desktop", 1366, 900], ["portrait", 800, 1280]] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${dir}/${name}-${size}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

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
  test.setTimeout(180_000);
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
  // The intake details: sex, household (a single mother, children of 13 and 3), how she came.
  await form.locator("#sex").selectOption({ label: "女性" });
  await form.locator("#phone").fill("０４－２９９８－０１２３");
  await form.locator("#address").fill("並木一丁目");
  await form.locator("#household").selectOption({ label: "ひとり親と子" });
  await form.locator("#household_size").fill("３");
  await form.locator("#children_ages").fill("13、3歳");
  await form.getByTestId("other-categories").getByLabel("その他の生活困窮者").check();
  await form.locator("#came_via").selectOption({ label: "福祉の窓口から" });
  await form.getByRole("button", { name: "保存" }).click();
  await expect(form.getByRole("status")).toContainText("この端末に保存しました");
  const row = city.getByTestId("people-table").getByRole("row").filter({ hasText: family });
  await row.getByRole("button", { name: "同意を記録する" }).click();
  await row.getByTestId("consent-form").locator("#document_no").fill("R8-0777");
  await row.getByTestId("consent-form").locator("#granted_on").fill("令和8年4月1日");
  await row.getByTestId("consent-form").getByRole("button", { name: "同意を記録する" }).click();
  await expect(row).toContainText("同意あり（R8-0777）");
  // Search before create: typing the reading in half-width kana shows the person already here.
  await form.locator("#family_name_kana").fill("ﾚﾝｹｲ");
  const likely = city.getByTestId("likely-existing");
  await expect(likely).toContainText(family);
  await expect(likely).toContainText("レンケイ ヨウコ");
  await form.locator("#family_name_kana").fill("");
  // The list finds her by reading in hiragana, or by birth date in 和暦.
  await city.locator("#case_query").fill("れんけい　ようこ");
  await expect(city.getByTestId("people-table").getByRole("row").filter({ hasText: family })).toHaveCount(1);
  await city.locator("#case_query").fill("平成4年5月6日");
  await expect(city.getByTestId("people-table")).toContainText(family);
  await city.locator("#case_query").fill("");
  const href = await row.getByRole("link", { name: "ケースを開く" }).getAttribute("href");
  const id = href!.split("/").pop()!;

  // The city writes the childcare note on the person's page.
  await openCase(city, id, family);
  const details = city.getByTestId("intake-details");
  await expect(details).toContainText("女性");
  await expect(details).toContainText("ひとり親と子、3人、子どもの年齢（13・3歳）");
  await expect(details).toContainText("0429980123");
  await expect(details).toContainText("その他の生活困窮者");
  await expect(details).toContainText("福祉の窓口から");
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
  await expect(city.getByTestId("case-status")).toHaveText("受付");
  // A note is never rewritten: a correction is a new note that points to it.
  await timeline.locator("[data-kind=note]").getByRole("button", { name: "訂正を書く" }).click();
  await expect(note.getByTestId("correcting")).toBeVisible();
  await note.locator("#body").fill("訂正: 一時保育は週4日（月・火・木・金）。");
  await note.getByRole("button", { name: "保存する" }).click();
  await expect(timeline.locator("[data-kind=note]")).toHaveCount(2);
  await expect(timeline.locator("[data-kind=note]").nth(1)).toContainText("次の記録の訂正");
  await expect(note.getByTestId("correcting")).toHaveCount(0);

  // The assessment: challenges across welfare and work, conditions, the last job.
  await city.getByText("アセスメントを記録").click();
  const assessment = city.getByTestId("assessment-form");
  await assessment.getByLabel("育児・保育").check();
  await assessment.locator("#challenge_notes").fill("子ども13歳・3歳。保育先がない。収入が確保できれば職種は問わない。");
  await assessment.locator("#desired_jobs").fill("未定（過去: 調理補助、販売）");
  await assessment.getByLabel("夜勤不可").check();
  await assessment.locator("#commute_means").selectOption({ label: "自転車" });
  await assessment.locator("#commute_minutes").fill("２０");
  await assessment.locator("#last_employment_type").selectOption({ label: "パート・アルバイト" });
  await assessment.locator("#last_job_months").fill("6");
  await assessment.getByRole("button", { name: "保存する" }).click();
  await expect(city.getByTestId("assessment")).toContainText("夜勤不可・自転車・20分以内");
  await expect(city.getByTestId("case-status")).toHaveText("アセスメント");

  // The plan: A nursing assistant, B home-helper training; A followed; steps by both sides.
  await city.getByText("プランを作る").click();
  const plan = city.getByTestId("plan-form");
  await plan.locator("#goal").fill("夜勤のない仕事で生活を安定させる");
  await plan.locator("#plan_a").fill("看護助手（資格不要）。自転車圏内、院内保育のある病院を優先。");
  await plan.locator("#plan_b").fill("ホームヘルパー2級の職業訓練を受け、介護職へ。");
  await plan.locator("input[name=step_text_0]").fill("一時保育の調整（週4日）");
  await plan.locator("select[name=step_owner_0]").selectOption({ label: "市" });
  await plan.getByRole("button", { name: "手順を追加" }).click();
  await plan.locator("input[name=step_text_1]").fill("病院の求人を紹介");
  await plan.locator("select[name=step_owner_1]").selectOption({ label: "ハローワーク" });
  await plan.locator("input[name=step_due_1]").fill("令和9年1月10日");
  await plan.getByRole("button", { name: "保存する" }).click();
  const planPanel = city.getByTestId("plan");
  await expect(planPanel.locator("[data-current=true]")).toContainText("第1版");
  await expect(planPanel.locator("[data-current=true]")).toContainText("実施中");
  await expect(city.getByTestId("case-status")).toHaveText("支援中");
  await expect(city.getByTestId("next-due")).toContainText("病院の求人を紹介・ハローワーク");
  // A change is a new version; the first stays readable.
  await city.getByText("新しい版を作る").click();
  await city.getByTestId("plan-form").locator("#plan_b").fill("ホームヘルパー2級の職業訓練（4月開講）を受け、介護職へ。");
  await city.getByTestId("plan-form").getByRole("button", { name: "保存する" }).click();
  await expect(planPanel.locator("[data-current=true]")).toContainText("第2版");
  await planPanel.getByText("過去の版").click();
  await expect(planPanel.locator("[data-version='1']")).toContainText("ホームヘルパー2級の職業訓練を受け");
  await synced(city);

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
  // The placement is recorded with the Hello Work laptop offline, and sent when it reconnects.
  await hwContext.setOffline(true);
  await expect(hw.getByTestId("sync-status")).toHaveAttribute("data-online", "false");
  await hw.getByText("就職を記録").click();
  const placement = hw.getByTestId("placement-form");
  // She started four weeks ago: the 1-month follow-up falls due this week.
  const started = new Date(Date.now() + 9 * 3_600_000 - 28 * 86_400_000).toISOString().slice(0, 10);
  await placement.locator("#placed_on").fill(started);
  await placement.locator("#employer").fill("市立みなと病院");
  await placement.locator("#job_title").fill("看護助手");
  await placement.locator("#employment_type").selectOption({ label: "正社員" });
  await placement.locator("#route").selectOption({ label: "紹介就職" });
  await placement.locator("#referral_id").selectOption({ index: 1 });
  await placement.locator("#conditions").fill("夜勤免除・院内保育を利用");
  await placement.getByRole("button", { name: "保存する" }).click();
  await expect(hw.getByTestId("timeline")).toContainText("正社員 ・ 紹介就職");
  await expect(due).toContainText("定着支援（1か月）");
  await expect(hw.getByTestId("case-status")).toHaveText("就職");
  await expect(hw.getByTestId("timeline").locator("[data-kind=placement] [data-saved=device]")).toHaveCount(1);
  await hwContext.setOffline(false);
  await synced(hw);
  await expect(hw.getByTestId("timeline").locator("[data-kind=placement] [data-saved=server]")).toHaveCount(1);
  // The clerk who recorded the placement finds the follow-up on the start page.
  await openApp(hw, "/");
  const mine = hw.getByTestId("my-follow-ups");
  await expect(mine).toContainText(family, { timeout: 20_000 });
  await expect(mine).toContainText("定着支援（1か月）");

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
  // A note of the visit, offline too.
  const visit = city.getByTestId("note-form");
  await visit.locator("#note_type").selectOption({ label: "同行" });
  await visit.locator("#job_role").selectOption({ label: "就労支援員" });
  await visit.locator("#body").fill("職場訪問に同行。上司から勤務態度良好と聞く。");
  await visit.getByRole("button", { name: "保存する" }).click();
  await expect(city.getByTestId("timeline").locator("[data-kind=note] [data-saved=device]")).toHaveCount(1);
  await cityContext.setOffline(false);
  await synced(city);
  await expect(city.getByTestId("timeline").locator("[data-kind=follow_up] [data-saved=server]")).toHaveCount(1);
  await expect(city.getByTestId("timeline").locator("[data-kind=note] [data-saved=device]")).toHaveCount(0);
  await expect(city.getByTestId("timeline")).toContainText("職場訪問に同行");
  await expect(city.getByTestId("case-status")).toHaveText("定着支援");

  // The anonymised success story: refused once for containing the name, fixed, approved by a
  // manager, printed on A4.
  await city.getByText("成功例の下書きを作る").click();
  const story = city.getByTestId("story-form");
  await story.locator("#story_sex").selectOption({ label: "女性" });
  await expect(story.locator("#story_age_band")).toHaveValue("30");
  await story.locator("#story_household").fill("子ども2人（13歳・3歳）");
  await expect(story.locator("#story_challenges")).toHaveValue(/保育先がない/);
  await story.locator("#story_challenges").fill(`${family}さんは子ども13歳・3歳の育児中で保育先がなく、就職活動が難しい。`);
  await story.locator("#story_remarks").fill("保育と職業紹介を同時に進めたことが早期の就職につながった。");
  await story.getByRole("button", { name: "保存する" }).click();
  await expect(story.locator("#story_challenges-error")).toContainText("本人が分かる情報");
  await story.locator("#story_challenges").fill("子ども13歳・3歳の育児中で保育先がなく、就職活動が難しい。");
  await story.getByRole("button", { name: "保存する" }).click();
  const stories = city.getByTestId("stories");
  await expect(stories.locator("li[data-approved=false]")).toHaveCount(1);
  await expect(stories.getByRole("button", { name: "承認する" })).toHaveCount(0);
  await synced(city);
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signInByForm(manager, { login: "demo.manager", password: "mihon-kacho-2026" });
  await openCase(manager, id, family);
  await manager.getByTestId("stories").getByRole("button", { name: "承認する" }).click();
  await expect(manager.getByTestId("stories").locator("li[data-approved=true]")).toHaveCount(1);
  await synced(manager);
  await manager.getByTestId("stories").getByRole("link", { name: "A4で表示" }).click();
  const a4 = manager.getByTestId("a4-story");
  await expect(a4).toContainText("女性・30代・子ども2人（13歳・3歳）");
  await expect(a4).toContainText("看護助手");
  await expect(a4).toContainText("見本 管理職 承認");
  await expect(a4).not.toContainText(family);
  await shots(manager, "story-a4");
  const pdf = await manager.pdf({ format: "A4" });
  if (process.env.SHOTS_DIR) {
    await openCase(manager, id, family);
    await manager.getByTestId("plan").getByText("過去の版").click();
    await shots(manager, "case-page");
  }
  expect(pdf.byteLength).toBeGreaterThan(10_000);
  await managerContext.close();

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
  await expect(hw.getByText("この相談者は見つからないか")).toBeVisible({ timeout: 20_000 });
  await expect(hw.locator("#case-name")).toHaveCount(0);

  for (const c of [cityContext, hwContext]) await c.close();
  void signIn;
});
