#!/usr/bin/env bash
# `conncheck repro FILE --emit-c`: the written C builds with `cc` alone and,
# run, prints the same lines as repro up to fd numbers, post-state comments
# and timing, and exits 0 (every step as the harness recorded it).
set -u
cli=$1 file=$2
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
"$cli" repro "$file" --backend io_uring --emit-c "$dir/r.c" > "$dir/harness.txt"
[ $? -le 1 ] || { echo "repro failed"; exit 1; }
cc "$dir/r.c" -o "$dir/r" || { echo "cc failed"; exit 1; }
"$dir/r" > "$dir/c.txt" || { echo "reproducer exit $?"; cat "$dir/c.txt"; exit 1; }
# Trace lines only, with fd numbers and trailing comments masked.
norm() { grep -v '^#\|^    #' | sed -E 's/^(\w+)\(-?[0-9]+/\1(FD/; s/fd=-?[0-9]+/fd=FD/; s/ \/\* (peer|HANG)=?.*$//'; }
diff <(norm < "$dir/harness.txt") <(norm < "$dir/c.txt") && echo "same trace"
