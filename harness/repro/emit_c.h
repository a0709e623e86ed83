// A Program printed as a standalone C reproducer: one file that builds with
// `cc out.c` alone (no libraries), enters its own network namespace, builds
// the part of the sandbox world the Program's addresses need, replays the
// Program op by op with byte-identical arguments, and prints each step in
// the harness's own strace-style trace format.
//
// The call text of every line is produced here by the executor's printer
// (step_to_string) with the fd left as a printf conversion, so the C output
// and `conncheck repro` cannot drift apart; only results are printed by C.
//
// Example usage:
//   Trace t = execute(p, {.backend = Backend::kSyscall});
//   EmitOptions o{.backend = Backend::kSyscall, .origin = "corpus/regressions/x.json"};
//   for (const Step& s : t.steps) o.expected.push_back(s.outcome);
//   write_file("out.c", emit_c(p, o));   // then: cc out.c -o repro && ./repro
//
// The program exits 0 when every step matched `expected` (ret and errno
// name; fd-returning ops only by success), 1 when a step differed (named on
// stderr), 3 when it cannot build its sandbox (it never runs outside one).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "program/backend_kind.h"
#include "program/outcome.h"
#include "program/program.h"

namespace conncheck {

struct EmitOptions {
  Backend backend = Backend::kLibc;  // io_uring is replayed with raw io_uring syscalls
  std::string origin;                // where the Program came from (header comment)
  std::vector<Outcome> expected;     // one per op as the harness recorded; empty: none
  // Same meanings as RunOptions: the watchdog bound, and the post-state
  // reads after each connect (they clear SO_ERROR, so they must be replayed
  // for the later steps to see what the harness saw).
  std::chrono::milliseconds bound{2000};
  bool post_state = true;
};

std::string emit_c(const Program& p, const EmitOptions& o);

// What the emitted C sets up for `p`, decided from its addresses.
struct EmitNeeds {
  bool world = false;     // the cc0/cc1 veth pair and the typed routes
  bool unix_dir = false;  // a private temp dir for AF_UNIX paths in one
  bool io_uring = false;
};
EmitNeeds emit_needs(const Program& p, Backend backend);

}  // namespace conncheck
