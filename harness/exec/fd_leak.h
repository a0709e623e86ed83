// Fd-leak check: the set of open fds before and after a unit of work.
//
// Example usage:
//   conncheck::FdLeakCheck check;          // snapshots /proc/self/fd
//   run_program(...);
//   if (auto leaked = check.leaked(); !leaked.empty()) report(leaked);
#pragma once

#include <set>
#include <string>
#include <vector>

namespace conncheck {

// The fds currently open in this process (read from /proc/self/fd, excluding
// the directory fd used to read it).
std::set<int> open_fds();

struct LeakedFd {
  int fd;
  std::string target;  // readlink(/proc/self/fd/N), e.g. "socket:[1234]"
};

class FdLeakCheck {
 public:
  FdLeakCheck() : before_(open_fds()) {}
  // Fds open now that were not open at construction.
  std::vector<LeakedFd> leaked() const;

 private:
  std::set<int> before_;
};

std::string describe(const std::vector<LeakedFd>& leaked);

}  // namespace conncheck
