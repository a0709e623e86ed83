#!/usr/bin/env bash
# The nightly's fuzz stage: each target fuzzes for its share of a budget
# with libFuzzer's fork mode over J processes, then
#   - inputs that add coverage are merged back into corpus/<target>/ as
#     cov-<sha1> (staged, then renamed one by one: an interrupt leaves every
#     corpus file whole, and the generated seeds are never touched);
#   - each finding is minimised (-minimize_crash) and kept under
#     REPORT/fuzz/<target>/findings/<id>/ with its input, kind, trace
#     (conncheck repro) and standalone C reproducer (repro.c);
#   - REPORT/fuzz/<target>/stats.json records execs, execs/s, coverage,
#     corpus sizes and findings.
# Every input is bounded by -timeout=10 (the harness bounds each blocking
# call at 50 ms; an input still running after 10 s is a hang finding).
# Live progress every 10 s: target, time used, execs/s, failing inputs so far.
#
#   ci/fuzz.sh REPORT_DIR SECONDS_IN_ALL [JOBS]
# Exit 0 no finding, 1 findings, 2 bad argument or missing binaries.
set -uo pipefail
cd "$(dirname "$0")/.."
die() { echo "fuzz.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: ci/fuzz.sh REPORT_DIR SECONDS_IN_ALL [JOBS]"
report="$1" total="$2" jobs="${3:-1}"
[[ "$total" =~ ^[0-9]+$ ]] && [ "$total" -gt 0 ] || die "SECONDS_IN_ALL '$total': need a whole number above 0"
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -gt 0 ] || die "JOBS '$jobs': need a whole number above 0"
bin="${FUZZ_BUILD:-build/fuzz}/harness/fuzz"
cli="${CONNCHECK_CLI:-build/plain/harness/cli/conncheck}"
targets=(connect_sockaddr_fuzzer connect_program_fuzzer connect_backend_diff_fuzzer)
for t in "${targets[@]}"; do [ -x "$bin/$t" ] || die "no fuzz binary $bin/$t (ci/build.sh fuzz)"; done
[ -x "$cli" ] || die "no conncheck CLI at $cli (ci/build.sh plain)"

interrupted=0
fuzzer=0
set -m  # the fuzzer in its own process group, with SIGINT not ignored
trap 'interrupted=1; [ "$fuzzer" -gt 0 ] && kill -INT -- "-$fuzzer" 2>/dev/null' INT TERM
# Short budgets minimise fewer findings (15 s each), so they stay short.
max_unique=$(( total < 300 ? 3 : 10 ))
# The budget covers fuzzing, merging and minimising, and is kept to: each
# target gets an equal slot of it, ending at a fixed time (slot_end); it
# fuzzes for 60% of what is left of its slot, and the merge and each
# minimisation are bounded by what is left after that (a minimisation by
# 10 s at most, 15 s for budgets of 5 minutes and more). A step with no
# time left is skipped and says so: ci/nightly.sh --minutes N must end
# within N minutes + 10% (issue 14).
t_start=$(date +%s)
min_secs=$(( total < 300 ? 10 : 15 ))
until_t() { local l=$(( $1 - $(date +%s) )); echo $(( l > 0 ? l : 0 )); }
target_no=0
status=0
all_findings=0

# "#123: cov: 10 ft: 20 corp: 5 exec/s 300 ..." (fork) or
# "#123  NEW  cov: 10 ft: 20 corp: 5/99b ... exec/s: 300 rss: 40Mb" (plain)
last_status() { grep -aE '^#[0-9]+' "$1" | tail -n 1; }
field() { sed -nE "s|.*$2[: ]+([0-9]+).*|\1|p" <<< "$1"; }
runs() { sed -nE 's/^#([0-9]+).*/\1/p' <<< "$1"; }

