#include "exec/fd_leak.h"

#include <dirent.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cstdlib>

namespace conncheck {

std::set<int> open_fds() {
  std::set<int> fds;
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return fds;
  const int own = ::dirfd(d);
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    const int fd = std::atoi(e->d_name);
    if (fd != own) fds.insert(fd);
  }
  ::closedir(d);
  return fds;
}

std::vector<LeakedFd> FdLeakCheck::leaked() const {
  std::vector<LeakedFd> out;
  for (int fd : open_fds()) {
    if (before_.count(fd)) continue;
    char buf[256];
    const std::string link = fmt::format("/proc/self/fd/{}", fd);
    const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    out.push_back({fd, n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?"});
  }
  return out;
}

std::string describe(const std::vector<LeakedFd>& leaked) {
  std::string s;
  for (const auto& l : leaked) {
    if (!s.empty()) s += ", ";
    s += fmt::format("fd {} -> {}", l.fd, l.target);
  }
  return s;
}

}  // namespace conncheck
