#!/usr/bin/env bash
# check_format.sh [FILE...]: every C and C++ source in the tree (or the
# FILEs given) is as .clang-format writes it. Prints the files that are not,
# with clang-format's first complaints, and exits 1; 0 when all are.
# Fix with: clang-format-14 -i FILE...
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
fmt=$(command -v clang-format-14 || command -v clang-format) ||
  { echo "check_format.sh: clang-format-14 not installed (ci/setup.sh installs it)" >&2; exit 2; }
if [ $# -gt 0 ]; then
  files=("$@")
else
  # Recorded outputs under fixtures are data, not sources.
  mapfile -t files < <(git ls-files '*.cc' '*.h' '*.c' | grep -v '/fixtures/')
fi
bad=0
for f in "${files[@]}"; do
  if ! out=$("$fmt" --style="file:$root/.clang-format" --dry-run --Werror "$f" 2>&1); then
    echo "not formatted: $f"
    printf '%s\n' "$out" | head -n 3
    bad=$((bad + 1))
  fi
done
echo "$bad of ${#files[@]} files not formatted"
[ "$bad" -eq 0 ]
