#!/usr/bin/env bash
# Builds dist/ (the demo site and the embeddable files) with Trunk, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
trunk build --release
