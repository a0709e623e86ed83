#!/usr/bin/env bash
# Configures (once) and builds one preset: plain or fuzz. Ninja rebuilds
# only what changed, so a second run on a current tree does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-plain}"
if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"
