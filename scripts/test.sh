#!/usr/bin/env bash
# One command for every test: install what is missing, lint, native tests, browser
# tests (wasm-pack, headless Chromium), build dist/, end-to-end tests (Playwright on
# Debian's Chromium against dist/ served on 127.0.0.1). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n==> %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "format and lints (native and wasm32)"
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
# bench/floor (a measurement, not a default member) must keep compiling against the core.
cargo clippy -p accord-floor --target wasm32-unknown-unknown -- -D warnings

step "native tests (the pure core, accordctl)"
cargo test

step "the consent service (accord-server: the real binary over HTTP, real SQLite)"
cargo clippy -p accord-server --all-targets -- -D warnings
cargo test -p accord-server

step "browser tests (wasm-pack, headless Chromium)"
wasm-pack test --headless --chrome --mode no-install

step "build dist/"
bash scripts/build.sh

step "end-to-end tests (Playwright, real Chromium, real servers on 127.0.0.1)"
npm run --silent e2e

step "all tests passed"
