// strace-style rendering of any Address, malformed ones included. Reads
// only the bytes the Address owns, and of those only the first addrlen (what
// the kernel would see); everything else is said in a comment.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>

#include <fmt/format.h>

#include "program/address.h"

namespace conncheck {
namespace {

constexpr std::size_t kSunPathOffset = offsetof(sockaddr_un, sun_path);

std::string quote(const std::uint8_t* p, std::size_t n) {
  std::string s = "\"";
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = p[i];
    if (c == '"' || c == '\\') {
      s += '\\';
      s += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      s += static_cast<char>(c);
    } else {
      s += fmt::format("\\x{:02x}", c);
    }
  }
  return s + "\"";
}

std::string family_field(int family) {
  const std::string name = family_name(family);
  if (name.rfind("AF_", 0) == 0) return "sa_family=" + name;
  return fmt::format("sa_family={:#x} /* AF_??? */", family);
}

std::string generic(int family, const std::uint8_t* d, std::size_t len) {
  return fmt::format("{{{}, sa_data={}}}", family_field(family),
                     quote(d + sizeof(sa_family_t), len - sizeof(sa_family_t)));
}

std::string inet(const std::uint8_t* d, std::size_t len) {
  if (len < sizeof(sockaddr_in)) return generic(AF_INET, d, len);
  sockaddr_in s;
  std::memcpy(&s, d, sizeof s);
  char ip[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &s.sin_addr, ip, sizeof ip);
  return fmt::format("{{sa_family=AF_INET, sin_port=htons({}), sin_addr=inet_addr(\"{}\")}}",
                     ntohs(s.sin_port), ip);
}

std::string inet6(const std::uint8_t* d, std::size_t len) {
  // The kernel accepts the RFC 2133 layout without sin6_scope_id (24 bytes).
  constexpr std::size_t kMin = offsetof(sockaddr_in6, sin6_scope_id);
  if (len < kMin) return generic(AF_INET6, d, len);
  sockaddr_in6 s{};
  std::memcpy(&s, d, std::min(len, sizeof s));
  char ip[INET6_ADDRSTRLEN];
  ::inet_ntop(AF_INET6, &s.sin6_addr, ip, sizeof ip);
  std::string out = fmt::format(
      "{{sa_family=AF_INET6, sin6_port=htons({}), sin6_flowinfo=htonl({}), "
      "inet_pton(AF_INET6, \"{}\", &sin6_addr)",
      ntohs(s.sin6_port), ntohl(s.sin6_flowinfo), ip);
  if (len >= sizeof s) out += fmt::format(", sin6_scope_id={}", s.sin6_scope_id);
  return out + "}";
}

std::string unix_(const std::uint8_t* d, std::size_t len) {
  if (len <= kSunPathOffset) return "{sa_family=AF_UNIX}";
  const std::uint8_t* path = d + kSunPathOffset;
  const std::size_t n = len - kSunPathOffset;
  std::string out;
  if (path[0] == 0) {  // abstract: every byte counts, NULs included
    out = "{sa_family=AF_UNIX, sun_path=@" + quote(path + 1, n - 1);
  } else {
    const void* nul = std::memchr(path, 0, n);
    const std::size_t shown =
        nul ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - path) : n;
    out = "{sa_family=AF_UNIX, sun_path=" + quote(path, shown);
    if (!nul) out += " /* not NUL-terminated */";
  }
  if (n > sizeof(sockaddr_un::sun_path))
    out += fmt::format(" /* {}-byte sun_path, longer than {} */", n, sizeof(sockaddr_un::sun_path));
  return out + "}";
}

}  // namespace

std::string sockaddr_to_string(const std::uint8_t* data, std::size_t len) {
  if (len < sizeof(sa_family_t))
    return "{sa_data=" + quote(data, len) + " /* shorter than sa_family */}";
  sa_family_t family;
  std::memcpy(&family, data, sizeof family);
  switch (family) {
    case AF_INET: return inet(data, len);
    case AF_INET6: return inet6(data, len);
    case AF_UNIX: return unix_(data, len);
    default: return generic(family, data, len);
  }
}

std::string to_string(const Address& a) {
  switch (a.placement) {
    case Placement::kNull: return "NULL";
    case Placement::kUnmapped:
      return fmt::format("UNMAPPED /* {} bytes not placed */", a.bytes.size());
    case Placement::kNormal:
    case Placement::kGuardEnd: break;
  }
  const std::size_t seen = std::min<std::size_t>(a.addrlen, a.bytes.size());
  std::string s = sockaddr_to_string(a.bytes.data(), seen);
  if (a.addrlen > a.bytes.size()) {
    s +=
        fmt::format(" /* addrlen {} > {} bytes owned{} */", a.addrlen, a.bytes.size(),
                    a.placement == Placement::kGuardEnd ? ", then the guard page" : ", then zeros");
  } else if (a.placement == Placement::kGuardEnd) {
    s += " /* ends at a guard page */";
  }
  return s;
}

}  // namespace conncheck
