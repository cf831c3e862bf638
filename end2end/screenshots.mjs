// Takes screenshots of Renkei's screens for the docs and for a person to look at, and fails
// if a page logs a browser error (a CSP violation, a hydration panic):
//   BASE_URL=http://127.0.0.1:3000 node screenshots.mjs OUT_DIR
// Desktop (1366×900), tablet landscape (1280×800) and tablet portrait (800×1280), signed in
// with the demo accounts.
import { chromium } from "@playwright/test";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const out = process.argv[2] ?? "screenshots";
const sizes = { desktop: [1366, 900], tablet: [1280, 800], portrait: [800, 1280] };
const shots = [
  { name: "login", path: "/login", as: null },
  { name: "home", path: "/", as: ["demo.city", "mihon-shi-2026"] },
  { name: "events", path: "/events", as: ["demo.city", "mihon-shi-2026"] },
  { name: "cases", path: "/cases", as: ["demo.city", "mihon-shi-2026"] },
  { name: "admin", path: "/admin", as: ["demo.admin", "mihon-kanri-2026"] },
  { name: "conflicts", path: "/conflicts", as: ["demo.city", "mihon-shi-2026"] },
  { name: "event-detail", path: "/events/01980000-0000-7000-8000-000000000003", as: ["demo.city", "mihon-shi-2026"] },
  { name: "event-detail-admin", path: "/events/01980000-0000-7000-8000-000000000003", as: ["demo.admin", "mihon-kanri-2026"] },
  { name: "reports", path: "/reports", as: ["demo.manager", "mihon-kacho-2026"] },
  { name: "fair-enrol", path: "/fair", as: null },
];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const errors = [];
for (const [sizeName, [width, height]] of Object.entries(sizes)) {
  for (const shot of shots) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "ja-JP" });
    const page = await context.newPage();
    page.on("console", (m) => m.type() === "error" && errors.push(`${shot.path}: ${m.text()}`));
    page.on("pageerror", (e) => errors.push(`${shot.path}: ${e.message}`));
    if (shot.as) {
      await page.request.post(base + "/api/v1/auth/login", { data: { login_id: shot.as[0], password: shot.as[1] } });
    }
    await page.goto(base + shot.path);
    await page.waitForSelector("body[data-hydrated=true]");
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: `${out}/${shot.name}-${sizeName}.png`, fullPage: false });
    await context.close();
  }
}
await browser.close();
if (errors.length) {
  console.error(errors.join("\n"));
  process.exit(1);
}
