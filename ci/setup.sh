#!/usr/bin/env bash
# Installs, from Debian packages only, whatever of conncheck's dependencies
# is missing. Installs nothing when everything is present (so re-running is
# cheap). Works as root, or through sudo.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config
  clang-14 libclang-rt-14-dev llvm-14        # libFuzzer, sanitizers, llvm-symbolizer
  clang-format-14                            # the tree's style (.clang-format), checked by ctest
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  liburing-dev libnl-route-3-dev             # io_uring backend; netlink for the sandbox
  nlohmann-json3-dev libcli11-dev libfmt-dev # JSON, CLI parsing, formatting
  iproute2
  python3 python3-scipy python3-matplotlib   # benchmark comparison and charts
  libbenchmark-tools                         # Google Benchmark's compare.py/gbench (U test, pairing)
  python3-jsonschema                         # conform and nightly report schema checks
  python3-jinja2                             # the nightly report's HTML
  chromium python3-pil fonts-dejavu-core     # the report's headless-browser screenshot test
  zip                                        # seed corpora for ClusterFuzzLite
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 3; }
  SUDO="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
