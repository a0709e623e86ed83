#!/usr/bin/env bash
# The main job. What a maintainer runs on a laptop with a short budget and
# what nightly CI runs for hours:
#
#   ci/nightly.sh [--minutes N] [--jobs J] [--report DIR] [--stages LIST]
#
#   --minutes N   time budget for the checks, default 5 (set-up and builds
#                 are not counted). Fuzzing gets what the other stages leave.
#   --jobs J      processes for libFuzzer's fork mode, default: all cores
#   --report DIR  default reports/<UTC time>; reports/latest points at it
#   --stages LIST comma-separated subset of: sandbox, conformance,
#                 properties, fuzz, bench (default: all)
#
# Stages: set-up (missing Debian packages), both builds, sandbox self-check,
# conformance matrix, RapidCheck properties, each fuzz target for its share
# (corpus merge, crash minimisation, a C reproducer per finding), then the
# benchmarks and their comparison with the previous run. The report
# (index.html, summary.md, junit.xml, report.json) is written at the end,
# and on Ctrl-C too (the corpus stays whole; see ci/fuzz.sh).
# Exit: 0 clean, 1 findings or regressions, 2 harness error or bad argument,
# 130 interrupted (after writing the partial report).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "nightly: $*" >&2; exit 2; }
minutes=5; jobs=$(nproc); report=""; stages="sandbox,conformance,properties,fuzz,bench"
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    --minutes|--jobs|--report|--stages) [ $# -ge 2 ] || die "$1 needs a value" ;;&
    --minutes) minutes="$2" ;;
    --jobs) jobs="$2" ;;
    --report) report="$2" ;;
    --stages) stages="$2" ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift 2
done
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || die "--minutes $minutes: need a whole number of minutes above 0"
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -gt 0 ] || die "--jobs $jobs: need a whole number above 0"
for s in ${stages//,/ }; do
  case "$s" in sandbox|conformance|properties|fuzz|bench) ;; *) die "--stages: unknown stage '$s'" ;; esac
done
want() { [[ ",$stages," == *",$1,"* ]]; }

stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="${report:-reports/$stamp}"
mkdir -p "$report" || die "cannot create report directory $report"
if [[ "$report" == reports/* ]]; then ln -sfn "$(basename "$report")" reports/latest; fi
: > "$report/stages.jsonl"
overall=0
source ci/lib/stages.sh
# Job control: each stage gets its own process group and default signal
# handling (without it, bash starts background commands with SIGINT
# ignored, and an interrupt could not reach them).
set -m
trap on_interrupt INT TERM
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
setup_t0=$(date +%s)
deadline=$(( $(date +%s) + minutes * 60 ))
cli=build/plain/harness/cli/conncheck

run_stage setup "all Debian packages present" ci/setup.sh
run_stage build-plain "tests, CLI, benchmarks" ci/build.sh plain
want fuzz && run_stage build-fuzz "libFuzzer targets (clang-14, ASan+UBSan)" ci/build.sh fuzz
# The budget starts after the builds: set-up and builds are timed apart
# (meta.json setup_seconds), the checks below must end within the budget
# (checks_seconds; the issue-14 bound is the budget + 10%).
checks_t0=$(date +%s)
setup_seconds=$(( checks_t0 - setup_t0 ))
deadline=$(( checks_t0 + minutes * 60 ))

sandbox_stage() {
  "$cli" sandbox-check > "$report/sandbox-check.txt" || return 2
  for b in libc syscall io_uring; do
    "$cli" call --family inet --type stream --addr 10.255.0.1:80 --backend "$b" >> "$report/calls.txt" || return 2
  done
}
conform_stage() {
  # One run of the matrix, two views of it: the report reads conform.json,
  # a person reads conform.md.
  "$cli" conform --format json --output "$report/conform.json" --also markdown="$report/conform.md"
}
properties_stage() {
  # Exploration: ctest replays one committed seed (properties/CMakeLists.txt),
  # so new cases are found here, with a fresh seed each run and more cases
  # than ctest's 100, scaled with the budget. The seed is printed and is in
  # properties.txt (RapidCheck's "Using configuration: seed=N" line, which
  # the report shows); a falsified property is a finding carrying its
  # RC_PARAMS="reproduce=..." line.
  local n=$(( minutes < 5 ? 100 : minutes < 10 ? 300 : minutes < 60 ? 1000 : 5000 ))
  local seed; seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
  progress "properties: RC_PARAMS=\"seed=$seed max_success=$n\""
  RC_PARAMS="seed=$seed max_success=$n" build/plain/properties/conncheck_properties \
    --gtest_output="xml:$report/properties.xml" > "$report/properties.txt" 2>&1
}
# Seconds the benchmarks take at each budget's min-time (9 repetitions, the
# U test's minimum, of every benchmark, on a 2-core VM with margin): what the
# fuzz stage leaves them.
bench_min_time() { [ "$minutes" -lt 5 ] && echo 0.01 || { [ "$minutes" -lt 15 ] && echo 0.05 || echo 0.2; }; }
bench_reserve() { [ "$minutes" -lt 5 ] && echo 25 || { [ "$minutes" -lt 15 ] && echo 70 || echo 200; }; }
bench_stage() {
  # Short budgets get shorter repetitions (9 is the minimum the U test needs).
  local min_time; min_time=$(bench_min_time)
  bench/run.sh --binary build/plain/bench/conncheck_bench --min-time "$min_time" \
    --out "$report/bench" > "$report/bench.txt" 2>&1
}
fuzz_stage() {
  # What is left of the budget, less the benchmarks' reserve. ci/fuzz.sh
  # keeps to it (fuzzing, merging and minimising included); a floor of a
  # few seconds per target only when the budget is already spent.
  local reserve; reserve=$(bench_reserve)
  want bench || reserve=0
  local secs=$(( $(left) - reserve ))
  [ "$secs" -ge 15 ] || secs=15
  ci/fuzz.sh "$report" "$secs" "$jobs"
}

want sandbox && run_stage sandbox-check "isolated: own network namespace" sandbox_stage
want conformance && run_stage conformance "every documented errno and rule, 3 backends" conform_stage
want properties && run_stage properties "RapidCheck properties" properties_stage
want fuzz && run_stage fuzz "3 targets" fuzz_stage
want bench && run_stage benchmarks "no regression, wrapper within 3%" bench_stage

checks_seconds=$(( $(date +%s) - checks_t0 ))
progress "checks took ${checks_seconds}s of a ${minutes}-minute budget (set-up and builds: ${setup_seconds}s)"

# The report, also after an interrupt: whatever the stages left.
[ "$interrupted" -eq 0 ] || overall=130
/usr/bin/python3 - "$report" <<'PY'
import json, sys
d = sys.argv[1]
with open(f"{d}/stages.jsonl") as f:
    stages = [json.loads(l) for l in f if l.strip()]
with open(f"{d}/stages.json", "w") as f:
    json.dump(stages, f, indent=1)
PY
cat > "$report/meta.json" <<JSON
{"started": "$started", "minutes_budget": $minutes, "jobs": $jobs,
 "kernel": "$(uname -r)", "libc": "$(ldd --version 2>&1 | head -n 1 | sed 's/.* //; s/^/glibc /')",
 "host": "$(hostname)", "git": "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)",
 "setup_seconds": $setup_seconds, "checks_seconds": $checks_seconds,
 "exit": $overall}
JSON
/usr/bin/python3 report/build_report.py "$report" || overall=2
echo "== report: $report/index.html (summary: $report/summary.md); exit $overall"
exit $overall
