// Private to the library: the flag the destination guard reads, and the
// filesystem half of entry.
#pragma once

#include <string>
#include <vector>

namespace conncheck::internal {
// The directories a Program can name that get a fresh tmpfs each.
inline constexpr const char* kScratchDirs[] = {"/tmp", "/var/tmp", "/dev/shm"};

// path is dir or below it.
inline bool under(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path == dir || (path.starts_with(dir) && path[dir.size()] == '/');
}

// sandbox_kept.cc: the absolute paths to keep writable, from what was
// registered with keep_writable; named outputs that do not exist yet are
// made here (so call it before a tmpfs covers them). Then, once entry has
// kept them, kept_paths_entered(): keep_writable throws after that.
std::vector<std::string> paths_to_keep();
void kept_paths_entered();

// sandbox_files.cc: after unshare(CLONE_NEWNS), the scratch tmpfs mounts,
// the kept paths re-attached, every other mount read-only.
void make_private_filesystem();
std::vector<std::string> scratch_dirs();
std::vector<std::string> kept_writable();
}  // namespace conncheck::internal
