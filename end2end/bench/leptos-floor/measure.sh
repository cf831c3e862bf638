#!/usr/bin/env bash
# Builds the floor app with Renkei's browser profile and flags, without and with the router,
# and prints raw, gzip and brotli bytes of the optimised wasm and its JS (as cargo-leptos would
# serve them: wasm-bindgen --target web, wasm-opt -Oz). Run from the project root after
# ./scripts/test or ./scripts/run has installed the tools.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
HERE="$ROOT/end2end/bench/leptos-floor"
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cp "$ROOT/Cargo.lock" "$HERE/Cargo.lock" # the same versions as Renkei
for features in "" "router"; do
  RUSTFLAGS="-C target-feature=-reference-types --cfg erase_components" cargo build \
    --manifest-path "$HERE/Cargo.toml" --lib --target wasm32-unknown-unknown \
    --profile wasm-release --target-dir "$ROOT/target/front" ${features:+--features $features} -q
  wasm="$ROOT/target/front/wasm32-unknown-unknown/wasm-release/leptos_floor.wasm"
  # wasm-bindgen reads the target-features section to choose externref; the build has none.
  wasm-opt --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-sign-ext -O0 "$wasm" -o "$OUT/in.wasm"
  wasm-bindgen --target web --out-dir "$OUT" "$OUT/in.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$OUT/in_bg.wasm" -o "$OUT/opt.wasm"
  node -e '
    const z = require("zlib"), fs = require("fs");
    const [label, ...files] = process.argv.slice(1);
    for (const f of files) {
      const b = fs.readFileSync(f);
      const br = z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      console.log(`${label.padEnd(16)} ${f.split("/").pop().padEnd(8)} raw ${b.length}  gzip ${z.gzipSync(b, { level: 9 }).length}  brotli ${br}`);
    }' "${features:-no router}" "$OUT/opt.wasm" "$OUT/in.js"
done
rm -f "$HERE/Cargo.lock"
