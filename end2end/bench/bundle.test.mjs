// The budget check itself: it must fail on an oversized build and pass on a lean one
// (`node --test end2end/bench/`, run by ./scripts/test).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { measure, judge, judgeCeilings, ceilingsOf } from "./bundle.mjs";

/** Folders the tests made, removed when they end. */
const made = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = (prefix) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};

/** A site folder with a main module, a loader, one area's part and the tablet's module of the
 * given sizes. */
function site({ main, fair, admin }) {
  const root = tempDir("renkei-bundle-");
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


// The ceilings (`--ceilings`): what ./scripts/test enforces on the release build while the
// budgets above are not met.

test("a build grown past a recorded ceiling fails, one within them passes", () => {
  const ceilings = ceilingsOf(measure(site({ main: 120_000, fair: 250_000, admin: 100_000 })));
  // Each line's ceiling is its size + 1 % (at least 2 KB), rounded up to 1 KB.
  assert.equal(ceilings["first load: fair (the tablet's own module)"], Math.ceil((250_000 + 2_500 + 80) / 1000) * 1000);
  const same = judgeCeilings(measure(site({ main: 120_000, fair: 250_000, admin: 100_000 })), ceilings);
  assert.deepEqual(same.filter((v) => v.over), []);
  // Over the 200 KB budget but within its ceiling: reported, with the budget kept beside it.
  const fair = same.find((v) => v.what.startsWith("first load: fair"));
  assert.equal(fair.budget, 200_000);
  const grown = judgeCeilings(measure(site({ main: 120_000, fair: 260_000, admin: 100_000 })), ceilings);
  assert.deepEqual(grown.filter((v) => v.over).map((v) => v.what), [
    "first load: fair (the tablet's own module)",
    "everything the service worker caches",
  ]);
});

test("a page with no recorded ceiling (a new area) fails until one is written", () => {
  const ceilings = ceilingsOf(measure(site({ main: 120_000, fair: 150_000, admin: 100_000 })));
  delete ceilings["first load: admin_area"];
  const verdicts = judgeCeilings(measure(site({ main: 120_000, fair: 150_000, admin: 100_000 })), ceilings);
  assert.deepEqual(verdicts.filter((v) => v.over).map((v) => v.what), ["first load: admin_area"]);
});

test("the command with --ceilings exits 1 on growth and 0 within; --write-ceilings records a build", () => {
  const script = new URL("./bundle.mjs", import.meta.url).pathname;
  const file = join(tempDir("renkei-ceilings-"), "ceilings.json");
  const written = spawnSync(process.execPath, [script, site({ main: 310_000, fair: 10_000, admin: 10_000 }), "--write-ceilings", file], { encoding: "utf8" });
  assert.equal(written.status, 0, written.stdout + written.stderr);
  const recorded = JSON.parse(readFileSync(file, "utf8")).ceilings;
  assert.equal(recorded["first load: start, sign-in (main module)"], Math.ceil((310_000 + 3_100 + 60) / 1000) * 1000);
  const within = spawnSync(process.execPath, [script, site({ main: 310_000, fair: 10_000, admin: 10_000 }), "--ceilings", file], { encoding: "utf8" });
  assert.equal(within.status, 0, within.stdout + within.stderr);
  assert.match(within.stdout, /start, sign-in \(main module\)\s+\d+\s+\d+\s+300000\s+within its ceiling; budget missed by \d+ B/);
  const grown = spawnSync(process.execPath, [script, "--ceilings", file, site({ main: 330_000, fair: 10_000, admin: 10_000 })], { encoding: "utf8" });
  assert.equal(grown.status, 1, grown.stdout + grown.stderr);
  assert.match(grown.stdout, /GREW past its ceiling by \d+ B/);
  assert.match(grown.stderr, /Download ceiling exceeded/);
});

test("the command refuses an option it does not know rather than judging something else", () => {
  const script = new URL("./bundle.mjs", import.meta.url).pathname;
  const root = site({ main: 100_000, fair: 10_000, admin: 10_000 });
  const typo = spawnSync(process.execPath, [script, root, "--ceilings=x.json"], { encoding: "utf8" });
  assert.equal(typo.status, 1);
  assert.match(typo.stderr, /unknown option --ceilings=x\.json/);
  const noFile = spawnSync(process.execPath, [script, root, "--ceilings"], { encoding: "utf8" });
  assert.equal(noFile.status, 1);
  assert.match(noFile.stderr, /--ceilings needs a file/);
});
