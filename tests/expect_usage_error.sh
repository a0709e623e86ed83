#!/usr/bin/env bash
# expect_usage_error.sh [--stderr ERE] COMMAND...
# Passes only if COMMAND exits 2 with exactly one line on stderr (matching
# ERE when given) and nothing on stdout (the project's rule for bad input).
# The command runs twice (stderr, then stdout), so nothing is written to
# the host's /tmp; a usage error is cheap and the same every time.
want=""
if [ "${1:-}" = "--stderr" ]; then want="$2"; shift 2; fi
err=$("$@" 2>&1 >/dev/null); rc=$?
out=$("$@" 2>/dev/null)
lines=$(printf '%s' "$err" | grep -c '')
echo "exit=$rc stderr=[$err] stdout=[$out]"
[ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ -z "$out" ] || exit 1
[ -z "$want" ] || printf '%s' "$err" | grep -Eq -- "$want" || { echo "stderr does not match: $want"; exit 1; }
