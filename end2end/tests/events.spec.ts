import { expect, test } from "@playwright/test";
import { ACCOUNTS, EventsPage, signIn } from "./app";

test.beforeEach(async ({ page }) => {
  await signIn(page, ACCOUNTS.city);
});

test("a clerk registers an event and still sees it after a reload", async ({ page }) => {
  const events = new EventsPage(page);
  await events.open();
  const title = `職場見学会 E2E ${Date.now()}`;

  await events.fill({
    title,
    kind: "職場見学会",
    date: "令和9年1月20日",
    venue: "見本市立 つばさ介護センター",
    target: "若年者",
  });
  // The typed 和暦 date is read back before saving.
  await expect(page.getByTestId("date-reads-as")).toHaveText(
    "読み取った日付: 令和9年（2027年）1月20日（水）",
  );
  await events.submit();
  await expect(page.getByRole("status")).toHaveText("保存しました。");
  await expect(events.table()).toContainText(title);

  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const row = events.table().getByRole("row").filter({ hasText: title });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("令和9年（2027年）1月20日（水）");
  await expect(row).toContainText("見本市立 つばさ介護センター");
  await expect(row).toContainText("職場見学会");
});

test("an incomplete form names every missing field and saves nothing", async ({ page }) => {
  const request = page.request;
  const before = (await (await request.get("/api/v1/events")).json()).events.length;
  const events = new EventsPage(page);
  await events.open();
  await events.form().locator("#title").fill("セミナー（日付なし）");
  await events.form().locator("#date").fill("令和8年2月30日");
  await events.submit();

  await expect(page.getByRole("alert").first()).toHaveText("入力内容を確認してください。");
  await expect(page.locator("#kind-error")).toHaveText("種類を一覧から選んでください。");
  await expect(page.locator("#date-error")).toHaveText("開催日: その日付は存在しません。");
  await expect(page.locator("#venue-error")).toHaveText("会場を入力してください。");
  await expect(page.locator("#target_group-error")).toHaveText("対象者を一覧から選んでください。");
  await expect(page.locator("#date")).toHaveAttribute("aria-invalid", "true");
  // What was typed stays in the form.
  await expect(page.locator("#title")).toHaveValue("セミナー（日付なし）");

  const after = (await (await request.get("/api/v1/events")).json()).events.length;
  expect(after).toBe(before);
});
