// The download budget (ARCHITECTURE.md; issue #14), checked on a release build's site folder:
//
//   node end2end/bench/bundle.mjs [site-root] [--all]
//
// Bytes on the wire are the brotli files as served (`*.br`, written at build time by
// `cargo leptos build --release --precompress`); gzip is shown beside them. A page's first
// load is the main module (JS + wasm), the stylesheet and, for a page of an area, the split
// loader and the parts its area's manifest entry lists; the fair tablet's page (`/fair`) is its
// own module (`tablet.<hash>.js` + `.wasm`, no main module) and the stylesheet. Exits 1 when any budget is exceeded,
// printing the sizes by file first, so `./scripts/test` stops on growth.
import { readdirSync, readFileSync, existsSync } from "node:fs";
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
  console.log(`${"budget (bytes on the wire, brotli as served)".padEnd(52)} ${pad("gzip B", 9)} ${pad("brotli B", 9)} ${pad("limit B", 9)}`);
  for (const v of verdicts) {
    const verdict = v.over ? `OVER by ${v.brotli - v.limit} B` : "within";
    console.log(`${v.what.padEnd(52)} ${pad(v.gzip, 9)} ${pad(v.brotli, 9)} ${pad(v.limit, 9)}  ${verdict}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const siteRoot = args.find((a) => !a.startsWith("--")) ?? "target/site";
  const result = measure(siteRoot);
  const verdicts = judge(result);
  report(result, verdicts, args.includes("--all"));
  const over = verdicts.filter((v) => v.over);
  if (over.length > 0) {
    console.error(`\nDownload budget exceeded (${over.length}): ${over.map((v) => v.what).join("; ")}`);
    process.exit(1);
  }
}
