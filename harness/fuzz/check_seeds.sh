#!/usr/bin/env bash
# Drift check: regenerate the seed corpora from the conformance matrix into
# a temporary directory and compare with the committed ones.
#   check_seeds.sh MAKE_SEEDS CORPUS_DIR
set -euo pipefail
make_seeds="$1" corpus="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$make_seeds" "$tmp" >/dev/null
status=0
for t in connect_sockaddr_fuzzer connect_program_fuzzer connect_backend_diff_fuzzer; do
  # cov-*: inputs the nightly's corpus merge added (they add coverage; they
  # are not generated from the matrix).
  if ! diff -r -x 'cov-*' "$tmp/$t" "$corpus/$t" >"$tmp/$t.diff" 2>&1; then
    echo "corpus/$t differs from the conformance matrix's Programs:"
    head -20 "$tmp/$t.diff"
    status=1
  fi
done
[ $status -eq 0 ] || echo "regenerate with: conncheck_make_seeds $corpus"
exit $status
