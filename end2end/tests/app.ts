import { expect, type Page } from "@playwright/test";

/** Demo accounts (created by the server's --demo-data). */
export const ACCOUNTS = {
  city: { login: "demo.city", password: "mihon-shi-2026", name: "見本 市職員" },
  helloWork: { login: "demo.hw", password: "mihon-hw-2026", name: "見本 ハローワーク職員" },
  admin: { login: "demo.admin", password: "mihon-kanri-2026", name: "見本 システム管理者" },
};

/** The day `days` from today in Japan (ISO): a fair still to come whenever the tests run. */
export function inDays(days: number): string {
  return new Date(Date.now() + 9 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Headers a browser page sends with a same-origin write. The server refuses cookie-carrying
 * writes with neither `Origin` nor `Sec-Fetch-Site` (CSRF); Playwright's API requests send
 * neither by themselves.
 */
export const SAME_ORIGIN = { Origin: process.env.BASE_URL ?? "http://127.0.0.1:3000" };

/** Signs in through the API; the browser context keeps the session cookie. */
export async function signIn(page: Page, who: { login: string; password: string }): Promise<void> {
  const response = await page.request.post("/api/v1/auth/login", {
    data: { login_id: who.login, password: who.password },
  });
  expect(response.status()).toBe(200);
}

/**
 * Signs in through the sign-in page, as a person does: the app then also seals this device's
 * store with the password, so it can be opened offline.
 */
export async function signInByForm(page: Page, who: { login: string; password: string }): Promise<void> {
  await page.goto("/login");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("ログインID").fill(who.login);
  await page.getByLabel("パスワード").fill(who.password);
  await page.getByRole("button", { name: "ログインする" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

/** Offline, the sealed store asks for the password: types it and waits until it is open. */
export async function unlockOffline(page: Page, who: { password: string }): Promise<void> {
  const form = page.getByTestId("unlock-form");
  await form.locator("#unlock-password").fill(who.password);
  await form.getByRole("button", { name: "開く" }).click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId("sync-status")).toBeVisible();
}

/** Opens a page and waits until the wasm app has hydrated it (the body is marked then). */
export async function openApp(page: Page, path: string): Promise<void> {
  await page.goto(path);
  // A page of an area hydrates once its area's code is in (split by area): on a busy test
  // machine that can take longer than an assertion's default 10 s.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

/** A page object for 面接会・イベント. */
export class EventsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await openApp(this.page, "/events");
  }

  form() {
    return this.page.getByTestId("event-form");
  }

  async fill(fields: { title: string; kind: string; date: string; venue: string; target: string }) {
    const form = this.form();
    await form.locator("#title").fill(fields.title);
    await form.locator("#kind").selectOption({ label: fields.kind });
    await form.locator("#date").fill(fields.date);
    await form.locator("#venue").fill(fields.venue);
    await form.locator("#target_group").selectOption({ label: fields.target });
  }

  async submit(): Promise<void> {
    await this.form().getByRole("button", { name: "登録する" }).click();
  }

  table() {
    return this.page.getByTestId("events-table");
  }
}