for t in "${targets[@]}"; do
  [ "$interrupted" -eq 0 ] || break
  out="$report/fuzz/$t"; work="$out/work-corpus"
  mkdir -p "$out/crashes" "$out/findings" "$work"
  cp corpus/"$t"/* "$work"/ 2>/dev/null
  before=$(ls corpus/"$t" | wc -l)
  max_len=$(sed -n 's/^max_len = //p' "harness/fuzz/$t.options")
  target_no=$((target_no + 1))
  slot_end=$(( t_start + total * target_no / ${#targets[@]} ))
  t0=$(date +%s)
  share=$(( $(until_t "$slot_end") * 60 / 100 ))
  [ "$share" -ge 3 ] || share=3
  # timeout: fork mode checks -max_total_time only between jobs, and a job
  # of slow inputs (each blocking call may take the 50 ms bound) overruns.
  timeout --signal=INT --kill-after=5 $((share + 2)) \
  "$bin/$t" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$share" -timeout=10 -dict="harness/fuzz/$t.dict" ${max_len:+-max_len=$max_len} \
      -artifact_prefix="$out/crashes/" -print_final_stats=1 "$work" > "$out/log.txt" 2>&1 &
  fuzzer=$!
  ticks=0
  while kill -0 "$fuzzer" 2>/dev/null; do
    # Woken each second, so a short share is not stretched to the 10 s
    # between progress lines.
    sleep 1 & wait $! 2>/dev/null
    ticks=$((ticks + 1)); [ $((ticks % 10)) -eq 0 ] || continue
    line=$(last_status "$out/log.txt")
    n=$(ls "$out/crashes" | wc -l)
    # Fork mode's own exec/s field reads 0, so the rate is runs / elapsed.
    el=$(( $(date +%s) - t0 )); r=$(runs "$line")
    printf '[fuzz %s] %ds of %ds, %s execs/s, %s execs, cov %s, failing inputs so far %d\n' "$t" \
      "$el" "$share" $(( ${r:-0} / (el > 0 ? el : 1) )) "${r:-0}" "$(field "$line" 'cov')" $(( all_findings + n ))
  done
  wait "$fuzzer"; fuzzer=0
  secs=$(( $(date +%s) - t0 ))
  line=$(last_status "$out/log.txt")

  # Merge: stage a copy of the corpus, let libFuzzer add what adds coverage,
  # then move only the new files in, one rename each.
  merged=0
  merge_secs=$(until_t "$slot_end")
  if [ "$interrupted" -eq 0 ] && [ "$merge_secs" -lt 2 ]; then
    echo "fuzz.sh: $t: no time left in its slot for the corpus merge; corpus/ unchanged" >&2
  elif [ "$interrupted" -eq 0 ]; then
    stage="corpus/.merge-$t"; rm -rf "$stage"; cp -r "corpus/$t" "$stage"
    # Bounded: merging replays every input, and slow ones add up. Killing a
    # merge loses nothing (it works on the staged copy).
    if timeout --signal=INT --kill-after=2 "$merge_secs" \
         "$bin/$t" -merge=1 "$stage" "$work" > "$out/merge.txt" 2>&1; then
      for f in "$stage"/*; do
        b=$(basename "$f")
        [ -e "corpus/$t/$b" ] || [ -e "corpus/$t/cov-$b" ] || { mv "$f" "corpus/$t/cov-$b"; merged=$((merged + 1)); }
      done
    else
      echo "fuzz.sh: $t: corpus merge failed or ran out of time (see $out/merge.txt); corpus/ unchanged" >&2
    fi
    rm -rf "$stage"
  fi

  # Findings. A Model gap makes many inputs fail the same way, so they are
  # grouped by their first verdict line (numbers masked); the first input of
  # each group is minimised (bounded), replayed and turned into C, the rest
  # are listed as duplicates. At most $max_unique groups per target are
  # minimised, so a bad night cannot eat the benchmarks' time.
  n=0; crashes=0
  declare -A group=()
  for c in "$out"/crashes/*; do
    [ -e "$c" ] || continue
    crashes=$((crashes + 1))
    sig=""
    # After an interrupt, keep the input only: replaying can take seconds each.
    [ "$interrupted" -eq 1 ] ||
      sig=$("$cli" repro "$c" --target "$t" 2>&1 | grep -m1 -aoE '# (violation|hang|leak|backend-disagreement).*' |
            sed -E 's/[0-9]+/N/g')
    sig="${sig:-crash (no verdict on replay: sanitizer or flaky)}"
    if [ -n "${group[$sig]:-}" ]; then
      echo "$(basename "$c")" >> "$out/findings/${group[$sig]}/duplicates.txt"; continue
    fi
    id=$(basename "$c"); group[$sig]="$id"
    d="$out/findings/$id"; mkdir -p "$d"; cp "$c" "$d/input"
    n=$((n + 1))
    # Minimising costs up to $min_secs s a finding, so only the first $max_unique
    # are; every finding still gets its trace and C reproducer (fast).
    left_min=$(until_t "$slot_end"); [ "$left_min" -lt "$min_secs" ] || left_min=$min_secs
    if [ "$n" -gt "$max_unique" ] || [ "$interrupted" -eq 1 ] || [ "$left_min" -lt 2 ]; then
      echo "(not minimised: over $max_unique findings, out of time, or interrupted)" > "$d/minimized.txt"
    elif timeout --signal=INT --kill-after=2 $((left_min + 2)) \
         "$bin/$t" -minimize_crash=1 -max_total_time="$left_min" \
         -exact_artifact_path="$d/minimized" "$c" > "$d/minimize-log.txt" 2>&1 && [ -s "$d/minimized" ]; then
      cp "$d/minimized" "$d/input"
      echo "minimised from $(stat -c %s "$c") to $(stat -c %s "$d/input") bytes" > "$d/minimized.txt"
    fi
    [ "$interrupted" -eq 1 ] || "$cli" repro "$d/input" --target "$t" --emit-c "$d/repro.c" > "$d/trace.txt" 2>&1
    kind=$(grep -aoE '(violation|hang|leak|backend-disagreement)' "$d/trace.txt" | head -n 1)
    echo "${kind:-crash}" > "$d/kind.txt"
    echo "finding: $d ($(cat "$d/kind.txt")): ${sig#\# }"
  done
  [ "$crashes" -eq 0 ] || echo "[fuzz $t] $crashes failing inputs in $n distinct findings"
  all_findings=$((all_findings + n))
  [ "$n" -eq 0 ] || status=1
  rm -rf "$work"

  after=$(ls corpus/"$t" | wc -l)
  execs=$(runs "$line"); eps=$(( ${execs:-0} / (secs > 0 ? secs : 1) )); rss=$(field "$line" 'rss')
  cat > "$out/stats.json" <<JSON
{"target": "$t", "seconds": $secs, "execs": ${execs:-0}, "execs_per_sec": ${eps:-0},
 "corpus_before": $before, "corpus_after": $after, "new_inputs_merged": $merged,
 "coverage": {"cov": $(field "$line" 'cov' | grep . || echo 0), "ft": $(field "$line" 'ft' | grep . || echo 0)},
 "rss_mb": ${rss:-null}, "findings": $n, "failing_inputs": $crashes, "jobs": $jobs}
JSON
  echo "[fuzz $t] done: ${execs:-0} execs in ${secs}s, $merged inputs merged into corpus/$t, $n findings"
done
[ "$interrupted" -eq 0 ] || exit 130
exit $status
