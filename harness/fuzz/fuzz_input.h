// Fuzz inputs: how a libFuzzer byte string becomes a Program, and what each
// target checks. Shared by the libFuzzer targets (harness/fuzz/), the
// standalone replay driver of the plain build, the seed generator, and
// `conncheck repro FILE --target T`, so a finding replays identically from
// every entry point.
//
// Example usage:
//   Program p = decode_input(FuzzTarget::kSockaddr, {data, size});
//   TargetResult r = run_target(FuzzTarget::kSockaddr, p);
//   if (r.finding) { fmt::print(stderr, "{}", r.report); std::abort(); }
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exec/executor.h"
#include "program/program.h"

namespace conncheck {

enum class FuzzTarget : std::uint8_t { kSockaddr, kProgram, kBackendDiff };
inline constexpr FuzzTarget kAllFuzzTargets[] = {FuzzTarget::kSockaddr, FuzzTarget::kProgram,
                                                 FuzzTarget::kBackendDiff};

// "connect_sockaddr_fuzzer", "connect_program_fuzzer", "connect_backend_diff_fuzzer".
std::string_view target_name(FuzzTarget t);
// Accepts the full name or the short one ("sockaddr", "program", "backend_diff").
bool parse_target(std::string_view name, FuzzTarget* out);

// Deterministic; every byte string (the empty one included) decodes to a
// Program that validate() accepts.
Program decode_input(FuzzTarget t, std::span<const std::uint8_t> data);

// What a corpus or regression file means: a Program in JSON (program.h's
// to_json, as in corpus/regressions/*.json) when the bytes parse as one
// that validate() accepts, else bytes for decode_input(t, ...). Never
// throws; *was_json says which reading was taken.
Program input_program(FuzzTarget t, std::span<const std::uint8_t> data, bool* was_json = nullptr);

// AF_UNIX pathnames in decoded Programs name the sandbox's private
// directory (Sandbox::enter().unix_dir, or "/tmp/conncheck.fuzz00" outside
// a sandbox), so the same bytes decode to the same name under another
// directory of that length (see unix_dirs.h for replay elsewhere).

// Bytes that decode_input(t, ...) turns back into `p` where the target's
// input format can express it (used to generate seeds from the conformance
// matrix's Programs). Sets *exact to false when it had to approximate.
std::vector<std::uint8_t> encode_input(FuzzTarget t, const Program& p, bool* exact = nullptr);

// Seeds for target t: one per conformance case (conform_cases() of the
// first backend, so one per documented errno and rule and column), the
// case's Program encoded with encode_input (for kSockaddr: the Program up
// to the case's target step). Named after the case; inputs that encode to
// the same bytes as an earlier one are left out. Deterministic, so a test
// can regenerate them and compare with corpus/<target>/.
struct Seed {
  std::string name;  // file name: the case name with '/' and spaces as '_'
  std::vector<std::uint8_t> bytes;
  bool exact = false;  // decodes back to the case's Program exactly
};
std::vector<Seed> conform_seeds(FuzzTarget t);

// What one input did under a target's checks.
struct TargetResult {
  bool finding = false;       // Oracle violation, hang, leak or backend disagreement
  std::string kind;           // "violation", "hang", "leak", "backend-disagreement"
  std::string report;         // the trace(s) and the one-line explanation; empty if clean
  std::vector<Trace> traces;  // one per backend run (one for kSockaddr/kProgram)
};

// Runs `p` the way target `t` does (fresh slots, every fd closed at the end,
// AF_UNIX files its binds made in the private directory removed). kSockaddr
// and kProgram run through libc without post-state; kBackendDiff runs all
// three backends with post-state. Every blocking op is bounded by 50 ms.
TargetResult run_target(FuzzTarget t, const Program& p);

}  // namespace conncheck
