import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, openApp, signIn } from "./app";

// The server runs with --demo-history: the seed's 平成23–24年度 records (see
// server/src/demo_history.rs), so the reports can be checked against the seed's figures.

const MANAGER = { login: "demo.manager", password: "mihon-kacho-2026" };
const SEED = "/reports?fiscal_year=2012&as_of=2012-09-30";

async function shot(page: Page, name: string, width: number, height: number): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  await page.setViewportSize({ width, height });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("the dashboard and the council report show the seed's figures as of 平成24年9月末", async ({ page }) => {
  await signIn(page, ACCOUNTS.city);
  await openApp(page, SEED);
  await expect(page.getByTestId("report-heading")).toHaveText("平成24年度（2012年度） 平成24年9月末時点");
  const placements = page.locator('[data-metric="placements"]');
  await expect(placements.getByTestId("actual")).toHaveText("83人");
  await expect(placements).toContainText("目標 102人");
  await expect(placements.getByTestId("rate")).toHaveText("81.4%");
  await expect(placements.getByTestId("needed")).toHaveText("3.2人");
  await expect(placements.getByTestId("forecast")).toHaveText("166人");
  await expect(placements.getByTestId("previous")).toHaveText("75人（目標 36人）");
  await expect(page.locator('[data-metric="referral_placements"]').getByTestId("actual")).toHaveText("57人");
  await expect(page.locator('[data-metric="fair_participants"]').getByTestId("actual")).toHaveText("31人");
  await expect(page.locator('[data-metric="fair_referral_placements"]').getByTestId("actual")).toHaveText("5人");
  // Each figure says what it counts.
  await expect(placements).toContainText("同じ人が2回就職すれば2件");
  // The charts are images with a title, and their numbers are in tables beside them.
  await expect(page.getByRole("img", { name: /就職者数の累計/ })).toBeVisible();
  const months = page.getByTestId("months").getByRole("row");
  await expect(months).toHaveCount(7);
  await expect(months.last()).toContainText("83");
  await expect(page.getByTestId("referral-share")).toHaveText("68.7%");
  // The summer fair's funnel: stages include the later ones, and the card agrees with it.
  const summer = page.getByTestId("event-funnel").getByRole("row").filter({ hasText: "7月25日" });
  await expect(summer).toContainText("31");
  await expect(summer.getByRole("cell").last()).toHaveText("5");
  await expect(page.getByTestId("event-funnel")).toContainText("内定（採用を含む）");
  await shot(page, "reports-dashboard-desktop", 1366, 900);

  // The same figures as CSV for Excel.
  const csv = await page.request.get("/api/v1/reports/progress.csv?fiscal_year=2012&as_of=2012-09-30");
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain("生活困窮者に対する就職支援,就職者数,102,83,81.4%,3.2,166,36,75");

  // The council report, laid out like the corner's own.
  await page.getByRole("link", { name: "運営協議会への報告" }).click();
  await expect(page).toHaveURL(/\/reports\/council\?fiscal_year=2012&as_of=2012-09-30/);
  const report = page.getByTestId("council-report");
  const headings = report.locator("table.council thead th");
  await expect(headings).toHaveText(["事業", "平成24年度事業目標", "取組状況（平成24年9月末時点）"]);
  const support = report.locator('tr[data-program="job_support"]');
  await expect(support).toContainText("◇102人以上の就職（うち74人以上が紹介就職）");
  await expect(support).toContainText("83人（57人）");
  await expect(support).toContainText("（参考）平成23年度目標（平成23年9月～平成24年3月）");
  await expect(support).toContainText("◇36人以上の就職（うち24人以上が紹介就職）");
  await expect(support).toContainText("◇75人の就職（うち54人が紹介就職）");
  const fairs = report.locator('tr[data-program="youth_fairs"]');
  await expect(fairs).toContainText("◇面接会を3回開催予定");
  await expect(fairs).toContainText("◇7月25日　31人　5人");
  await expect(fairs).toContainText("※11月、2月にも開催予定");
  await expect(fairs).toContainText("参加者：延べ106人、紹介就職：9人");
  const events = report.locator('tr[data-program="events"]');
  await expect(events).toContainText("若年者向け合同面接会 計3回開催");
  await expect(events).toContainText("支援対象者全般向け合同面接会 計2回開催");
  // The requests of the year, the one pending past its due date marked as such.
  const overdue = report.getByTestId("requests").locator('tr[data-overdue="true"]');
  await expect(overdue).toHaveCount(1);
  await expect(overdue).toContainText("若年者面接会の参加事業所の拡大");
  await shot(page, "council-report-desktop", 1366, 900);
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.byteLength).toBeGreaterThan(10_000);
  if (process.env.SHOTS_DIR) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${process.env.SHOTS_DIR}/../council-report.pdf`, pdf);
  }
  await page.emulateMedia({ media: "screen" });

  // A day typed in 和暦 moves the report; an impossible one is named.
  await page.locator("#as_of").fill("令和元年5月31日");
  await page.getByRole("button", { name: "表示する" }).click();
  await expect(page).toHaveURL(/fiscal_year=2019&as_of=2019-05-31/);
  await expect(headings.nth(1)).toHaveText("令和元年度事業目標");
  await page.locator("#as_of").fill("9月31日");
  await page.getByRole("button", { name: "表示する" }).click();
  await expect(page.locator("#as_of-error")).toContainText("時点");
});

test("a manager sets a target, the change is kept, and a clerk can only read it", async ({ browser }) => {
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, MANAGER);
  await openApp(manager, "/reports/plan?fiscal_year=2027");
  await manager.getByLabel("就職者数").fill("百人");
  await manager.getByRole("button", { name: "目標を保存" }).click();
  await expect(manager.locator("#placements-error")).toContainText("就職者数");
  // A target this run has not used (the test may run again on the same database).
  const target = 100 + (Date.now() % 800);
  const wide = String(target).replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  await manager.getByLabel("就職者数").fill(`${wide}人`);
  await manager.getByLabel("セミナー").fill("2");
  await manager.getByRole("button", { name: "目標を保存" }).click();
  await expect(manager.getByRole("status")).toHaveText("保存しました。");
  const history = manager.getByTestId("plan-history");
  await expect(history.getByRole("row").filter({ hasText: "就職者数" }).first()).toContainText(`→ ${target}`);
  await expect(history).toContainText("見本 管理職");
  await managerContext.close();

  const clerkContext = await browser.newContext();
  const clerk = await clerkContext.newPage();
  await signIn(clerk, ACCOUNTS.city);
  await openApp(clerk, "/reports/plan?fiscal_year=2027");
  await expect(clerk.getByLabel("就職者数")).toHaveValue(String(target));
  await expect(clerk.getByText("目標の変更は管理職が行います。")).toBeVisible();
  await expect(clerk.getByRole("button", { name: "目標を保存" })).toHaveCount(0);
  await clerkContext.close();
});

test("a request past its due date is highlighted, and a meeting keeps its report", async ({ page }) => {
  await signIn(page, MANAGER);
  await openApp(page, "/reports/requests");
  const subject = `面接会の会場確保 ${Date.now()}`;
  await page.locator("#asked_by").selectOption("labour_bureau");
  await page.locator("#subject").fill(subject);
  await page.locator("#asked_on").fill("令和8年10月1日");
  await page.locator("#due_on").fill("令和8年10月31日");
  await page.locator("#status").selectOption("in_progress");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByRole("status")).toHaveText("保存しました。");
  const row = page.getByTestId("requests").getByRole("row").filter({ hasText: subject });
  await expect(row).toHaveAttribute("data-overdue", "true");
  await expect(row).toContainText("期限超過");
  await expect(row).toContainText("労働局長（労働局） → 市長（市）");
  // Opened again to change it, the form shows what was saved — the choices too, after the
  // clerk had picked them by hand (a select shown as 「選択」 while it held the saved side).
  await row.getByRole("button", { name: "編集" }).click();
  // The last save's 「保存しました。」 is not left standing over the edit that has not been saved.
  await expect(page.getByRole("heading", { name: "要望を編集する" })).toBeVisible();
  await expect(page.locator(".request-form").getByRole("status")).toHaveCount(0);
  await expect(page.locator("#asked_by")).toHaveValue("labour_bureau");
  await expect(page.locator("#status")).toHaveValue("in_progress");
  await page.getByRole("button", { name: "取り消す" }).click();
  await expect(page.locator("#asked_by")).toHaveValue("");
  await expect(page.locator("#status")).toHaveValue("open");

  await openApp(page, "/reports/meetings");
  await page.locator("#held_on").fill("令和8年11月20日");
  await page.locator("#members").fill("市長（会長）\n労働局長\n労使団体代表");
  await page.getByRole("button", { name: "記録して報告を保存する" }).click();
  await expect(page.getByRole("status")).toContainText("記録しました。");
  await page.getByTestId("meetings").getByRole("link").first().click();
  await expect(page.getByRole("note")).toContainText("提出したときの数字の写し");
  await expect(page.getByTestId("council-report")).toContainText("取組状況（令和8年10月末時点）");
  await expect(page.getByTestId("council-report")).toContainText(subject);
});
