import { expect, test } from "@playwright/test";
import { ACCOUNTS, openApp, signIn } from "./app";

test("an administrator's event page shows only what the role may use and causes no refusals", async ({ page }) => {
  await signIn(page, ACCOUNTS.admin);
  const me = await (await page.request.get("/api/v1/auth/me")).json();
  const events = (await (await page.request.get("/api/v1/events")).json()).events as { id: string }[];
  expect(events.length).toBeGreaterThan(0);
  const refusals = async () =>
    (await (await page.request.get(`/api/v1/audit?actor=staff:${me.staff_id}&outcome=denied&limit=500`)).json()).entries.length;
  const before = await refusals();

  const asked: string[] = [];
  page.on("request", (r) => asked.push(new URL(r.url()).pathname));
  await openApp(page, `/events/${events[0].id}`);
  await expect(page.getByTestId("event-title")).toBeVisible();
  await expect(page.getByTestId("event-admin-note")).toContainText("管理 → 面接会の端末");
  await expect(page.getByTestId("fair-counts")).toHaveCount(0);
  await expect(page.getByTestId("import-form")).toHaveCount(0);
  await page.waitForTimeout(1_500);
  expect(asked.filter((p) => /\/(counts|duplicates|participants)$/.test(p))).toEqual([]);
  expect(await refusals()).toBe(before);

  // The events list offers no form the role cannot submit.
  await openApp(page, "/events");
  await expect(page.getByTestId("event-form")).toHaveCount(0);
});
