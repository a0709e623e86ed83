// The three ways a run can go wrong, kept apart (syzkaller's lesson):
//   - a harness bug: an invariant of our own code broke -> abort() via assert
//   - an environment problem: the machine cannot give us what we need
//     (no netns, no io_uring, ...) -> EnvironmentError, a message, exit 3
//   - a finding: the system under test did something outside its contract
//     -> a Verdict (see oracle), never an exception
// UnsafeDestination is a refusal by the destination guard: the harness would
// otherwise have sent traffic off this machine.
#pragma once

#include <stdexcept>
#include <string>

namespace conncheck {

class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds an EnvironmentError naming the call that failed and its errno,
// e.g. "unshare(CLONE_NEWNET): Operation not permitted (EPERM)".
EnvironmentError env_error(const std::string& call, int err);

class UnsafeDestination : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace conncheck
