#!/usr/bin/env bash
# Nothing a Program binds reaches the host's filesystem (issue 14): a
# Program that binds AF_UNIX paths truncated out of the private directory,
# "/tmp/conncheck" and "/t", replays through all three backends (repro
# --target backend_diff, and the backend-diff replay driver) with the same
# outcome on each (the first backend's socket file is gone before the
# next starts), "/t" is EROFS (the host's root is read-only in the
# sandbox), and the host's /tmp and / hold no new entry afterwards.
#   host_files_untouched.sh CLI BACKEND_DIFF_REPLAY PROGRAM.json
set -u
cli=$1 replay=$2 program=$3
# Only the names this Program could make: other tests run alongside and
# may use /tmp themselves (mktemp, cleaned up by their traps).
snapshot() { ls -A /tmp | grep -E '^conncheck' ; ls -A / | grep -Ex 't|tmp'; }
before=$(snapshot)
out=$("$cli" repro "$program" --target backend_diff --backend io_uring 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: repro --target backend_diff exit $rc (a backend disagreement or finding)"; exit 1; }
grep -q 'sun_path="/t".* = -1 EROFS' <<<"$out" || { echo "FAIL: bind of /t was not EROFS"; exit 1; }
"$replay" "$program" || { echo "FAIL: backend-diff replay exit $?"; exit 1; }
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "FAIL: the host's filesystem changed:"
  diff <(echo "$before") <(echo "$after")
  exit 1
fi
echo "host /tmp and / unchanged"
