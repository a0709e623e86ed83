#!/usr/bin/env bash
# Issue 5's two measurements of connect_sockaddr_fuzzer (not a ctest: they
# take minutes and depend on the machine):
#   1. soak: 1,000,000 runs, fd count and RSS sampled from /proc every 5 s;
#   2. throughput: execs/s of the libFuzzer target over SECONDS, then, over
#      the corpus that run ended with (the seeds and the mutated inputs it
#      kept, so the same kind of syscalls), a bare loop doing those syscalls
#      and the harness's own loop (conncheck_bare_loop), one after the other.
#
#   harness/fuzz/measure.sh [BUILD_DIR (default build/fuzz)] [SECONDS (default 60)] [RUNS (default 1000000; 0: no soak)]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/fuzz}" seconds="${2:-60}" runs="${3:-1000000}"
bin="$build/harness/fuzz"
t=connect_sockaddr_fuzzer
# Findings the Model does not know yet would end a run at the first one;
# these runs measure the target, so they go on (one line per finding).
export CONNCHECK_FUZZ_KEEP_GOING=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample() {  # pid -> "rss_kb fds"
  local rss fds
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo -)
  fds=$(ls "/proc/$1/fd" 2>/dev/null | wc -l)
  echo "$rss $fds"
}

if [ "$runs" -gt 0 ]; then
echo "== soak: $runs runs of $t"
mkdir -p "$work/soak"
cp corpus/$t/* "$work/soak/"
# ASan keeps freed memory in a quarantine (256 MB by default), which would
# show as RSS growth of its own; a 1 MB quarantine shows the harness's.
ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=1}" \
"$bin/$t" -runs="$runs" -print_final_stats=1 -dict="harness/fuzz/$t.dict" -max_len=512 \
  -artifact_prefix="$work/" "$work/soak" >"$work/soak.log" 2>&1 &
pid=$!
start=$(date +%s)
sleep 1
first=$(sample $pid); echo "t=1s rss_kb/fds: $first"
last="$first"
while kill -0 $pid 2>/dev/null; do
  sleep 5
  s=$(sample $pid); [ "$s" = "- 0" ] || last="$s"
  echo "t=$(( $(date +%s) - start ))s rss_kb/fds: $last"
done
wait $pid && rc=0 || rc=$?
grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|Done [0-9]+ runs" "$work/soak.log" || true
echo "soak exit $rc; first rss_kb/fds: $first; last: $last"
fi

echo "== throughput: $seconds s each"
mkdir -p "$work/tp"
cp corpus/$t/* "$work/tp/"
"$bin/$t" -max_total_time="$seconds" -print_final_stats=1 -dict="harness/fuzz/$t.dict" -max_len=512 \
  -artifact_prefix="$work/" "$work/tp" >"$work/tp.log" 2>&1 || true
fz=$(awk '/stat::average_exec_per_sec/ {print $2}' "$work/tp.log")
echo "libFuzzer $t: ${fz:-?} execs/s (mutated inputs)"
echo "corpus after the run: $(ls "$work/tp" | wc -l) inputs (seeds: $(ls corpus/$t | wc -l))"
"$bin/conncheck_bare_loop" --seconds "$seconds" "$work/tp"
"$bin/conncheck_bare_loop" --seconds "$seconds" --harness "$work/tp"
