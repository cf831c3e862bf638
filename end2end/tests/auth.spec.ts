import { expect, test } from "@playwright/test";
import { ACCOUNTS, openApp } from "./app";

test("a stranger is sent to sign in, signs in, and signs out", async ({ page }) => {
  await page.goto("/events");
  await expect(page).toHaveURL(/\/login\?next=\/events$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ログイン");

  // A wrong password: one message for a wrong id or password, nothing revealed.
  await page.getByLabel("ログインID").fill(ACCOUNTS.city.login);
  await page.getByLabel("パスワード").fill("wrong password!!");
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page.getByRole("alert")).toHaveText("ログインIDまたはパスワードが違います。");

  await page.getByLabel("パスワード").fill(ACCOUNTS.city.password);
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page).toHaveURL(/\/events$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("user-bar")).toContainText(ACCOUNTS.city.name);

  await page.getByRole("button", { name: "ログアウト" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/cases");
  await expect(page).toHaveURL(/\/login\?next=\/cases$/);
});

test("an administrator's page is refused to counter staff", async ({ page }) => {
  await page.request.post("/api/v1/auth/login", {
    data: { login_id: ACCOUNTS.city.login, password: ACCOUNTS.city.password },
  });
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await openApp(page, "/events");
});
