#!/bin/bash -eu
# Builds the fuzz targets the way OSS-Fuzz / ClusterFuzzLite expect: with
# their $CC, $CXX, $CFLAGS, $CXXFLAGS (sanitizer and coverage flags already
# in them) and $LIB_FUZZING_ENGINE, into $OUT, each with its .dict, .options
# and <target>_seed_corpus.zip. Works outside Docker too (see
# docs/FUZZING.md: "ClusterFuzzLite build, tested by hand").
#
# The runner image has none of the harness's shared libraries (liburing,
# libnl, fmt), so they are copied to $OUT/lib and found through an
# $ORIGIN-relative rpath.
src="${SRC}/conncheck"
[ -f "$src/CMakeLists.txt" ] || src="$(cd "$(dirname "$0")/.." && pwd)"
build="${WORK:-/tmp}/conncheck-cfl-build"
targets=(connect_sockaddr_fuzzer connect_program_fuzzer connect_backend_diff_fuzzer)

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCONNCHECK_FUZZ=ON -DCONNCHECK_EXTERNAL_ENGINE=ON \
  -DCMAKE_BUILD_RPATH='$ORIGIN/lib'
cmake --build "$build" --target "${targets[@]}"

mkdir -p "$OUT/lib"
for t in "${targets[@]}"; do
  cp "$build/harness/fuzz/$t" "$OUT/"
  cp "$src/harness/fuzz/$t.dict" "$src/harness/fuzz/$t.options" "$OUT/"
  rm -f "$OUT/${t}_seed_corpus.zip"
  if [ -d "$src/corpus/$t" ]; then
    (cd "$src/corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  fi
  # Shared libraries outside glibc and the compiler runtime go with the binary.
  # (Once copied, later binaries already resolve them from $OUT/lib.)
  ldd "$OUT/$t" | awk '/=> \// {print $3}' | grep -v "^$OUT/lib/" |
    grep -E 'liburing|libnl-|libfmt' | xargs -r -I{} cp -L {} "$OUT/lib/"
done
