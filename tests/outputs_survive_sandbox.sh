#!/usr/bin/env bash
# What a command line names as an output is on the host afterwards, also
# when it does not exist yet and its directory is one the sandbox covers
# with a fresh tmpfs (issue 16): `conform --output /tmp/x.json` said it
# wrote the report, but wrote it into the sandbox's private /tmp, and it
# was gone. Checks conform's --output and --also, repro's --emit-c, and
# gtest's --gtest_output to a file and to a directory (DIR/), each a fresh
# path directly in /tmp, each valid afterwards; and that the repro of a
# Program binding truncated AF_UNIX paths still leaves nothing else in the
# host's /tmp or / (only the named outputs get out).
#   outputs_survive_sandbox.sh CLI TESTS PROGRAM.json
set -u
cli=$1 tests=$2 program=$3
base=/tmp/cc-outputs-test.$$
json=$base.json md=$base.md c=$base.c xml=$base.xml dir=$base.d
trap 'rm -rf "$json" "$md" "$c" "$xml" "$dir"' EXIT
rm -rf "$json" "$md" "$c" "$xml" "$dir"
fail() { echo "FAIL: $*"; exit 1; }

"$cli" conform --backend syscall --format json --output "$json" --also markdown="$md"
[ $? -le 1 ] || fail "conform exit code"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["runs"]' "$json" ||
  fail "--output $json is missing or not the matrix's JSON"
grep -q '^|' "$md" || fail "--also markdown=$md is missing or has no table"

# As host_files_untouched.sh: only the names this Program could make.
snapshot() { ls -A /tmp | grep -E '^conncheck'; ls -A / | grep -Ex 't|tmp'; }
before=$(snapshot)
"$cli" repro "$program" --backend syscall --emit-c "$c" >/dev/null
[ $? -le 1 ] || fail "repro exit code"
grep -q '^int main' "$c" || fail "--emit-c $c is missing or has no main()"
[ "$before" == "$(snapshot)" ] || fail "the Program's binds reached the host's /tmp or /"

filter=--gtest_filter=Sandbox.LocalPortRangeIsSetAndRestored
"$tests" "$filter" --gtest_output=xml:"$xml" >/dev/null || fail "gtest run"
grep -q '<testsuites' "$xml" || fail "--gtest_output=xml:$xml is missing"
"$tests" "$filter" --gtest_output=xml:"$dir/" >/dev/null || fail "gtest run"
grep -q '<testsuites' "$dir"/*.xml || fail "--gtest_output=xml:$dir/ has no report"
echo "every named output is on the host"
