#!/usr/bin/env bash
# Runs a command and passes only if it exits 2 with exactly one line on
# stderr and nothing on stdout (the project's rule for bad input).
out=$("$@" 2>/tmp/conncheck-usage.$$); rc=$?
err=$(cat /tmp/conncheck-usage.$$); rm -f /tmp/conncheck-usage.$$
lines=$(printf '%s' "$err" | grep -c '')
echo "exit=$rc stderr=[$err]"
[ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ -z "$out" ]
