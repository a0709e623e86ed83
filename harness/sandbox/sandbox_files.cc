// The sandbox's filesystem: a private mount namespace in which the only
// writable places are fresh tmpfs mounts over the directories a Program can
// name (/tmp, /var/tmp, /dev/shm) and the paths the harness itself writes
// (its outputs, registered with Sandbox::keep_writable before entry).
//
// Why: a Program's bind() of an AF_UNIX pathname creates a file. The fuzz
// targets generate paths under the private AF_UNIX directory and truncate
// them with addrlen ("/tmp/conncheck", "/t"), so without this a fuzz run
// left sockets in the host's /tmp and at its root, and the next backend of
// the same Program found the name taken (EADDRINUSE). Here such a bind
// lands in a tmpfs that dies with the namespace, or fails with EROFS.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "program/errors.h"
#include "sandbox/sandbox.h"
#include "sandbox_state.h"

namespace conncheck {
namespace {

namespace fs = std::filesystem;
using internal::kScratchDirs;
using internal::under;

// What entry made writable (absolute, existing) and the scratch dirs it
// mounted; fresh_files() spares the first and empties the second.
struct FilesState {
  std::vector<std::string> kept;
  std::vector<std::string> scratch;
};
FilesState& state() {
  static FilesState s;
  return s;
}

// /proc/self/mountinfo escapes blanks and backslashes as \ooo.
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct MountPoint {
  std::string path;
  std::string fstype;
};

std::vector<MountPoint> mount_points() {
  std::ifstream in("/proc/self/mountinfo");
  std::vector<MountPoint> out;
  for (std::string line; std::getline(in, line);) {
    // id parent major:minor root mountpoint options [optional...] - fstype source
    std::istringstream f(line);
    std::string id, parent, dev, root, point, field;
    f >> id >> parent >> dev >> root >> point;
    while (f >> field && field != "-") {
    }
    std::string fstype;
    f >> fstype;
    out.push_back({unescape(point), fstype});
  }
  return out;
}

// The flags a read-only remount must keep: inside a user namespace the
// kernel refuses to clear nosuid/nodev/noexec/atime flags it locked.
unsigned long kept_flags(const std::string& path) {
  struct statvfs v;
  if (::statvfs(path.c_str(), &v) != 0) return 0;
  const std::pair<unsigned long, unsigned long> map[] = {
      {ST_NOSUID, MS_NOSUID},          {ST_NODEV, MS_NODEV},           {ST_NOEXEC, MS_NOEXEC},
      {ST_NOATIME, MS_NOATIME},        {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
      {ST_SYNCHRONOUS, MS_SYNCHRONOUS}};
  unsigned long flags = 0;
  for (auto [st, ms] : map)
    if (v.f_flag & st) flags |= ms;
  return flags;
}

// One kept path, held open while a tmpfs covers where it was.
struct Held {
  std::string path;
  int fd;
  bool dir;
};

std::vector<Held> hold_kept() {
  std::vector<Held> held;
  std::set<std::string> seen;
  for (const std::string& p : internal::paths_to_keep()) {
    if (!seen.insert(p).second) continue;
    const int fd = ::open(p.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0) throw env_error("open(" + p + ", O_PATH)", errno);
    held.push_back({p, fd, fs::is_directory(p)});
  }
  return held;
}

// Re-attaches a kept path at its own name, creating the mount point when a
// scratch tmpfs now covers it.
void attach(const Held& h) {
  std::error_code ec;
  if (h.dir) {
    fs::create_directories(h.path, ec);
  } else if (!fs::exists(h.path, ec)) {
    fs::create_directories(fs::path(h.path).parent_path(), ec);
    const int f = ::open(h.path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (f >= 0) ::close(f);
  }
  const std::string from = fmt::format("/proc/self/fd/{}", h.fd);
  if (::mount(from.c_str(), h.path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
    throw env_error("mount(--rbind " + h.path + ")", errno);
  ::close(h.fd);
}

void mount_scratch(FilesState& s) {
  for (const char* d : kScratchDirs) {
    struct stat st;
    if (::lstat(d, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (::mount("conncheck", d, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0)
      throw env_error(fmt::format("mount(tmpfs on {})", d), errno);
    s.scratch.push_back(d);
  }
}

// Every mount the host had becomes read-only here (the host's stay as they
// are: a bind remount changes this namespace's mount only). Left writable:
// proc (the namespace's own sysctls) and cgroup (the conformance set-up
// that attaches a BPF program makes a child cgroup), neither of which a
// Program names; and what a scratch tmpfs or a kept path now covers.
void make_read_only(const std::vector<MountPoint>& before, const FilesState& s) {
  for (const MountPoint& m : before) {
    if (m.fstype == "proc" || m.fstype == "cgroup" || m.fstype == "cgroup2" ||
        under(m.path, "/proc"))
      continue;
    auto covers = [&](const std::string& d) { return under(m.path, d); };
    if (std::any_of(s.scratch.begin(), s.scratch.end(), covers) ||
        std::any_of(s.kept.begin(), s.kept.end(), covers))
      continue;
    const unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY | kept_flags(m.path);
    if (::mount(nullptr, m.path.c_str(), nullptr, flags, nullptr) != 0 && errno != ENOENT)
      throw env_error(fmt::format("mount(-o remount,bind,ro {})", m.path), errno);
  }
}

}  // namespace

namespace internal {

void make_private_filesystem() {
  FilesState& s = state();
  // Nothing mounted here propagates back to the host's namespace.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    throw env_error("mount(/, MS_REC|MS_PRIVATE)", errno);
  const std::vector<MountPoint> before = mount_points();
  const std::vector<Held> held = hold_kept();
  mount_scratch(s);
  for (const Held& h : held) {
    attach(h);
    s.kept.push_back(h.path);
  }
  make_read_only(before, s);
  internal::kept_paths_entered();
}

std::vector<std::string> scratch_dirs() { return state().scratch; }
std::vector<std::string> kept_writable() { return state().kept; }

}  // namespace internal

void Sandbox::fresh_files() {
  const FilesState& s = state();
  const std::string& unix_dir = Sandbox::enter().unix_dir;
  std::error_code ec;
  for (const std::string& d : s.scratch) {
    for (const auto& e : fs::directory_iterator(d, ec)) {
      const std::string p = e.path().string();
      auto holds = [&](const std::string& k) { return under(k, p); };
      if (holds(unix_dir) || std::any_of(s.kept.begin(), s.kept.end(), holds)) continue;
      fs::remove_all(e.path(), ec);
    }
  }
  for (const auto& e : fs::directory_iterator(unix_dir, ec)) fs::remove_all(e.path(), ec);
}

}  // namespace conncheck
