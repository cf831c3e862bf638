// The budget check itself: it must fail on an oversized build and pass on a lean one
// (`node --test end2end/bench/`, run by ./scripts/test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { measure, judge } from "./bundle.mjs";

/** A site folder with a main module, a loader, one area's part and the tablet's module of the
 * given sizes. */
function site({ main, fair, admin }) {
  const root = mkdtempSync(join(tmpdir(), "renkei-bundle-"));
  const pkg = join(root, "pkg");
  mkdirSync(pkg);
  // Random bytes do not compress: the sizes on the wire are the sizes written.
  writeFileSync(join(pkg, "renkei.wasm"), randomBytes(main));
  writeFileSync(join(pkg, "renkei.js"), "export default function init() {}\n");
  writeFileSync(join(pkg, "renkei.css"), "body { margin: 0 }\n");
  writeFileSync(join(pkg, "__wasm_split.abc.js"), "export {};\n");
  writeFileSync(join(pkg, "tablet.TTTTTTTTTTTTTTTTTTTTTT.wasm"), randomBytes(fair));
  writeFileSync(join(pkg, "tablet.JJJJJJJJJJJJJJJJJJJJJJ.js"), "export default function init() {}\n");
  writeFileSync(join(pkg, "chunk_2.wasm"), randomBytes(admin));
  writeFileSync(join(pkg, "__wasm_split_manifest.json"), JSON.stringify({ __admin_area_123: ["chunk_2"] }));
  return root;
}

test("a lean split build is within every budget", () => {
  const verdicts = judge(measure(site({ main: 120_000, fair: 150_000, admin: 100_000 })));
  assert.deepEqual(verdicts.filter((v) => v.over), []);
  assert.deepEqual(verdicts.map((v) => v.what), [
    "first load: start, sign-in (main module)",
    "first load: fair (the tablet's own module)",
    "first load: admin_area",
    "everything the service worker caches",
  ]);
});

test("a tablet's module over 200 KB fails, even when every other page is within 300 KB", () => {
  const verdicts = judge(measure(site({ main: 120_000, fair: 210_000, admin: 10_000 })));
  assert.deepEqual(verdicts.filter((v) => v.over).map((v) => v.what), ["first load: fair (the tablet's own module)"]);
});

test("everything cached over its budget fails though each page is within", () => {
  // Each page ≤ 300 KB (main 150 + area ≤ 149; the tablet 40), but all together 339 KB > 300 KB.
  const verdicts = judge(measure(site({ main: 150_000, fair: 40_000, admin: 149_000 })), { fair: 200_000, page: 300_000, cached: 300_000 });
  assert.deepEqual(verdicts.filter((v) => v.over).map((v) => v.what), ["everything the service worker caches"]);
});

test("the command exits 1 and names the budget when over, 0 when within", () => {
  const script = new URL("./bundle.mjs", import.meta.url).pathname;
  const over = spawnSync(process.execPath, [script, site({ main: 310_000, fair: 10_000, admin: 10_000 })], { encoding: "utf8" });
  assert.equal(over.status, 1, over.stdout + over.stderr);
  assert.match(over.stdout, /OVER by \d+ B/);
  assert.match(over.stdout, /renkei\.wasm\s+310000/);
  const within = spawnSync(process.execPath, [script, site({ main: 100_000, fair: 10_000, admin: 10_000 })], { encoding: "utf8" });
  assert.equal(within.status, 0, within.stdout + within.stderr);
});

test("a build without the tablet's module is refused, not measured as something else", () => {
  const root = site({ main: 100_000, fair: 10_000, admin: 10_000 });
  for (const name of readdirSync(join(root, "pkg")).filter((n) => n.startsWith("tablet."))) {
    rmSync(join(root, "pkg", name));
  }
  assert.throws(() => measure(root), /no tablet \.js and \.wasm/);
});

