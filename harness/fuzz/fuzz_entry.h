// The body every fuzz target shares: enter the sandbox once, then per
// input decode, run and judge; abort with the report on a finding, say
// nothing otherwise (libFuzzer's own output is the progress report).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "fuzz/fuzz_input.h"
#include "program/errors.h"
#include "sandbox/sandbox.h"

namespace conncheck::fuzz {

// Called from LLVMFuzzerInitialize, before libFuzzer starts any thread
// (the sandbox refuses a multi-threaded process). What libFuzzer writes
// after that stays writable in the sandbox's read-only filesystem: the
// paths in its arguments (corpus directories, -artifact_prefix, and in
// fork and merge mode the parent's work files, which a child is handed by
// name), the findings directory, and the working directory (crash-* files
// when no -artifact_prefix is given).
inline int initialize(int* argc, char*** argv) {
  try {
    Sandbox::keep_writable_from_args(*argc, *argv);
    if (const char* dir = std::getenv("CONNCHECK_FUZZ_FINDINGS_DIR"))
      Sandbox::keep_writable(dir, Sandbox::Kept::kDirectory);  // made if missing
    Sandbox::keep_writable(".");
    Sandbox::enter();
  } catch (const EnvironmentError& e) {
    std::fprintf(stderr, "cannot enter the sandbox: %s\n", e.what());
    std::exit(3);
  }
  return 0;
}

// Writes finding-<n> in $CONNCHECK_FUZZ_FINDINGS_DIR, if set; a failure
// to write costs only the copy, so it is reported and the run goes on.
inline void keep_input(std::size_t n, const std::uint8_t* data, std::size_t size) {
  static const char* dir = std::getenv("CONNCHECK_FUZZ_FINDINGS_DIR");
  if (!dir) return;
  const std::string path = std::string(dir) + "/finding-" + std::to_string(n);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(data, 1, size, f) != size)
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
  if (f) std::fclose(f);
}

inline int test_one(FuzzTarget t, const std::uint8_t* data, std::size_t size) {
  try {
    const TargetResult r = run_target(t, input_program(t, {data, size}));
    if (r.finding) {
      // For measuring a target while known findings are still open
      // (harness/fuzz/measure.sh): one line per distinct finding, and go on.
      // With CONNCHECK_FUZZ_FINDINGS_DIR, each distinct finding's input is
      // kept there too (ci/soak.sh), for `conncheck repro --target`.
      static const bool keep_going = std::getenv("CONNCHECK_FUZZ_KEEP_GOING") != nullptr;
      if (keep_going) {
        static std::set<std::string> seen;
        const std::string first = r.report.substr(0, r.report.find('\n'));
        if (seen.insert(first).second) {
          // The explanation, without the traces (the kept input has those).
          const std::string why = r.report.substr(0, r.report.find("\n--- "));
          std::fprintf(stderr, "finding (going on): %s\n", why.c_str());
          keep_input(seen.size(), data, size);
        }
        return 0;
      }
      std::fputs(r.report.c_str(), stderr);
      std::abort();  // libFuzzer keeps the input as crash-<sha1>
    }
  } catch (const EnvironmentError& e) {
    // The machine, not the input: stop with the environment exit code.
    std::fprintf(stderr, "environment problem: %s\n", e.what());
    std::_Exit(3);
  }
  return 0;
}

}  // namespace conncheck::fuzz
