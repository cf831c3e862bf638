import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, SAME_ORIGIN, inDays, openApp, signIn } from "./app";

// The fair tablet in a noisy hall (issue #14): what a volunteer sees after a wrong entry, after
// recording an outcome, when enrolling, and how the heading wraps.

async function newFair(page: Page, tag: string): Promise<{ eventId: string; code: string }> {
  await signIn(page, ACCOUNTS.city);
  const created = await page.request.post("/api/v1/events", {
    headers: SAME_ORIGIN,
    data: { title: `若者就職面接会${tag}`, kind: "joint_interview", date: inDays(11), venue: "見本市役所 本庁舎 5階 大会議室（東側・第1会場）", target_group: "youth", capacity: "60" },
  });
  expect(created.status()).toBe(201);
  const eventId = (await created.json()).id as string;
  for (const name of [`みほん介護${tag}`, `見本食品${tag}`]) {
    const r = await page.request.post(`/api/v1/events/${eventId}/employers`, { headers: SAME_ORIGIN, data: { name, jobs: "介護職" } });
    expect(r.status()).toBe(201);
  }
  const admin = await page.context().browser()!.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, ACCOUNTS.admin);
  const device = await adminPage.request.post("/api/v1/devices", { headers: SAME_ORIGIN, data: { event_id: eventId, label: "受付C" } });
  expect(device.status()).toBe(201);
  const code = (await device.json()).code as string;
  await admin.close();
  return { eventId, code };
}

test("a volunteer's tablet: errors shown where the eye is, outcomes cleared and named, digits asked for, words kept whole", async ({ browser }) => {
  test.setTimeout(120_000);
  const tag = String(Date.now() % 100000);
  const desk = await (await browser.newContext()).newPage();
  const { code } = await newFair(desk, tag);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  const page = await context.newPage();
  await openApp(page, "/fair");

  // Enrolment asks for digits, with a number pad.
  const enrol = page.getByTestId("enrol-form");
  await expect(enrol).toContainText("数字12桁");
  // Its example code stays on one line (a break at a hyphen reads as two codes).
  const exampleLines = await enrol.locator(".lead").evaluate((p) => {
    const example = "3491-0198-2765";
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n.textContent ?? "").indexOf(example);
      if (at < 0) continue;
      const r = document.createRange();
      r.setStart(n, at);
      r.setEnd(n, at + example.length);
      return new Set([...r.getClientRects()].map((rect) => Math.round(rect.top))).size;
    }
    return 0;
  });
  expect(exampleLines).toBe(1);
  await expect(enrol.locator("#code")).toHaveAttribute("inputmode", "numeric");
  await enrol.locator("#code").fill(code);
  await enrol.getByRole("button", { name: "端末を登録する" }).click();
  await expect(page.getByTestId("tablet-event")).toContainText(`若者就職面接会${tag}`);

  // The heading wraps between its parts, never inside 「市役所」 (portrait, where it must wrap).
  await page.setViewportSize({ width: 800, height: 1280 });
  const heading = page.getByTestId("tablet-event");
  const lines = await heading.evaluate((h) => {
    const text = h.textContent ?? "";
    const at = text.indexOf("市役所");
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    const tops: number[] = [];
    let seen = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const s = n.textContent ?? "";
      for (let i = 0; i < s.length; i++, seen++) {
        if (seen >= at && seen < at + 3) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          tops.push(Math.round(r.getBoundingClientRect().top));
        }
      }
    }
    return { tops, height: h.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(h).lineHeight) || 30 };
  });
  // The heading does wrap at this width (else the check below would say nothing).
  expect(lines.height).toBeGreaterThan(1.5 * lines.lineHeight);
  expect(lines.tops).toHaveLength(3);
  expect(new Set(lines.tops).size, "市役所 on one line").toBe(1);
  await page.setViewportSize({ width: 1280, height: 800 });

  // 確認へ進む on an empty form: every problem at once (the birth date or age group too), the
  // summary scrolled into view and focused.
  await page.getByTestId("tab-walkin").click();
  const form = page.getByTestId("walkin-form");
  await form.getByRole("button", { name: "確認へ進む" }).click();
  const summary = page.getByTestId("walkin-errors");
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary).toBeInViewport();
  await expect(summary).toContainText("生年月日か年代");
  await expect(summary).toContainText("氏");
  // A link in the summary takes the volunteer to the field.
  await summary.getByRole("link").first().click();
  await expect(form.locator("#family_name")).toBeFocused();
  // Every link in it goes somewhere: "a birth date or an age group" lands on the birth date.
  await summary.getByRole("link", { name: /生年月日か年代/ }).click();
  await expect(form.locator("#birth_date")).toBeFocused();

  // Two walk-ins, then outcomes: after 記録する nothing stays chosen, and the notice says who.
  for (const [given, gkana] of [["一子", "イチコ"], ["二子", "ニコ"]]) {
    await form.locator("#family_name").fill("会場");
    await form.locator("#given_name").fill(`${given}${tag}`);
    await form.locator("#family_name_kana").fill("カイジョウ");
    await form.locator("#given_name_kana").fill(gkana);
    await form.getByText("20代", { exact: true }).click();
    await form.getByRole("button", { name: "確認へ進む" }).click();
    await expect(page.getByTestId("walkin-errors")).toHaveCount(0);
    await page.getByTestId("walkin-register").click();
    await expect(page.getByTestId("walkin-done")).toContainText("登録しました");
    await page.getByTestId("walkin-next").click();
  }
  await page.getByTestId("tab-interviews").click();
  await page.locator("#interview-search").fill("かいじょう いちこ");
  await page.getByTestId("interview-people").getByRole("button", { name: `会場 一子${tag}` }).click();
  await page.getByRole("radio", { name: `みほん介護${tag}`, exact: true }).check();
  await page.getByRole("radio", { name: "面接", exact: true }).check();
  await page.getByTestId("interview-record").click();
  const notice = page.getByTestId("interview-notice");
  await expect(notice).toContainText(`会場 一子${tag}さん — みほん介護${tag}：「面接」を記録しました`);
  await expect(page.getByTestId("interview-chosen")).toContainText("—");
  await expect(page.getByRole("radio", { name: `みほん介護${tag}`, exact: true })).not.toBeChecked();
  await expect(page.getByRole("radio", { name: "面接", exact: true })).not.toBeChecked();
  await expect(page.locator("#interview-search")).toHaveValue("");
  // Recording again without choosing anyone is refused, not written to the last person.
  await page.getByRole("radio", { name: `見本食品${tag}`, exact: true }).check();
  await page.getByRole("radio", { name: "面接", exact: true }).check();
  await page.getByTestId("interview-record").click();
  await expect(notice).toContainText("入力内容");
  await expect(page.getByTestId("interview-list").locator("li")).toHaveCount(1);
  await context.close();
});
