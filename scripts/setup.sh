#!/usr/bin/env bash
# Installs what building and testing Renkei needs, skipping what is already there at the right
# version. Sourced by scripts/run and scripts/test; safe to repeat. Nothing is downloaded from
# outside the Rust, npm and Debian package registries (cargo-leptos is built with
# `no_downloads`, wasm-opt comes from the npm package `binaryen`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
CARGO_LEPTOS_VERSION="0.3.5"
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' "$ROOT/Cargo.lock")"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

have_version() { # command, expected version
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

ensure_cargo_tools() {
  local pids=()
  if ! (command -v cargo-leptos >/dev/null && cargo leptos --version 2>/dev/null | grep -qF "$CARGO_LEPTOS_VERSION"); then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores, once per machine)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads &
    pids+=($!)
  fi
  if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: the locked webpki-roots version is not served by the registry.
    cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" --force &
    pids+=($!)
  fi
  for pid in "${pids[@]}"; do wait "$pid"; done
}

ensure_chromium() {
  # A Japanese font too, so screenshots (failure captures, docs) show text, not boxes.
  if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-ipafont-gothic >/dev/null 2>&1; then
    say "installing Chromium and a Japanese font from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-ipafont-gothic >/dev/null
  fi
}

ensure_npm_packages() {
  local stamp="$ROOT/end2end/node_modules/.renkei-installed"
  if [ ! -f "$stamp" ] || [ "$ROOT/end2end/package-lock.json" -nt "$stamp" ]; then
    say "installing npm packages (Playwright, binaryen's wasm-opt)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
    touch "$stamp"
  fi
}

setup_all() {
  ensure_wasm_target
  ensure_chromium
  ensure_npm_packages
  ensure_cargo_tools
  # cargo-leptos finds wasm-opt (binaryen's Node build) and wasm-bindgen on PATH.
  export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
}

# The release browser builds' flags: .cargo/config.toml's (no reference types; change both
# together), and source paths named without this machine's folders — the paths that panic
# messages carry are shorter on the wire and the same from any clone (the sizes checked against
# end2end/bench/ceilings.json then do not depend on where the project sits).
# The flags are split on spaces (there is no encoded form of the target's variable): a folder
# with a space in its path is left unmapped, with a warning, rather than breaking the build.
wasm_rustflags() {
  local cargo_home
  cargo_home="$(cd "${CARGO_HOME:-$HOME/.cargo}" 2>/dev/null && pwd -P)"
  printf '%s' "-C target-feature=-reference-types"
  if [[ -z "$cargo_home" || "$ROOT$cargo_home" == *[[:space:]]* ]]; then
    echo "warning: a path with a space (or no cargo home): build paths stay in the wasm" >&2
    return
  fi
  printf '%s' " --remap-path-prefix=$ROOT=/renkei --remap-path-prefix=$cargo_home/registry/src=/crates"
}

# Builds the release server and the browser's code into target/site: the main module split by
# area (cargo-leptos), its hashed names beside it, and the fair tablet's own module.
build_site() {
  (
    cd "$ROOT"
    # cargo-leptos reads the wasm target's flags as cargo does: .cargo/config.toml's, then this
    # variable's added to them (`-reference-types` twice is harmless).
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$(wasm_rustflags)" \
      cargo leptos build --release --precompress --split
    # The content-hashed names travel with the files they name (the server reads them there).
    cp target/release/hash.txt target/site/hash.txt
    build_tablet
  )
}

# The fair tablet's own module (the app crate with its `tablet` feature, entry `tablet()`):
# built as cargo-leptos builds the main one (wasm-release profile, erased component types, no
# reference types, the same wasm-bindgen and wasm-opt -Oz), in its own target folder (other
# flags than cargo-leptos's would make both rebuild every dependency each time), then named by
# content and precompressed into the site folder by scripts/site-entry.mjs (which removes the
# previous tablet files: a server already running keeps naming those until it restarts).
build_tablet() (
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  RUSTFLAGS="$(wasm_rustflags) --cfg erase_components" cargo build -p app --lib \
    --target wasm32-unknown-unknown --profile wasm-release --no-default-features --features tablet \
    --target-dir "$ROOT/target/tablet" --locked
  wasm="$ROOT/target/tablet/wasm32-unknown-unknown/wasm-release/app.wasm"
  # Without the target-features section (the main build loses it in wasm-split): with it,
  # wasm-bindgen would look for an externref table this build has none of. -O0: nothing else.
  wasm-opt --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-sign-ext -O0 "$wasm" -o "$out/tablet.wasm"
  wasm-bindgen --target web --no-typescript --out-dir "$out" "$out/tablet.wasm"
  mkdir "$out/site"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$out/tablet_bg.wasm" -o "$out/site/tablet.wasm"
  cp "$out/tablet.js" "$out/site/tablet.js"
  node "$ROOT/scripts/site-entry.mjs" "$ROOT/target/site/pkg" tablet "$out/site/tablet.js" "$out/site/tablet.wasm"
)
