// Private to the library: the flag the destination guard reads, and the
// filesystem half of entry.
#pragma once

#include <string>
#include <vector>

namespace conncheck::internal {
// sandbox_files.cc: after unshare(CLONE_NEWNS), the scratch tmpfs mounts,
// the kept paths re-attached, every other mount read-only.
void make_private_filesystem();
std::vector<std::string> scratch_dirs();
std::vector<std::string> kept_writable();
}  // namespace conncheck::internal
