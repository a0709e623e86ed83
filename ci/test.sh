#!/usr/bin/env bash
# Installs what is missing, builds, and runs the tests (ctest, 2 in parallel).
# Long runs (fuzz campaigns, full benchmarks, soaks) belong to ci/nightly.sh.
# The tests leave the host's filesystem as they found it: every Program runs
# in the sandbox's own mount namespace, so no conncheck* entry (a private
# AF_UNIX directory, a socket a Program bound) may appear in /tmp or /.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/setup.sh
ci/build.sh plain
ours() { { ls -A /tmp; ls -A /; } | grep -E '^(conncheck|libFuzzerTemp)' | sort || true; }
before=$(ours)
status=0
ctest --preset plain || status=$?
after=$(ours)
if [ "$before" != "$after" ]; then
  echo "test.sh: the tests left files on the host:" >&2
  comm -13 <(echo "$before") <(echo "$after") | sed 's/^/  /' >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
