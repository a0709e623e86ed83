#!/usr/bin/env bash
# ctest: soak_summary.py passes a flat run and fails one whose RSS grows
# steadily or whose fd count creeps, naming the process.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
flat="$work/flat.csv"; leaky="$work/leaky.csv"; fdleak="$work/fdleak.csv"
echo "seconds,target,rss_kb,fds,execs" | tee "$flat" "$leaky" "$fdleak" > /dev/null
for s in $(seq 0 10 600); do
  # Flat: a warm-up step in the first half, then a few KB of corpus growth.
  rss=$(( s < 120 ? 40000 + s * 50 : 46000 + s / 10 ))
  echo "$s,flat_fuzzer,$rss,9,$((s * 1000))" >> "$flat"
  echo "$s,leaky_fuzzer,$((40000 + s * 40)),9,$((s * 1000))" >> "$leaky"   # ~140 MB/h
  echo "$s,fd_fuzzer,40000,$((9 + s / 300)),$((s * 1000))" >> "$fdleak"
done
py=/usr/bin/python3
"$py" "$here/../soak_summary.py" "$flat" | grep -q '| flat_fuzzer .* flat |' || { echo "FAIL: flat run not flat"; exit 1; }
"$py" "$here/../soak_summary.py" "$flat" > /dev/null || { echo "FAIL: flat run exit non-zero"; exit 1; }
for f in "$leaky" "$fdleak"; do
  set +e; out="$("$py" "$here/../soak_summary.py" "$f")"; rc=$?; set -e
  [ "$rc" -eq 1 ] || { echo "FAIL: $f: exit $rc, expected 1"; exit 1; }
  grep -q 'GROWTH' <<< "$out" || { echo "FAIL: $f: no GROWTH verdict"; exit 1; }
done
set +e; "$py" "$here/../soak_summary.py" "$work/missing.csv" 2> "$work/err"; rc=$?; set -e
[ "$rc" -eq 2 ] && [ "$(wc -l < "$work/err")" -eq 1 ] || { echo "FAIL: missing file: exit $rc"; exit 1; }
echo PASS
