# Sourced by ci/nightly.sh: stage bookkeeping, progress lines and the
# interrupt flag. A stage is one command; its exit code says what it found:
# 0 ok, 1 findings (or regressions), anything else a harness error.
# Each finished stage appends one JSON line to $report/stages.jsonl, which
# report/build_report.py reads (as stages.json, written at the end).

interrupted=0
child=0
on_interrupt() {
  interrupted=1
  echo "nightly: interrupted; finishing the current step safely and writing the partial report" >&2
  # The stage runs in its own process group (set -m in nightly.sh): pass
  # the interrupt to all of it, so ci/fuzz.sh can merge and stop cleanly.
  [ "$child" -gt 0 ] && kill -INT -- "-$child" 2>/dev/null
  return 0
}

# seconds left in the budget (never below 0)
left() { local l=$(( deadline - $(date +%s) )); echo $(( l > 0 ? l : 0 )); }
fmt_time() { printf '%d:%02d' $(( $1 / 60 )) $(( $1 % 60 )); }
progress() { printf '[nightly %s left] %s\n' "$(fmt_time "$(left)")" "$*"; }

json_str() { /usr/bin/python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

record_stage() {  # name status seconds detail
  printf '{"name": %s, "status": "%s", "seconds": %s, "detail": %s}\n' \
    "$(json_str "$1")" "$2" "$3" "$(json_str "$4")" >> "$report/stages.jsonl"
}

# run_stage NAME DETAIL-ON-SUCCESS COMMAND...: runs the command in the
# background and waits, so an interrupt reaches the trap at once (bash
# defers traps while a foreground child runs). Sets $stage_rc.
run_stage() {
  local name="$1" detail="$2"; shift 2
  if [ "$interrupted" -eq 1 ]; then record_stage "$name" skipped 0 "interrupted before it started"; return; fi
  progress "$name: start"
  local t0; t0=$(date +%s.%N)
  ( set +e; "$@" ) &
  child=$!
  set +e
  wait "$child"; stage_rc=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; stage_rc=$?; done  # woken by the trap: wait again
  set -e
  child=0
  local secs; secs=$(/usr/bin/python3 -c "import time; print(round(time.time() - $t0, 1))")
  local status
  if [ "$interrupted" -eq 1 ]; then status=error; detail="interrupted (exit $stage_rc)"
  elif [ "$stage_rc" -eq 0 ]; then status=ok
  elif [ "$stage_rc" -eq 1 ]; then status=findings; detail="findings: see its section"
  else status=error; detail="exit $stage_rc"; fi
  record_stage "$name" "$status" "$secs" "$detail"
  progress "$name: $status (${secs}s)"
  case "$status" in findings) overall=$(( overall > 1 ? overall : 1 )) ;; error) overall=2 ;; esac
}
