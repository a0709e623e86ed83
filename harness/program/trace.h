// A Trace: what one run of a Program did, op by op, as values (the executor
// in exec/ records it; the Oracle judges it; repro prints and emits it).
//
// Example usage:
//   Trace t = execute(program, {.backend = Backend::kIoUring});
//   fmt::print("{}", to_string(t));
#pragma once

#include <string>
#include <vector>

#include "program/backend_kind.h"
#include "program/outcome.h"
#include "program/program.h"

namespace conncheck {

struct Step {
  Op op;
  int fd = -1;  // the fd the op acted on (the slot's fd at the time)
  Outcome outcome;
};

struct Trace {
  Backend backend;
  std::vector<Step> steps;
  bool hung() const;
};

// One line per step, strace-style.
std::string to_string(const Trace& t);
std::string step_to_string(const Step& s);

}  // namespace conncheck
