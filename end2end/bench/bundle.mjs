// What a tablet downloads: the release build's wasm and JS, raw and gzip -9, against the
// 400 KB budget in ARCHITECTURE.md. Run after `cargo leptos build --release`:
//   node end2end/bench/bundle.mjs [target/site/pkg]
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dir = process.argv[2] ?? "target/site/pkg";
const budget = 400 * 1000;
let rawTotal = 0;
let gzTotal = 0;
for (const file of ["renkei.wasm", "renkei.js", "renkei.css"]) {
  const bytes = readFileSync(`${dir}/${file}`);
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`${file.padEnd(12)} ${String(bytes.length).padStart(10)} B raw ${String(gz).padStart(9)} B gzip`);
  if (file !== "renkei.css") {
    rawTotal += bytes.length;
    gzTotal += gz;
  }
}
const verdict = gzTotal <= budget ? "within" : `OVER by ${gzTotal - budget} B`;
console.log(`wasm + JS    ${String(rawTotal).padStart(10)} B raw ${String(gzTotal).padStart(9)} B gzip — budget ${budget} B: ${verdict}`);
// Over budget is a failure, not a remark: the exit code says so (the lean-download step is to
// bring it back within).
if (gzTotal > budget) process.exit(1);
