// Typed views of the Model's addresses, so no rule reads a byte offset.
// An AddrKey (model.h) keeps what identifies a destination: for IP the
// family, port and address (flowinfo and scope left out), for AF_UNIX the
// family and the name. The views read it field by field, checking the key's
// family and length; sin6_view reads an Address the way the kernel gets it.
//
// Example usage:
//   if (const auto v6 = inet6_view(s.peer); v6 && v6->v4() && v6->port == 0) ...
//   const auto ip = ip_view(k);   // v4-mapped IPv6 reads as IPv4
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "model/model.h"

namespace conncheck::model_internal {

using V4 = std::array<std::uint8_t, 4>;
using V6 = std::array<std::uint8_t, 16>;

struct Inet4View {
  std::uint16_t port = 0;  // network order
  V4 addr{};
};

struct Inet6View {
  std::uint16_t port = 0;  // network order
  V6 addr{};
  bool any() const { return addr == V6{}; }  // ::
  // ::ffff:a.b.c.d: the whole ::ffff:0:0/96 prefix, not merely bytes 10-11.
  std::optional<V4> v4() const;
};

// The name of an AF_UNIX key: sun_path's bytes as far as the key goes (a
// pathname up to its NUL, an abstract name to addrlen).
struct UnixView {
  std::size_t name_len = 0;
  std::uint8_t first = 0;  // sun_path[0]
  bool named() const { return name_len > 0; }
  bool abstract() const { return named() && first == 0; }
  bool path() const { return named() && first != 0; }
};

// Either IP family as classification sees it: v4-mapped reads as AF_INET.
struct IpView {
  int family = 0;          // AF_INET or AF_INET6
  V6 addr{};               // AF_INET: the first 4 bytes, the rest zeros
  std::uint16_t port = 0;  // network order
  bool wildcard() const;
};

std::optional<Inet4View> inet4_view(const AddrKey& k);
std::optional<Inet6View> inet6_view(const AddrKey& k);
std::optional<UnixView> unix_view(const AddrKey& k);
std::optional<IpView> ip_view(const AddrKey& k);
AddrKey key_of(const Inet4View& v);
AddrKey key_of(const Inet6View& v);
// ::ffff:a.b.c.d, and ::1, with a port.
Inet6View v4_mapped(std::uint16_t port, const V4& a);
Inet6View loopback6(std::uint16_t port);

// An Address's sockaddr_in6 fields, when both addrlen and the bytes the
// Program owns cover the whole struct (sin6_scope_id included).
struct Sin6View {
  V6 addr{};
  std::uint32_t scope_id = 0;
};
std::optional<Sin6View> sin6_view(const Address& a);

}  // namespace conncheck::model_internal
