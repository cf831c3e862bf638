// The download budget (issue #14; ../shared/ARCHITECTURE.md), checked on a release build's site folder:
//
//   node end2end/bench/bundle.mjs [site-root] [--all] [--ceilings end2end/bench/ceilings.json]
//   node end2end/bench/bundle.mjs [site-root] --write-ceilings end2end/bench/ceilings.json
//
// Bytes on the wire are the brotli files as served (`*.br`, written at build time by
// `cargo leptos build --release --precompress`); gzip is shown beside them. A page's first
// load is the main module (JS + wasm), the stylesheet and, for a page of an area, the split
// loader and the parts its area's manifest entry lists; the fair tablet's page (`/fair`) is its
// own module (`tablet.<hash>.js` + `.wasm`, no main module) and the stylesheet. Exits 1 when any budget is exceeded,
// printing the sizes by file first.
//
// With `--ceilings FILE` the limits are the ceilings recorded there instead (today's sizes plus
// a little room, one per line of the report): the build passes only when no line has grown past
// its ceiling and every line has one, so a new area or a heavier screen fails `./scripts/test`
// until the file is changed on purpose. The budgets above are still printed beside them, with
// how far each line is from its budget: the ceilings stop growth, they do not meet the budgets.
// `--write-ceilings FILE` records a build's sizes as the new ceilings (each line + 1 %, at
// least 2 KB, rounded up to 1 KB): run it on purpose, after a change that is worth its bytes
// or that saved some, and commit the file with the reason.
import { readdirSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { join } from "node:path";

export const BUDGETS = {
  fair: 200_000, // the tablet's /fair, first visit
  page: 300_000, // any page, first visit
  cached: 700_000, // everything the service worker keeps
};

/// Sizes of one served file: raw, gzip and brotli (the precompressed files when present).
export function sizes(dir, name) {
  const path = join(dir, name);
  const raw = readFileSync(path);
  const served = (ext, make) => (existsSync(`${path}.${ext}`) ? readFileSync(`${path}.${ext}`).length : make(raw).length);
  return {
    name,
    raw: raw.length,
    gzip: served("gz", (b) => gzipSync(b, { level: 9 })),
    brotli: served("br", (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })),
    precompressed: existsSync(`${path}.br`) && existsSync(`${path}.gz`),
  };
}

const sum = (files, key) => files.reduce((n, f) => n + f[key], 0);

/// What a site folder serves, grouped as the browser loads it.
export function measure(siteRoot) {
  const pkg = join(siteRoot, "pkg");
  const names = readdirSync(pkg).filter((n) => !/\.(br|gz)$/.test(n) && !n.endsWith(".ts"));
  const find = (re) => names.find((n) => re.test(n));
  const mainJs = find(/^renkei(\.[\w-]+)?\.js$/);
  const mainWasm = find(/^renkei(\.[\w-]+)?\.wasm$/);
  const css = find(/^renkei(\.[\w-]+)?\.css$/);
  if (!mainJs || !mainWasm || !css) {
    throw new Error(`${pkg}: no renkei .js, .wasm and .css — build with cargo leptos build --release first`);
  }
  const loader = find(/^__wasm_split\..*\.js$/);
  const manifestName = find(/^__wasm_split_manifest.*\.json$/);
  const files = Object.fromEntries(names.filter((n) => n !== manifestName).map((n) => [n, sizes(pkg, n)]));
  const base = [files[mainJs], files[mainWasm], files[css]];
  const pages = [{ page: "start, sign-in (main module)", files: base }];
  const tabletJs = find(/^tablet(\.[\w-]+)?\.js$/);
  const tabletWasm = find(/^tablet(\.[\w-]+)?\.wasm$/);
  if (!tabletJs || !tabletWasm) {
    throw new Error(`${pkg}: no tablet .js and .wasm (the /fair page's module) — build with build_site (scripts/setup.sh)`);
  }
  pages.push({ page: "fair (the tablet's own module)", files: [files[tabletJs], files[tabletWasm], files[css]] });
  if (manifestName) {
    const manifest = JSON.parse(readFileSync(join(pkg, manifestName), "utf8"));
    for (const [key, parts] of Object.entries(manifest)) {
      const area = key.replace(/^__/, "").replace(/_\d+$/, "");
      const chunks = parts.map((p) => {
        const file = names.find((n) => n === `${p}.wasm` || n === p);
        if (!file) throw new Error(`${manifestName} lists ${p}, which is not in ${pkg}`);
        return files[file];
      });
      pages.push({ page: area, files: [...base, files[loader], ...chunks] });
    }
  }
  const shell = ["favicon.svg"].filter((n) => existsSync(join(siteRoot, n))).map((n) => sizes(siteRoot, n));
  const cached = [...Object.values(files), ...shell];
  return { files: Object.values(files), pages, cached };
}

/// The verdicts: one line per budget, `over` when exceeded.
export function judge({ pages, cached }, budgets = BUDGETS) {
  const lines = [];
  for (const p of pages) {
    const limit = /^fair/.test(p.page) ? budgets.fair : budgets.page;
    lines.push({ what: `first load: ${p.page}`, brotli: sum(p.files, "brotli"), gzip: sum(p.files, "gzip"), limit });
  }
  lines.push({ what: "everything the service worker caches", brotli: sum(cached, "brotli"), gzip: sum(cached, "gzip"), limit: budgets.cached });
  return lines.map((l) => ({ ...l, over: l.brotli > l.limit }));
}

