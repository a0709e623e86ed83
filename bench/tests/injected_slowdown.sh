#!/usr/bin/env bash
# ctest: the compare tool flags a 20% slowdown injected into a copy of a
# recorded real run (bench/tests/data/same-binary-a.json, made on a loaded
# 2-core machine), names exactly the benchmark that was slowed, and flags
# nothing when the run is compared with itself. Recorded data, so the
# verdict never depends on how busy this machine is (issue 14).
#   injected_slowdown.sh PYTHON DATA_DIR
set -euo pipefail
py="$1"; data="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

real="$data/same-binary-a.json"
"$py" "$here/runfiles.py" slow "$real" "$work/slow.json" ebadf/syscall 1.20

set +e
"$py" "$here/../compare.py" "$real" "$work/slow.json" > "$work/slow.txt"; rc_slow=$?
"$py" "$here/../compare.py" "$real" "$real" > "$work/self.txt"; rc_self=$?
set -e
cat "$work/slow.txt"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$rc_slow" -eq 1 ] || fail "20% slowdown: compare exited $rc_slow, expected 1"
flagged="$(grep ' REGRESSION$' "$work/slow.txt" | awk '{print $1}')"
[ "$flagged" = "ebadf/syscall" ] || fail "flagged '$flagged', expected exactly ebadf/syscall"
[ "$rc_self" -eq 0 ] || fail "run against itself: compare exited $rc_self, expected 0"
! grep -q ' REGRESSION$' "$work/self.txt" || fail "run against itself flagged a regression"
echo "PASS"
