import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// Names are compared by their NFKC form (domain::text::name_key). In the browser the
// platform's normalisation does it (no tables in the download); on the server the
// unicode-normalization crate. Both are checked against one table of the blocks names,
// readings, numbers and addresses are written in: the crate by a unit test, Chromium here.
// (Other browsers are not run here; they follow the same standard.) The app's own call into
// the browser's normalisation is exercised by cases_audit.spec.ts's full-width search.

test("the browser's NFKC matches the table the server's crate is checked against", async ({ page }) => {
  const table = readFileSync(join(__dirname, "../../app/src/domain/fixtures/nfkc.txt"), "utf8");
  const lines = table.split(/\r?\n/).filter((l) => l && !l.startsWith("#"));
  const ranges = lines[0].replace(/^ranges /, "").split(" ").map((r) => r.split("-").map((h) => parseInt(h, 16)));
  const changed = Object.fromEntries(lines.slice(1).map((l) => l.split("\t")));
  expect(Object.keys(changed).length).toBeGreaterThan(2000);
  await page.goto("/login");
  const browser: Record<string, string> = await page.evaluate((ranges) => {
    const hex = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")).join(" ");
    const out: Record<string, string> = {};
    for (const [from, to] of ranges) {
      for (let c = from; c <= to; c++) {
        const s = String.fromCodePoint(c);
        const n = s.normalize("NFKC");
        if (n !== s) out[hex(s)] = hex(n);
      }
    }
    return out;
  }, ranges);
  expect(browser).toEqual(changed);
});
