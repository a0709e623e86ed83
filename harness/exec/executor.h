// Runs a Program and records a Trace: each op with its Outcome.
//
// Example usage:
//   Trace t = execute(program, {.backend = Backend::kIoUring});
//   fmt::print("{}", to_string(t));
//   const Outcome& last = t.steps.back().outcome;
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "exec/backend.h"
#include "exec/fd.h"
#include "program/program.h"
#include "program/trace.h"

namespace conncheck {

struct RunOptions {
  Backend backend = Backend::kLibc;
  // Bound on every potentially blocking op (connect, accept, poll).
  std::chrono::milliseconds bound{2000};
  bool post_state = true;  // post-state after each connect
  bool timing = true;
  // Optional: the bound for the next op, given the steps run so far; zero
  // means `bound`. A caller that models the Program can cut short a wait it
  // predicts (fuzz_run.cc), where the full bound would buy nothing.
  std::function<std::chrono::milliseconds(const std::vector<Step>& so_far, const Op& next)>
      bound_for;
};

// The wait a PollOut op really gets: its own timeout, capped by the run's
// bound when there is one (a negative timeout, "forever", becomes the bound).
inline int capped_poll_timeout(int timeout_ms, std::chrono::milliseconds bound) {
  const auto cap = static_cast<int>(bound.count());
  if (cap <= 0) return timeout_ms;
  return timeout_ms < 0 ? cap : std::min(timeout_ms, cap);
}

// Runs `p` on fresh slots; every fd it opens is closed before it returns.
// Throws UnsafeDestination before any syscall that would leave the machine.
Trace execute(const Program& p, const RunOptions& options = {});

// The same run one op at a time, for a caller that picks the next op after
// seeing the last outcome (RapidCheck's stateful commands). execute() is a
// loop over step(), one Execution per Program: it holds its slots in place
// and the options by reference (no allocation or std::function copy per
// Program), so `options` must outlive it. The slots' fds are closed when it
// is destroyed.
//
// Example usage:
//   const RunOptions options{.backend = Backend::kLibc};
//   Execution run(options);
//   const Step& s = run.step(op::Socket{0, AF_INET, SOCK_STREAM});
class Execution {
 public:
  explicit Execution(const RunOptions& options);
  explicit Execution(RunOptions&&) = delete;  // would dangle
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  // Runs `op` (throws std::invalid_argument if it names a slot out of
  // range) and returns its step, kept in trace().
  const Step& step(const Op& op);
  const Trace& trace() const { return trace_; }

 private:
  friend Trace execute(const Program&, const RunOptions&);
  const Step& step_checked(const Op& op);  // `op` known valid

  class Runner;  // runs one op on the state below (executor.cc)
  const RunOptions& options_;
  std::chrono::milliseconds bound_;  // the current op's
  std::array<FileDescriptor, kMaxSlots> slots_;
  Trace trace_;
};

}  // namespace conncheck
