#!/usr/bin/env bash
# ctest: the compare tool flags a 20% slowdown injected into a copy of a
# real run, names exactly the benchmark that was slowed, and flags nothing
# when the run is compared with itself. Uses the benchmark binary's output
# as data; nothing here asserts how fast this machine is.
#   injected_slowdown.sh BENCH_BINARY PYTHON
set -euo pipefail
bin="$1"; py="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

"$bin" --benchmark_filter='floor|ebadf' --benchmark_repetitions=9 \
  --benchmark_min_time=0.01 --benchmark_out="$work/real.json" \
  --benchmark_out_format=json > "$work/bench.log"
"$py" "$here/runfiles.py" slow "$work/real.json" "$work/slow.json" ebadf/syscall 1.20

set +e
"$py" "$here/../compare.py" "$work/real.json" "$work/slow.json" > "$work/slow.txt"; rc_slow=$?
"$py" "$here/../compare.py" "$work/real.json" "$work/real.json" > "$work/self.txt"; rc_self=$?
set -e
cat "$work/slow.txt"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$rc_slow" -eq 1 ] || fail "20% slowdown: compare exited $rc_slow, expected 1"
flagged="$(grep ' REGRESSION$' "$work/slow.txt" | awk '{print $1}')"
[ "$flagged" = "ebadf/syscall" ] || fail "flagged '$flagged', expected exactly ebadf/syscall"
[ "$rc_self" -eq 0 ] || fail "run against itself: compare exited $rc_self, expected 0"
! grep -q ' REGRESSION$' "$work/self.txt" || fail "run against itself flagged a regression"
echo "PASS"
