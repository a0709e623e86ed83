#!/bin/sh
# expect_property_failure.sh SHIM PROPERTIES_BINARY SUITE.NAME
# Passes only when the property, run with SHIM preloaded (so the libc
# backend's connect() is the shim's), is falsified: non-zero exit, gtest
# names the property as FAILED, RapidCheck reports a falsifying case, and
# the reproduce string is printed. A crash or a sandbox problem is no pass.
set -u
shim=$1 bin=$2 prop=$3
echo "expect_property_failure: RC_PARAMS=${RC_PARAMS:-(unset: a random seed)}"
out=$(LD_PRELOAD="$shim" "$bin" --gtest_filter="$prop" 2>&1)
rc=$?
echo "$out" | tail -n 60
fail() { echo "expect_property_failure: $prop under $(basename "$shim"): $1" >&2; exit 1; }
[ "$rc" -eq 1 ] || fail "exit status $rc, wanted 1 (a failed property)"
echo "$out" | grep -q "\[  FAILED  \] $prop" || fail "gtest did not report the property as failed"
echo "$out" | grep -q "Falsifiable after" || fail "RapidCheck found no falsifying case"
echo "$out" | grep -q "RC_PARAMS=\"reproduce=" || fail "no reproduce string printed"
echo "expect_property_failure: $prop fails under $(basename "$shim"), as it must"
