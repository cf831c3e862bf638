import { expect, test } from "@playwright/test";
import { ACCOUNTS, signIn } from "./app";

// A part of the app's code that cannot be fetched (a connection that drops between two pages)
// stops the page: it must say so, in the page's language, with a way to reload — not freeze.

test("a page whose code could not be fetched says it stopped and offers to reload", async ({ browser }) => {
  // No service worker: its cache would answer for the network.
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  await signIn(page, ACCOUNTS.city);
  await page.goto("/events");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("#app-stopped")).toHaveCount(0);

  // The counter's code is not loaded yet; the connection drops for it.
  await page.route(/\/pkg\/split_counter_area_[^/]*\.wasm$/, (route) => route.abort("internetdisconnected"));
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.getByRole("link", { name: "窓口・ケース" }).click();

  const notice = page.getByRole("alert").filter({ hasText: "画面を続けられなくなりました" });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("保存済みの内容はこの端末に残っています");
  expect(errors.length).toBeGreaterThan(0); // the stop itself is reported, as before

  // With the connection back, the link loads the page the person was on, live again, and the
  // counter opens.
  await page.unroute(/\/pkg\/split_counter_area_[^/]*\.wasm$/);
  await notice.getByRole("link", { name: "再読み込みする" }).click();
  await expect(page).toHaveURL(/\/events$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("#app-stopped")).toHaveCount(0);
  await page.getByRole("link", { name: "窓口・ケース" }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.getByTestId("people-table")).toBeVisible();
  await expect(page.locator("#app-stopped")).toHaveCount(0);
  await context.close();
});

test("a tablet whose module could not be fetched says so instead of loading for ever", async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  const tabletWasm = /\/pkg\/tablet\.[^/]*\.wasm$/;
  await page.route(tabletWasm, (route) => route.abort("internetdisconnected"));
  await page.goto("/fair");
  const notice = page.getByTestId("tablet-not-loaded");
  await expect(notice).toHaveAttribute("role", "alert");
  await expect(notice).toContainText("画面を読み込めませんでした");
  await expect(page.getByTestId("enrol-form")).toHaveCount(0);

  // With the connection back, the link loads the page again and the enrolment form opens.
  await page.unroute(tabletWasm);
  await notice.getByRole("link").click();
  await expect(page.getByTestId("enrol-form")).toBeVisible();
  await expect(page.getByTestId("tablet-not-loaded")).toHaveCount(0);
  await context.close();
});

