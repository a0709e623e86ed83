// The paths the harness keeps writable in the sandbox's read-only
// filesystem (Sandbox::keep_writable): what a command line names as an
// output, resolved at entry to what the mount will hold. sandbox_files.cc
// holds and re-attaches them.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "program/errors.h"
#include "sandbox/sandbox.h"
#include "sandbox_state.h"

namespace conncheck {
namespace {

namespace fs = std::filesystem;
using internal::kScratchDirs;
using internal::under;

// A path registered with keep_writable, and what to make of it at entry.
struct Request {
  std::string path;
  Sandbox::Kept kind;
};
std::vector<Request>& requested() {
  static std::vector<Request> paths;
  return paths;
}

bool& entered() {
  static bool e = false;
  return e;
}

bool is_scratch(const std::string& path) {
  return std::any_of(std::begin(kScratchDirs), std::end(kScratchDirs),
                     [&](const char* d) { return path == d; });
}
bool covered_by_scratch(const std::string& path) {
  return std::any_of(std::begin(kScratchDirs), std::end(kScratchDirs),
                     [&](const char* d) { return under(path, d); });
}

// Makes a named output that does not exist yet, on the host, before any
// tmpfs covers its directory: the file (empty, as std::ofstream would
// create it) or the directory is then what entry keeps, itself. Keeping
// its directory instead fails for an output directly in a scratch dir
// (`conform --output /tmp/x.json`): the kept directory is /tmp, which is
// the scratch tmpfs inside, so the report was written there and lost.
void create_output(const std::string& path, Sandbox::Kept kind) {
  if (kind == Sandbox::Kept::kDirectory) {
    if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST)
      throw env_error("mkdir(" + path + ")", errno);
    return;
  }
  const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) throw env_error("open(" + path + ", O_CREAT)", errno);
  ::close(fd);
}

// A kept path as the mount will see it: the path if it exists; for a named
// output (kFile, kDirectory) in an existing directory, the output, made
// now; for an argument that may name an input (kIfExists), its directory
// unless a scratch tmpfs covers that. Empty when nothing can be kept: a
// missing directory (the write would fail outside the sandbox too), or
// "/" or a scratch dir itself, whose host copy would let every Program
// write to the host.
std::string existing(const Request& r) {
  std::error_code ec;
  fs::path abs = fs::weakly_canonical(fs::absolute(r.path, ec), ec);
  if (ec) return {};
  if (!abs.has_filename() && abs.has_parent_path()) abs = abs.parent_path();  // "dir/"
  const std::string path = abs.string();
  if (path == "/" || is_scratch(path)) return {};
  if (fs::exists(abs, ec)) return path;
  if (!abs.has_parent_path() || !fs::is_directory(abs.parent_path(), ec)) return {};
  if (r.kind != Sandbox::Kept::kIfExists) {
    create_output(path, r.kind);
    return path;
  }
  const std::string dir = abs.parent_path().string();
  return dir == "/" || covered_by_scratch(dir) ? std::string() : dir;
}

}  // namespace

void Sandbox::keep_writable(const std::string& path, Kept kind) {
  if (entered())
    throw EnvironmentError("sandbox: keep_writable(" + path +
                           ") after entry; call it before Sandbox::enter()");
  if (!path.empty()) requested().push_back({path, kind});
}

namespace {

// What a "-flag=VALUE" argument's VALUE is: an output the binary writes
// (made at entry if need be, so that it outlives the sandbox) for the
// flags known to name one, else possibly an input (kept only as found).
// A VALUE ending in '/' names a directory: gtest then writes its report
// in it, libFuzzer its artifacts.
Sandbox::Kept kind_of(std::string_view flag, std::string_view value) {
  while (flag.starts_with("-")) flag.remove_prefix(1);
  const bool dir = value.ends_with("/");
  if (flag == "gtest_output" || flag == "benchmark_out" || flag == "exact_artifact_path")
    return dir ? Sandbox::Kept::kDirectory : Sandbox::Kept::kFile;
  if (flag == "artifact_prefix" && dir) return Sandbox::Kept::kDirectory;  // else a name prefix
  return Sandbox::Kept::kIfExists;
}

}  // namespace

void Sandbox::keep_writable_from_args(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string v = argv[i];
    std::string flag;
    if (v.starts_with("-")) {
      const auto eq = v.find('=');
      if (eq == std::string::npos) continue;
      flag = v.substr(0, eq);
      v = v.substr(eq + 1);
    }
    if (v.starts_with("@")) v = v.substr(1);      // libFuzzer's -seed_inputs=@FILE
    for (const char* format : {"xml:", "json:"})  // gtest's --gtest_output=xml:FILE
      if (v.starts_with(format)) v = v.substr(std::string_view(format).size());
    // Only what names a path: an existing entry, or one with a directory.
    std::error_code ec;
    if (fs::exists(v, ec) || v.find('/') != std::string::npos)
      requested().push_back({v, kind_of(flag, v)});
  }
}

namespace internal {

std::vector<std::string> paths_to_keep() {
  std::vector<std::string> out;
  for (const Request& r : requested())
    if (std::string p = existing(r); !p.empty()) out.push_back(std::move(p));
  return out;
}

void kept_paths_entered() { entered() = true; }

}  // namespace internal
}  // namespace conncheck
