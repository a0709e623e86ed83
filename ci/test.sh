#!/usr/bin/env bash
# Installs what is missing, builds, and runs the tests (ctest, 2 in parallel).
# Long runs (fuzz campaigns, full benchmarks, soaks) belong to ci/nightly.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/setup.sh
ci/build.sh plain
ctest --preset plain
