#!/usr/bin/env bash
# Builds the floor app with Renkei's browser profile (opt-level z, LTO, one codegen unit, panic
# abort), the same wasm32 flags (no reference types, erased component types) and the same tools
# (wasm-bindgen --target web, wasm-opt -Oz with cargo-leptos's options), without and with the
# router, and prints raw, gzip -9 and brotli q11 bytes of the optimised wasm and its JS, as
# end2end/bench/bundle.mjs measures files. The JS is not minified (cargo-leptos minifies
# Renkei's: about 1 KB brotli less), and not split. Run from anywhere after ./scripts/test or
# ./scripts/run has installed the tools; builds into target/floor (its own folder: other flags
# than cargo-leptos's would make both rebuild every dependency each time).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
HERE="$ROOT/end2end/bench/leptos-floor"
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT" "$HERE/Cargo.lock"' EXIT
cp "$ROOT/Cargo.lock" "$HERE/Cargo.lock" # the same versions as Renkei
for features in "" "router"; do
  RUSTFLAGS="-C target-feature=-reference-types --cfg erase_components" cargo build \
    --manifest-path "$HERE/Cargo.toml" --lib --target wasm32-unknown-unknown \
    --profile wasm-release --target-dir "$ROOT/target/floor" ${features:+--features $features} -q
  wasm="$ROOT/target/floor/wasm32-unknown-unknown/wasm-release/leptos_floor.wasm"
  # Renkei's build goes through wasm-split first, which leaves no target-features section;
  # with that section wasm-bindgen would look for the externref table this build has none of.
  # This step removes the section only (-O0: no optimisation).
  wasm-opt --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-sign-ext -O0 "$wasm" -o "$OUT/in.wasm"
  wasm-bindgen --target web --out-dir "$OUT" "$OUT/in.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$OUT/in_bg.wasm" -o "$OUT/opt.wasm"
  node --input-type=module -e '
    const [label, bundle, dir, ...names] = process.argv.slice(1);
    const { sizes } = await import(bundle);
    for (const name of names) {
      const s = sizes(dir, name);
      console.log(`${label.padEnd(10)} ${name.padEnd(8)} raw ${s.raw}  gzip ${s.gzip}  brotli ${s.brotli}`);
    }' "${features:-no router}" "$ROOT/end2end/bench/bundle.mjs" "$OUT" opt.wasm in.js
done
