#!/usr/bin/env bash
# conform_views.sh CLI DIR: one `conform` run writes JSON to --output and
# markdown to --also; both views describe the same run (its duration, to
# the tenth of a second, and its number of case runs), which two runs of
# the matrix would not.
set -u
cli=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir"
"$cli" conform --backend syscall --format json --output "$dir/c.json" --also markdown="$dir/c.md"
rc=$?
[ "$rc" -le 1 ] || { echo "conform exit $rc"; exit 1; }
[ -s "$dir/c.json" ] && [ -s "$dir/c.md" ] || { echo "a view is missing"; exit 1; }
from_json=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(f"{len(j[\"runs\"])} case runs, {j[\"seconds\"]:.1f} s")' "$dir/c.json")
echo "json: $from_json"
grep -F "$from_json" "$dir/c.md" || { echo "markdown header differs:"; grep 'case runs' "$dir/c.md"; exit 1; }
