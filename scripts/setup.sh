#!/usr/bin/env bash
# Installs what building and testing Accord needs, skipping what is already there.
# Versions are pinned: see ../shared/TOOLCHAIN.md for why each one.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1
TRUNK_VERSION=0.21.14

say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 min)"
  # not --locked: the locked webpki-roots is not served by the registry (TOOLCHAIN.md)
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! have_version wasm-pack "$WASM_PACK_VERSION"; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 3 min)"
  cargo install -q wasm-pack --version "$WASM_PACK_VERSION" --force
fi
if ! have_version trunk "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 9 min)"
  cargo install -q --locked trunk --version "$TRUNK_VERSION" --force
fi

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
[ -x /usr/sbin/nginx ] || need_apt+=(nginx) # the CSP layer's demo and tests run a private nginx
# accord-server's tests run every scenario on a private PostgreSQL cluster too
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql-15)
[ -x /usr/bin/sqlite3 ] || need_apt+=(sqlite3) # the e2e tests read accord-server's database
if [ "${#need_apt[@]}" -gt 0 ]; then
  say "installing ${need_apt[*]} from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

if [ -f package-lock.json ]; then
  stamp=node_modules/.accord-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
fi

if [ -f Cargo.toml ]; then
  cargo fetch -q
fi
say "ready"
