// AF_UNIX paths inside a harness private directory. Sandbox::enter() makes
// one per run (<tmp>/conncheck.XXXXXX) and removes it at exit, so a Program
// recorded by one run names a directory that is gone when it is replayed.
// A replay maps it onto a directory of its own with the same length, so the
// path's length, the declared addrlen and every other byte stay the same.
//
// Example usage:
//   Program q = rebase_unix_dirs(p, Sandbox::enter().unix_dir);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "program/program.h"

namespace conncheck {

// One address whose sun_path starts with a harness private directory.
struct UnixDirRef {
  std::size_t op;      // index into Program::ops
  std::size_t offset;  // where the directory starts in Address::bytes
  std::string dir;     // "/tmp/conncheck.AbC123"
};
std::vector<UnixDirRef> unix_dir_refs(const Program& p);

// `p` with every such directory replaced by `dir` where the lengths agree
// (others are left as they are: changing a length would change addrlen).
Program rebase_unix_dirs(const Program& p, std::string_view dir);

}  // namespace conncheck
