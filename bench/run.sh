#!/usr/bin/env bash
# Runs the connect() benchmark suite once, keeps its JSON in the history
# folder, compares it with the previous run there, and writes the outputs a
# person reads: summary.md, chart.svg, compare.txt, overhead.txt.
#
#   bench/run.sh [--binary PATH] [--history DIR] [--out DIR]
#                [--repetitions N] [--min-time SECONDS] [--filter REGEX]
#
# History: bench/history/<UTC time>.json by default (git-ignored: timings
# belong to a machine, not to the source). Outputs: <history>/latest/ by
# default; ci/nightly.sh passes --out to keep them with its report.
# Exit: 0 fine, 1 regression or wrapper overhead over target, 2 bad
# argument, other non-zero: the benchmark binary failed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py=/usr/bin/python3  # Debian's, which sees python3-scipy and python3-matplotlib

binary="$here/../build/plain/bench/conncheck_bench"
history="$here/history"
out=""
reps=9
min_time=0.2
filter="."
die() { echo "run.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { [ "$1" = -h ] || [ "$1" = --help ] || die "$1 needs a value"; }
  case "$1" in
    --binary) binary="$2" ;;
    --history) history="$2" ;;
    --out) out="$2" ;;
    --repetitions) reps="$2" ;;
    --min-time) min_time="$2" ;;
    --filter) filter="$2" ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1'" ;;
  esac
  shift 2
done
[ -x "$binary" ] || die "no benchmark binary at $binary (build target conncheck_bench, or pass --binary)"
[[ "$reps" =~ ^[0-9]+$ ]] && [ "$reps" -ge 9 ] || die "--repetitions $reps: need a whole number of at least 9"
[[ "$min_time" =~ ^[0-9]*\.?[0-9]+$ ]] || die "--min-time $min_time: need seconds, e.g. 0.2"
out="${out:-$history/latest}"
mkdir -p "$history" "$out"

previous="$(ls "$history"/*.json 2>/dev/null | sort | tail -n 1 || true)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
tmp="$history/.running-$stamp.json"
trap 'rm -f "$tmp"' EXIT

# Random interleaving runs the repetitions of all benchmarks in a shuffled
# order, so a burst of load on a shared machine is spread over many
# benchmarks instead of landing on all repetitions of one: the repetitions
# are then closer to the independent samples the U test assumes. (Back-to-
# back runs without it gave false regressions on this 2-core VM.)
echo "== benchmarks ($reps repetitions, min time ${min_time}s, filter '$filter')"
"$binary" --benchmark_filter="$filter" --benchmark_repetitions="$reps" \
  --benchmark_min_time="$min_time" --benchmark_display_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  --benchmark_out="$tmp" --benchmark_out_format=json
mv "$tmp" "$history/$stamp.json"
run="$history/$stamp.json"
cp "$run" "$out/run.json"

status=0
echo "== wrapper overhead (issue 2 item 10)"
if ! "$py" "$here/overhead.py" "$run" | tee "$out/overhead.txt"; then status=1; fi

if [ -n "$previous" ]; then
  echo "== against the previous run: $(basename "$previous")"
  set +e
  "$py" "$here/compare.py" "$previous" "$run" | tee "$out/compare.txt"
  rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" -eq 0 ] || status=$(( rc == 1 ? 1 : rc ))
else
  echo "== no previous run in $history: nothing to compare with"
  echo "first run in $history: nothing to compare with" > "$out/compare.txt"
fi

"$py" "$here/summary.py" "$run" --compare "$out/compare.txt" --overhead "$out/overhead.txt" \
  > "$out/summary.md"
"$py" "$here/chart.py" "$history" "$out/chart.svg"
echo "== outputs: $out (summary.md, chart.svg, compare.txt, overhead.txt, run.json); exit $status"
exit $status