/// The same lines judged against recorded ceilings (`{ "<line>": bytes }`): `over` when a line
/// is past its ceiling or has none (a new area is not let through by default). `budget` keeps
/// the budget (issue #14) for the report.
export function judgeCeilings(result, ceilings, budgets = BUDGETS) {
  return judge(result, budgets).map((v) => {
    const ceiling = ceilings[v.what];
    const known = Number.isInteger(ceiling) && ceiling > 0;
    return { ...v, budget: v.limit, limit: known ? ceiling : 0, over: !known || v.brotli > ceiling, unknown: !known };
  });
}

const pad = (v, n) => String(v).padStart(n);

function report(result, verdicts, all) {
  const big = [...result.files].sort((a, b) => b.brotli - a.brotli);
  const shown = all ? big : big.slice(0, 12);
  console.log(`${"file".padEnd(44)} ${pad("raw B", 10)} ${pad("gzip B", 9)} ${pad("brotli B", 9)}`);
  for (const f of shown) {
    const note = f.precompressed ? "" : "  (not precompressed: sized here)";
    console.log(`${f.name.padEnd(44)} ${pad(f.raw, 10)} ${pad(f.gzip, 9)} ${pad(f.brotli, 9)}${note}`);
  }
  if (shown.length < big.length) {
    const rest = big.slice(shown.length);
    console.log(`${`… ${rest.length} smaller files (--all lists them)`.padEnd(44)} ${pad(sum(rest, "raw"), 10)} ${pad(sum(rest, "gzip"), 9)} ${pad(sum(rest, "brotli"), 9)}`);
  }
  console.log("");
  if (verdicts.some((v) => "budget" in v)) return reportCeilings(verdicts);
  console.log(`${"budget (bytes on the wire, brotli as served)".padEnd(52)} ${pad("gzip B", 9)} ${pad("brotli B", 9)} ${pad("limit B", 9)}`);
  for (const v of verdicts) {
    const verdict = v.over ? `OVER by ${v.brotli - v.limit} B` : "within";
    console.log(`${v.what.padEnd(52)} ${pad(v.gzip, 9)} ${pad(v.brotli, 9)} ${pad(v.limit, 9)}  ${verdict}`);
  }
}

/// Ceilings for a build's lines: its sizes plus a little room for unrelated small changes.
export function ceilingsOf(result) {
  const room = (n) => Math.max(2_000, n / 100);
  return Object.fromEntries(judge(result).map((v) => [v.what, Math.ceil((v.brotli + room(v.brotli)) / 1000) * 1000]));
}

/// Room under a ceiling that is worth lowering it for (the ratchet only turns one way by hand):
/// more than twice the room `ceilingsOf` leaves.
const worthLowering = (ceiling) => Math.max(10_000, ceiling / 50);

function reportCeilings(verdicts) {
  console.log(`${"ceiling (bytes on the wire, brotli as served)".padEnd(52)} ${pad("brotli B", 9)} ${pad("ceiling", 9)} ${pad("budget", 9)}`);
  for (const v of verdicts) {
    let verdict = v.unknown ? "NO CEILING: add this line to the ceilings file" : v.over ? `GREW past its ceiling by ${v.brotli - v.limit} B` : "within its ceiling";
    if (!v.over && v.limit - v.brotli > worthLowering(v.limit)) verdict += ` (${v.limit - v.brotli} B under: lower the ceiling)`;
    const gap = v.brotli > v.budget ? `; budget missed by ${v.brotli - v.budget} B` : "; within budget";
    console.log(`${v.what.padEnd(52)} ${pad(v.brotli, 9)} ${pad(v.unknown ? "-" : v.limit, 9)} ${pad(v.budget, 9)}  ${verdict}${gap}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const FLAGS_WITH_FILE = ["--ceilings", "--write-ceilings"];
  const unknown = args.filter((a, i) => a.startsWith("--") && a !== "--all" && !FLAGS_WITH_FILE.includes(a) && !FLAGS_WITH_FILE.includes(args[i - 1]));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(" ")} (known: --all, --ceilings FILE, --write-ceilings FILE)`);
  const fileAfter = (flag) => {
    const at = args.indexOf(flag);
    if (at >= 0 && !args[at + 1]) throw new Error(`${flag} needs a file`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const ceilingsFile = fileAfter("--ceilings");
  const writeFile = fileAfter("--write-ceilings");
  const siteRoot = args.find((a, i) => !a.startsWith("--") && !FLAGS_WITH_FILE.includes(args[i - 1])) ?? "target/site";
  const result = measure(siteRoot);
  if (writeFile) {
    const note = "Ceilings of the download check in ./scripts/test (bundle.mjs --ceilings): brotli bytes per line of its report, a build's sizes + 1 % (at least 2 KB), rounded up to 1 KB. Not the budgets (issue #14: /fair 200 KB, any page 300 KB, all cached 700 KB; docs/benchmarks.md), which are printed beside them.";
    writeFileSync(writeFile, `${JSON.stringify({ note, ceilings: ceilingsOf(result) }, null, 2)}\n`);
    console.log(`wrote ${writeFile}`);
  }
  const limits = ceilingsFile ?? writeFile;
  const ceilings = limits ? JSON.parse(readFileSync(limits, "utf8")).ceilings : undefined;
  const verdicts = ceilings ? judgeCeilings(result, ceilings) : judge(result);
  report(result, verdicts, args.includes("--all"));
  // A ceiling for a line this build does not have (an area renamed or gone): say so.
  for (const stale of Object.keys(ceilings ?? {}).filter((k) => !verdicts.some((v) => v.what === k))) {
    console.log(`${stale}: no such line in this build — remove its ceiling from ${limits}`);
  }
  const over = verdicts.filter((v) => v.over);
  if (over.length > 0) {
    const what = limits ? `Download ceiling exceeded (${limits})` : "Download budget exceeded";
    console.error(`\n${what} (${over.length}): ${over.map((v) => v.what).join("; ")}`);
    process.exit(1);
  }
}
