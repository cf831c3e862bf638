import { expect, test } from "@playwright/test";
import { ACCOUNTS, openApp, signIn } from "./app";

test("intake at the counter, consent, and the audit log shows who did what", async ({ browser }) => {
  const family = `監査${Date.now() % 100000}`;

  // City counter staff register a person and record the signed consent form.
  const cityContext = await browser.newContext();
  const city = await cityContext.newPage();
  await signIn(city, ACCOUNTS.city);
  await openApp(city, "/cases");
  const form = city.getByTestId("intake-form");
  await form.locator("#family_name").fill(family);
  await form.locator("#given_name").fill("花子");
  await form.locator("#family_name_kana").fill("かんさ");
  await form.locator("#given_name_kana").fill("ﾊﾅｺ");
  await form.locator("#birth_date").fill("平成3年4月12日");
  await form.locator("#category").selectOption({ label: "母子家庭の母" });
  await form.getByRole("button", { name: "保存" }).click();
  // One intake, online and offline: it says where the entry is.
  await expect(form.getByRole("status")).toContainText("この端末に保存しました");
  const row = city.getByTestId("people-table").getByRole("row").filter({ hasText: family });
  await expect(row).toContainText("カンサ ハナコ");
  await expect(row).toContainText("平成3年4月12日");
  await expect(row).toContainText("同意なし");
  // The list's search compares names by NFKC, in the browser through its own normalisation:
  // the number typed full-width finds the name written with ASCII digits; another does not.
  const wide = family.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  const search = city.locator("#case_query");
  await search.fill(wide);
  await expect(city.getByTestId("people-table").getByRole("row").filter({ hasText: family })).toHaveCount(1);
  await search.fill(`${wide}０`);
  await expect(city.getByTestId("people-table").getByRole("row").filter({ hasText: family })).toHaveCount(0);
  await search.fill("");

  // Hello Work cannot see the case yet.
  const hwContext = await browser.newContext();
  const hw = await hwContext.newPage();
  await signIn(hw, ACCOUNTS.helloWork);
  let seen = await (await hw.request.get("/api/v1/people")).json();
  expect(seen.people.some((p: { family_name: string }) => p.family_name === family)).toBe(false);

  await row.getByRole("button", { name: "同意を記録する" }).click();
  const consent = row.getByTestId("consent-form");
  await consent.locator("#document_no").fill("R8-0099");
  await consent.locator("#granted_on").fill("令和8年4月1日");
  await consent.getByRole("button", { name: "同意を記録する" }).click();
  await expect(city.getByTestId("people-table").getByRole("row").filter({ hasText: family })).toContainText("同意あり（R8-0099）");

  // Now Hello Work sees it.
  seen = await (await hw.request.get("/api/v1/people")).json();
  expect(seen.people.some((p: { family_name: string }) => p.family_name === family)).toBe(true);

  // The administrator finds who did what with this person: names and Japanese labels, only
  // this person's entries, and the same view as a CSV file.
  const personId = (seen.people as { id: string; family_name: string }[]).find((p) => p.family_name === family)!.id;
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ACCOUNTS.admin);
  await openApp(admin, "/admin");
  const filter = admin.getByTestId("audit-filter");
  await filter.locator("#subject").fill(personId);
  await filter.getByRole("button", { name: "この条件で表示" }).click();
  const audit = admin.getByTestId("audit-table");
  await expect(audit).toContainText("同意の記録");
  await expect(audit).toContainText("登録");
  await expect(audit).toContainText(ACCOUNTS.city.name);
  await expect(audit).not.toContainText("consent_grant");
  const subjects = await audit.locator("tbody tr td:nth-child(5)").allTextContents();
  expect(subjects.length).toBeGreaterThan(1);
  for (const s of subjects) expect(s).toContain(personId);
  const href = await filter.getByTestId("audit-export").getAttribute("href");
  expect(href).toContain(`subject=${personId}`);
  const csv = await (await admin.request.get(href!)).text();
  expect(csv).toContain("同意の記録");
  expect(csv).toContain(ACCOUNTS.city.name);
  await admin.getByRole("button", { name: "改ざんを検査する" }).click();
  await expect(admin.getByTestId("audit-verification")).toContainText("監査ログの連鎖は正常です。");

  for (const c of [cityContext, hwContext, adminContext]) await c.close();
});
