#!/usr/bin/env bash
# ctest: two runs of the same binary are not flagged as a regression.
#
# The two runs are made of single-repetition invocations taken in turn
# (A B A B ... nine each) and merged: a shared 2-core machine drifts (other
# builds start and stop), and interleaving gives both runs the same drift,
# so the test checks the tool's logic on same-distribution data rather than
# the machine's steadiness. Back-to-back runs are what run.sh compares; their
# spread is reported, not asserted.
#   same_binary.sh BENCH_BINARY PYTHON
set -euo pipefail
bin="$1"; py="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

a=(); b=()
for i in 1 2 3 4 5 6 7 8 9; do
  for side in a b; do
    "$bin" --benchmark_filter='floor|ebadf' --benchmark_repetitions=1 \
      --benchmark_min_time=0.01 --benchmark_out="$work/$side$i.json" \
      --benchmark_out_format=json > /dev/null
  done
  a+=("$work/a$i.json"); b+=("$work/b$i.json")
done
"$py" "$here/runfiles.py" merge "$work/a.json" "${a[@]}"
"$py" "$here/runfiles.py" merge "$work/b.json" "${b[@]}"

set +e
"$py" "$here/../compare.py" "$work/a.json" "$work/b.json" > "$work/out.txt"; rc=$?
set -e
cat "$work/out.txt"
[ "$rc" -eq 0 ] || { echo "FAIL: same binary: compare exited $rc, expected 0" >&2; exit 1; }
rows="$(grep -c '/' "$work/out.txt" || true)"
[ "$rows" -ge 5 ] || { echo "FAIL: expected at least 5 benchmarks compared, saw $rows" >&2; exit 1; }
echo "PASS"
