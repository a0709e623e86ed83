#!/usr/bin/env bash
# ctest: the benchmark binary runs and writes a run file compare.py reads
# (the compare tests use recorded runs, so this is what keeps the binary's
# output format honest). Nothing about speed is asserted.
#   smoke.sh BENCH_BINARY PYTHON
set -euo pipefail
bin="$1"; py="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$bin" --benchmark_filter='floor|ebadf' --benchmark_repetitions=1 --benchmark_min_time=0.001 \
  --benchmark_out="$work/run.json" --benchmark_out_format=json > /dev/null
# benchjson.load is what compare.py, summary.py and chart.py read runs with.
"$py" - "$here/.." "$work/run.json" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import benchjson
run = benchjson.load(sys.argv[2])
if len(run.samples) < 5:
    sys.exit(f"FAIL: {len(run.samples)} benchmarks in the run file, expected at least 5")
print(f"{len(run.samples)} benchmarks: " + ", ".join(sorted(run.samples)))
PY
echo "PASS"
