// Address builders: each lays out the family's struct exactly as the kernel
// expects it, then hands back the bytes, so that malformed variants are one
// modifier away (with_addrlen, at, or editing bytes).
#include "program/address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>

namespace conncheck {
namespace {

template <typename T>
Address from_struct(const T& s) {
  Address a;
  const auto* p = reinterpret_cast<const std::uint8_t*>(&s);
  a.bytes.assign(p, p + sizeof(T));
  a.addrlen = sizeof(T);
  return a;
}

in_addr parse4(std::string_view ip) {
  in_addr in{};
  if (::inet_pton(AF_INET, std::string(ip).c_str(), &in) != 1)
    throw std::invalid_argument("not an IPv4 address: " + std::string(ip));
  return in;
}

in6_addr parse6(std::string_view ip) {
  in6_addr in{};
  if (::inet_pton(AF_INET6, std::string(ip).c_str(), &in) != 1)
    throw std::invalid_argument("not an IPv6 address: " + std::string(ip));
  return in;
}

constexpr std::size_t kSunPathOffset = offsetof(sockaddr_un, sun_path);

void put_family(std::vector<std::uint8_t>& b, int family) {
  const sa_family_t f = static_cast<sa_family_t>(family);
  std::memcpy(b.data(), &f, sizeof f);
}

}  // namespace

Address Address::inet(std::string_view ip, std::uint16_t port) {
  sockaddr_in s{};
  s.sin_family = AF_INET;
  s.sin_port = htons(port);
  s.sin_addr = parse4(ip);
  return from_struct(s);
}

Address Address::inet6(std::string_view ip, std::uint16_t port, std::uint32_t flowinfo,
                       std::uint32_t scope_id) {
  sockaddr_in6 s{};
  s.sin6_family = AF_INET6;
  s.sin6_port = htons(port);
  s.sin6_flowinfo = htonl(flowinfo);
  s.sin6_addr = parse6(ip);
  s.sin6_scope_id = scope_id;
  return from_struct(s);
}

Address Address::inet6_v4mapped(std::string_view ipv4, std::uint16_t port) {
  parse4(ipv4);  // validate
  return inet6("::ffff:" + std::string(ipv4), port);
}

Address Address::unix_path(std::string_view path) {
  Address a;
  a.bytes.resize(kSunPathOffset + path.size() + 1, 0);
  put_family(a.bytes, AF_UNIX);
  std::memcpy(a.bytes.data() + kSunPathOffset, path.data(), path.size());
  a.addrlen = static_cast<socklen_t>(a.bytes.size());
  return a;
}

Address Address::unix_abstract(std::string_view name) {
  Address a;
  a.bytes.resize(kSunPathOffset + 1 + name.size(), 0);
  put_family(a.bytes, AF_UNIX);
  std::memcpy(a.bytes.data() + kSunPathOffset + 1, name.data(), name.size());
  a.addrlen = static_cast<socklen_t>(a.bytes.size());
  return a;
}

Address Address::unix_unnamed() {
  Address a;
  a.bytes.resize(sizeof(sa_family_t));
  put_family(a.bytes, AF_UNIX);
  a.addrlen = sizeof(sa_family_t);
  return a;
}

Address Address::unix_unterminated(char fill) {
  Address a;
  a.bytes.resize(sizeof(sockaddr_un), static_cast<std::uint8_t>(fill));
  put_family(a.bytes, AF_UNIX);
  a.bytes[kSunPathOffset] = '/';
  a.addrlen = sizeof(sockaddr_un);
  return a;
}

Address Address::unix_overlong(std::size_t path_len) {
  Address a;
  a.bytes.resize(kSunPathOffset + path_len + 1, 'o');
  put_family(a.bytes, AF_UNIX);
  a.bytes[kSunPathOffset] = '/';
  a.bytes.back() = 0;
  a.addrlen = static_cast<socklen_t>(a.bytes.size());
  return a;
}

Address Address::unspec(socklen_t addrlen) {
  Address a;
  a.bytes.resize(std::max<std::size_t>(addrlen, sizeof(sa_family_t)), 0);
  put_family(a.bytes, AF_UNSPEC);
  a.addrlen = addrlen;
  return a;
}

Address Address::raw(int family, std::vector<std::uint8_t> payload) {
  Address a;
  a.bytes.resize(sizeof(sa_family_t));
  put_family(a.bytes, family);
  a.bytes.insert(a.bytes.end(), payload.begin(), payload.end());
  a.addrlen = static_cast<socklen_t>(a.bytes.size());
  return a;
}

Address Address::with_addrlen(socklen_t len) const {
  Address a = *this;
  a.addrlen = len;
  return a;
}

Address Address::at(Placement p) const {
  Address a = *this;
  a.placement = p;
  return a;
}

int Address::family() const {
  if (bytes.size() < sizeof(sa_family_t)) return -1;
  sa_family_t f;
  std::memcpy(&f, bytes.data(), sizeof f);
  return f;
}

std::string_view placement_name(Placement p) {
  switch (p) {
    case Placement::kNormal: return "normal";
    case Placement::kGuardEnd: return "guard";
    case Placement::kNull: return "null";
    case Placement::kUnmapped: return "unmapped";
  }
  return "?";
}

bool parse_placement(std::string_view name, Placement* out) {
  for (Placement p :
       {Placement::kNormal, Placement::kGuardEnd, Placement::kNull, Placement::kUnmapped}) {
    if (placement_name(p) == name) {
      *out = p;
      return true;
    }
  }
  return false;
}

}  // namespace conncheck
