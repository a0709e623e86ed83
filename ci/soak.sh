#!/usr/bin/env bash
# Soak: fuzz every target at once for a long time and record each fuzz
# process's RSS and open-fd count over time; they must stay flat.
#
#   ci/soak.sh [--minutes N] [--interval SECONDS] [--out DIR] [--build DIR]
#
# Defaults: 60 minutes, a sample every 10 s, output in reports/soak-<UTC time>/,
# fuzz binaries from build/fuzz (ci/build.sh fuzz builds them). Writes
# soak.csv (seconds,target,rss_kb,fds,execs), soak.md (first/last/peak per
# target and the verdict) and soak.svg; findings do not stop a fuzzer: each
# is one line in <target>.log and its input is kept in <target>-findings/.
# The fuzzers work on a copy of the seeds, so corpus/ is not touched.
# Exit: 0 flat, 1 growth, 2 bad argument.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=60; interval=10; out=""; build=build/fuzz
die() { echo "soak: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    --minutes|--interval|--out|--build) [ $# -ge 2 ] || die "$1 needs a value" ;;&
    --minutes) minutes="$2" ;;
    --interval) interval="$2" ;;
    --out) out="$2" ;;
    --build) build="$2" ;;
    *) die "unknown argument '$1'" ;;
  esac
  shift 2
done
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || die "--minutes $minutes: need a whole number above 0"
[[ "$interval" =~ ^[0-9]+$ ]] && [ "$interval" -gt 0 ] || die "--interval $interval: need a whole number of seconds above 0"
out="${out:-reports/soak-$(date -u +%Y%m%dT%H%M%SZ)}"
targets=(connect_sockaddr_fuzzer connect_program_fuzzer connect_backend_diff_fuzzer)
for t in "${targets[@]}"; do
  [ -x "$build/harness/fuzz/$t" ] || die "no fuzz binary $build/harness/fuzz/$t (run: ci/build.sh fuzz)"
done
mkdir -p "$out"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'echo "soak: interrupted; writing what was sampled" >&2; kill "${pids[@]}" 2>/dev/null || true' INT TERM

seconds=$((minutes * 60))
# ASan parks freed memory in a quarantine (256 MB by default) that fills for
# many minutes and looks like a leak on an RSS plot; a small one keeps the
# plot about the harness. LeakSanitizer still runs at exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"
# A finding would end a plain-mode fuzzer at the first one; the soak measures
# the processes, so findings are logged (one line each), each one's input is
# kept in <target>-findings/ for `conncheck repro --target`, and the run
# goes on.
export CONNCHECK_FUZZ_KEEP_GOING=1
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "$out/$t-findings"
  cp corpus/"$t"/* "$work/$t"/ 2>/dev/null || true
  # -print_final_stats for the log; no -fork: the process measured is the fuzzer.
  CONNCHECK_FUZZ_FINDINGS_DIR="$out/$t-findings" "$build/harness/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$out/$t-" "$work/$t" > "$out/$t.log" 2>&1 &
  pids+=($!)
done

echo "seconds,target,rss_kb,fds,execs" > "$out/soak.csv"
start=$(date +%s)
while :; do
  alive=0
  now=$(( $(date +%s) - start ))
  for i in "${!targets[@]}"; do
    p=${pids[$i]}; t=${targets[$i]}
    [ -d "/proc/$p" ] || continue
    alive=1
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo "")
    fds=$(ls "/proc/$p/fd" 2>/dev/null | wc -l || true)
    # libFuzzer's status lines: "#123456  pulse  cov: ... exec/s: ..."
    # (no status line yet in the first seconds: grep fails, and under
    # pipefail that must not end the soak)
    execs=$(grep -ao '^#[0-9]*' "$out/$t.log" | tail -n 1 | tr -d '#' || true)
    [ -n "$rss" ] && echo "$now,$t,$rss,$fds,${execs:-0}" >> "$out/soak.csv"
  done
  [ "$alive" -eq 1 ] || break
  printf '\rsoak: %4ds of %ds' "$now" "$seconds" >&2
  sleep "$interval"
done
echo >&2
/usr/bin/python3 ci/soak_summary.py "$out/soak.csv" --md "$out/soak.md" --svg "$out/soak.svg"
