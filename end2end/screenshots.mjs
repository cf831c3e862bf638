// Takes screenshots of Renkei's screens for the docs and for a person to look at:
//   BASE_URL=http://127.0.0.1:3000 node screenshots.mjs OUT_DIR
// Desktop (1366×900), tablet landscape (1280×800) and tablet portrait (800×1280).
import { chromium } from "@playwright/test";

const base = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const out = process.argv[2] ?? "screenshots";
const sizes = { desktop: [1366, 900], tablet: [1280, 800], portrait: [800, 1280] };
const pages = { home: "/", events: "/events" };

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
for (const [sizeName, [width, height]] of Object.entries(sizes)) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "ja-JP" });
  const page = await context.newPage();
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(base + path);
    await page.waitForSelector("body[data-hydrated=true]");
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: `${out}/${name}-${sizeName}.png`, fullPage: false });
  }
  await context.close();
}
await browser.close();
