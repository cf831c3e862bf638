import { expect, test } from "@playwright/test";
import { ACCOUNTS, openApp, signIn } from "./app";

test("the app speaks Japanese first and remembers a switch to English", async ({ page }) => {
  await signIn(page, ACCOUNTS.city);
  await openApp(page, "/");
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  const nav = page.getByRole("navigation", { name: "メインメニュー" });
  await expect(nav.getByRole("link", { name: "面接会・イベント" })).toBeVisible();

  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Fairs & events" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Home");

  // The choice survives a reload and applies to other pages, rendered by the server in English.
  await page.goto("/events");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fairs & events");
  await expect(page.getByTestId("lang-switch")).toHaveText("日本語");

  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("面接会・イベント");
});
