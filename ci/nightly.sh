#!/usr/bin/env bash
# The main job: install what is missing, build, run the checks, and keep the
# outputs under reports/<timestamp>/ (reports/latest points at the newest).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: ci/nightly.sh [--report DIR]" >&2; }
report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --report) [ $# -ge 2 ] || { echo "nightly: --report needs a directory" >&2; exit 2; }
              report="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "nightly: unknown argument '$1'" >&2; usage; exit 2 ;;
  esac
done

ci/setup.sh
ci/build.sh plain
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="${report:-reports/$stamp}"
mkdir -p "$report"
ln -sfn "$(basename "$report")" reports/latest 2>/dev/null || true
cli=build/plain/harness/cli/conncheck
status=0

echo "== sandbox self-check"
"$cli" sandbox-check | tee "$report/sandbox-check.txt" || status=1

echo "== one connect per backend"
for b in libc syscall io_uring; do
  "$cli" call --family inet --type stream --addr 10.255.0.1:80 --backend "$b" | tee -a "$report/calls.txt"
done

echo "== conformance matrix"
"$cli" conform --format json     --output "$report/conform.json" || status=1
"$cli" conform --format markdown --output "$report/conform.md"   || status=1
"$cli" conform --format junit    --output "$report/conform.xml"  || status=1
"$cli" conform | tee "$report/conform.txt"                       || status=1

echo "== benchmarks (about 3 minutes; history in bench/history)"
# Compares with the previous run in the history when there is one; exit 1 on
# a significant slowdown beyond 10% or wrapper overhead over 3%.
bench/run.sh --binary build/plain/bench/conncheck_bench --out "$report/bench" || status=1

echo "== report: $report (exit $status)"
exit $status
