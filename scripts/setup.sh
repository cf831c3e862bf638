#!/usr/bin/env bash
# Installs what building and testing Renkei needs, skipping what is already there at the right
# version. Sourced by scripts/run and scripts/test; safe to repeat. Nothing is downloaded from
# outside the Rust, npm and Debian package registries (cargo-leptos is built with
# `no_downloads`, wasm-opt comes from the npm package `binaryen`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
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
