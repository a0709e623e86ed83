#include "program/unix_dirs.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cctype>
#include <cstddef>
#include <cstring>

#include "base/overloaded.h"

namespace conncheck {
namespace {

constexpr std::size_t kPath = offsetof(sockaddr_un, sun_path);
constexpr std::string_view kStem = "/conncheck.";
constexpr std::size_t kSuffix = 6;  // mkdtemp's XXXXXX

Address* address_of(Op& o) {
  return std::visit(internal::overloaded{
                        [](op::Bind& x) -> Address* { return &x.addr; },
                        [](op::Connect& x) -> Address* { return &x.addr; },
                        [](op::SendTo& x) -> Address* { return &x.addr; },
                        [](auto&) -> Address* { return nullptr; },
                    },
                    o);
}

// The harness directory a path starts with, or empty: "/.../conncheck.XXXXXX"
// followed by '/', NUL or the end of the bytes.
std::string dir_prefix(const Address& a) {
  if (a.family() != AF_UNIX || a.bytes.size() <= kPath || a.bytes[kPath] != '/') return {};
  const std::string_view path(reinterpret_cast<const char*>(a.bytes.data()) + kPath,
                              a.bytes.size() - kPath);
  const std::size_t stem = path.find(kStem);
  if (stem == std::string_view::npos) return {};
  const std::size_t end = stem + kStem.size() + kSuffix;
  if (end > path.size()) return {};
  for (std::size_t i = stem + kStem.size(); i < end; ++i)
    if (!std::isalnum(static_cast<unsigned char>(path[i]))) return {};
  if (end < path.size() && path[end] != '/' && path[end] != '\0') return {};
  // Only an absolute, NUL-free prefix: that is what mkdtemp could have made.
  if (path.substr(0, end).find('\0') != std::string_view::npos) return {};
  return std::string(path.substr(0, end));
}

}  // namespace

std::vector<UnixDirRef> unix_dir_refs(const Program& p) {
  std::vector<UnixDirRef> refs;
  Program copy = p;  // address_of needs a mutable Op; a Program is small
  for (std::size_t i = 0; i < copy.ops.size(); ++i)
    if (const Address* a = address_of(copy.ops[i]))
      if (std::string d = dir_prefix(*a); !d.empty()) refs.push_back({i, kPath, std::move(d)});
  return refs;
}

Program rebase_unix_dirs(const Program& p, std::string_view dir) {
  Program q = p;
  for (const UnixDirRef& r : unix_dir_refs(p)) {
    if (r.dir.size() != dir.size()) continue;
    Address* a = address_of(q.ops[r.op]);
    std::memcpy(a->bytes.data() + r.offset, dir.data(), dir.size());
  }
  return q;
}

}  // namespace conncheck
