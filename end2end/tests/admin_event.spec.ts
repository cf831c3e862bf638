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

test("registering a tablet that fails for another reason than a field says so, and saves once it can", async ({ page }) => {
  await signIn(page, ACCOUNTS.admin);
  await openApp(page, "/admin");
  const form = page.getByTestId("device-form");
  await form.locator("#event_id").selectOption({ index: 1 });
  await form.locator("#label").fill("受付C");
  // The request never reaches the server (a dropped connection).
  await page.route("**/api/v1/devices", (route) => route.abort("internetdisconnected"));
  await form.getByRole("button", { name: "端末を登録する" }).click();
  await expect(page.getByTestId("device-failed")).toContainText("サーバーに接続できませんでした");
  await expect(page.getByTestId("enrol-code")).toHaveCount(0);
  // What was typed is kept; once the connection is back the same form registers it.
  await page.unroute("**/api/v1/devices");
  await expect(form.locator("#label")).toHaveValue("受付C");
  await form.getByRole("button", { name: "端末を登録する" }).click();
  await expect(page.getByTestId("enrol-code")).toBeVisible();
  await expect(page.getByTestId("device-failed")).toHaveText("");
});
