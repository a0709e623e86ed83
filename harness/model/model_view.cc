// Model: AddrKey and its typed views. The key's layout is known here and
// nowhere else: sa_family, then for IP the port and the address (4 or 16
// bytes), for AF_UNIX sun_path as far as the name goes.
#include "model/model_view.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace conncheck {
namespace {

using model_internal::Inet4View;
using model_internal::Inet6View;

constexpr std::size_t kSunPath = offsetof(sockaddr_un, sun_path);
// The key's own layout for IP: family, port, address.
constexpr std::size_t kKeyPort = sizeof(sa_family_t);
constexpr std::size_t kKeyAddr = kKeyPort + sizeof(in_port_t);
constexpr std::uint8_t kKeyLen4 = kKeyAddr + 4;
constexpr std::uint8_t kKeyLen6 = kKeyAddr + 16;
// What an AF_INET6 key is made of: sockaddr_in6 up to sin6_scope_id.
constexpr std::size_t kSin6Addressed = offsetof(sockaddr_in6, sin6_scope_id);

int family_of_key(const AddrKey& k) {
  if (k.len < sizeof(sa_family_t)) return -1;
  sa_family_t f;
  std::memcpy(&f, k.bytes.data(), sizeof f);
  return f;
}

AddrKey ip_key(sa_family_t fam, std::uint16_t port, const std::uint8_t* addr, std::uint8_t len) {
  AddrKey k;
  k.len = len;
  std::memcpy(k.bytes.data(), &fam, sizeof fam);
  std::memcpy(k.bytes.data() + kKeyPort, &port, sizeof port);
  std::memcpy(k.bytes.data() + kKeyAddr, addr, len - kKeyAddr);
  return k;
}

AddrKey unix_key(const std::uint8_t* sa, std::size_t len) {
  AddrKey k;
  std::size_t n = std::min(len, sizeof(sockaddr_un));
  // A pathname ends at its first NUL; an abstract name (sun_path[0] == 0)
  // is every byte of addrlen.
  if (n > kSunPath && sa[kSunPath] != 0) {
    const auto* end = std::find(sa + kSunPath, sa + n, 0);
    n = static_cast<std::size_t>(end - sa);
  }
  k.len = static_cast<std::uint8_t>(n);
  std::memcpy(k.bytes.data(), sa, n);
  return k;
}

}  // namespace

AddrKey key_of(const std::uint8_t* sa, std::size_t len) {
  if (len < sizeof(sa_family_t)) return {};
  sa_family_t fam;
  std::memcpy(&fam, sa, sizeof fam);
  if (fam == AF_INET && len >= sizeof(sockaddr_in)) {
    sockaddr_in in;
    std::memcpy(&in, sa, sizeof in);
    Inet4View v{.port = in.sin_port};
    std::memcpy(v.addr.data(), &in.sin_addr, v.addr.size());
    return model_internal::key_of(v);
  }
  if (fam == AF_INET6 && len >= kSin6Addressed) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, sa, kSin6Addressed);
    Inet6View v{.port = in6.sin6_port};
    std::memcpy(v.addr.data(), &in6.sin6_addr, v.addr.size());
    return model_internal::key_of(v);
  }
  if (fam == AF_UNIX) return unix_key(sa, len);
  return {};
}

AddrKey key_of(const Address& a) {
  // Bytes past what the Program owns read as zeros (Placement::kNormal).
  std::uint8_t buf[sizeof(sockaddr_un) + 16]{};
  const std::size_t n = std::min<std::size_t>({a.addrlen, sizeof buf, a.bytes.size()});
  std::memcpy(buf, a.bytes.data(), n);
  return key_of(buf, std::min<std::size_t>(a.addrlen, sizeof buf));
}

namespace model_internal {

std::optional<V4> Inet6View::v4() const {
  const Inet6View prefix = v4_mapped(port, V4{});
  if (!std::equal(addr.begin(), addr.begin() + 12, prefix.addr.begin())) return std::nullopt;
  return V4{addr[12], addr[13], addr[14], addr[15]};
}

bool IpView::wildcard() const {
  const std::size_t n = family == AF_INET ? 4 : 16;
  return std::all_of(addr.begin(), addr.begin() + n, [](std::uint8_t b) { return b == 0; });
}

std::optional<Inet4View> inet4_view(const AddrKey& k) {
  if (family_of_key(k) != AF_INET || k.len != kKeyLen4) return std::nullopt;
  Inet4View v;
  std::memcpy(&v.port, k.bytes.data() + kKeyPort, sizeof v.port);
  std::memcpy(v.addr.data(), k.bytes.data() + kKeyAddr, v.addr.size());
  return v;
}

std::optional<Inet6View> inet6_view(const AddrKey& k) {
  if (family_of_key(k) != AF_INET6 || k.len != kKeyLen6) return std::nullopt;
  Inet6View v;
  std::memcpy(&v.port, k.bytes.data() + kKeyPort, sizeof v.port);
  std::memcpy(v.addr.data(), k.bytes.data() + kKeyAddr, v.addr.size());
  return v;
}

std::optional<UnixView> unix_view(const AddrKey& k) {
  if (family_of_key(k) != AF_UNIX) return std::nullopt;
  UnixView v;
  v.name_len = k.len > kSunPath ? k.len - kSunPath : 0;
  if (v.named()) v.first = k.bytes[kSunPath];
  return v;
}

std::optional<IpView> ip_view(const AddrKey& k) {
  IpView ip;
  if (const auto v = inet4_view(k)) {
    ip.family = AF_INET;
    ip.port = v->port;
    std::copy(v->addr.begin(), v->addr.end(), ip.addr.begin());
    return ip;
  }
  const auto v = inet6_view(k);
  if (!v) return std::nullopt;
  ip.port = v->port;
  if (const auto v4 = v->v4()) {
    ip.family = AF_INET;
    std::copy(v4->begin(), v4->end(), ip.addr.begin());
  } else {
    ip.family = AF_INET6;
    ip.addr = v->addr;
  }
  return ip;
}

Inet6View v4_mapped(std::uint16_t port, const V4& a) {
  Inet6View v{.port = port};
  v.addr[10] = v.addr[11] = 0xff;
  std::copy(a.begin(), a.end(), v.addr.begin() + 12);
  return v;
}

Inet6View loopback6(std::uint16_t port) {
  Inet6View v{.port = port};
  v.addr[15] = 1;
  return v;
}

AddrKey key_of(const Inet4View& v) { return ip_key(AF_INET, v.port, v.addr.data(), kKeyLen4); }
AddrKey key_of(const Inet6View& v) { return ip_key(AF_INET6, v.port, v.addr.data(), kKeyLen6); }

std::optional<Sin6View> sin6_view(const Address& a) {
  if (a.family() != AF_INET6 || a.addrlen < sizeof(sockaddr_in6) ||
      a.bytes.size() < sizeof(sockaddr_in6))
    return std::nullopt;
  sockaddr_in6 in6;
  std::memcpy(&in6, a.bytes.data(), sizeof in6);
  Sin6View v{.scope_id = in6.sin6_scope_id};
  std::memcpy(v.addr.data(), &in6.sin6_addr, v.addr.size());
  return v;
}

}  // namespace model_internal
}  // namespace conncheck
