// Model: address rules every IP family shares. Which addresses this
// namespace owns and which name the same host, how the kernel resolves a
// wildcard destination, and what a bound IPv4 address makes of the source.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "model/model_internal.h"
#include "world/world.h"

namespace conncheck::model_internal {
namespace {

constexpr V4 kLoopback4{127, 0, 0, 1};

}  // namespace

bool in_prefix(const IpView& ip, const char* net, int bits) {
  std::uint8_t n[16]{};
  const int fam = std::strchr(net, ':') ? AF_INET6 : AF_INET;
  if (fam != ip.family || ::inet_pton(fam, net, n) != 1) return false;
  for (int i = 0; i < bits; ++i) {
    const int byte = i / 8, mask = 0x80 >> (i % 8);
    if ((ip.addr[byte] & mask) != (n[byte] & mask)) return false;
  }
  return true;
}

bool same_host(const IpView& dest, const IpView& bound) {
  // 0.0.0.0 takes IPv4 only; :: takes both (no socket here is IPV6_V6ONLY
  // with a wildcard bind).
  if (bound.wildcard()) return bound.family == AF_INET6 || dest.family == AF_INET;
  if (dest.family != bound.family) return false;
  if (dest.wildcard()) return in_prefix(bound, "127.0.0.1", 32) || in_prefix(bound, "::1", 128);
  return dest.addr == bound.addr;
}

// Addresses this namespace owns: a connect there finds a listener or not.
bool is_local(const IpView& ip) {
  return ip.wildcard() || in_prefix(ip, "127.0.0.0", 8) || in_prefix(ip, "::1", 128) ||
         in_prefix(ip, world::kVethAddr4, 32) || in_prefix(ip, world::kVethPeer4, 32) ||
         in_prefix(ip, world::kVethAddr6, 128) || in_prefix(ip, world::kVethPeer6, 128);
}

bool needs_scope_id(const V6& a) {
  return (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
         (a[0] == 0xff && (a[1] == 0x01 || a[1] == 0x02));
}

bool binds_device(const Address& a) {
  const auto v = sin6_view(a);
  return v && needs_scope_id(v->addr) && v->scope_id != 0;
}

std::optional<V4> v4_of(const AddrKey& k) {
  if (const auto v = inet4_view(k)) return v->addr;
  if (const auto v = inet6_view(k)) return v->v4();
  return std::nullopt;
}

// From the bytes, not in_prefix(): it runs on every bind and IPv4 connect
// the fuzz targets model.
V4Source v4_source(const V4& a) {
  static const V4 kSubnet = [] {
    V4 b{};
    ::inet_pton(AF_INET, world::kBroadcast4, b.data());
    return b;
  }();
  static constexpr V4 kLoopbackBroadcast{127, 255, 255, 255};
  if (a == V4{}) return V4Source::kWildcard;
  // 224/3: multicast and 255.255.255.255 (240/4, class E, is never local
  // here, so a bind to it already failed).
  if (a[0] >= 224) return V4Source::kMulticast;
  if (a == kSubnet || a == kLoopbackBroadcast) return V4Source::kSubnetBroadcast;
  return a[0] == 127 ? V4Source::kLoopback : V4Source::kUnicast;
}

// Where a wildcard destination goes. IPv4's 0.0.0.0 is the socket's source
// address (ip_route_output_key_hash_rcu()), the bound one when bind() fixed
// it (V4Source), else 127.0.0.1, which same_host() covers. IPv6's :: is ::1,
// or ::ffff:127.0.0.1 from a v4-mapped local address (tcp_v6_connect(),
// ip6_datagram_connect()).
AddrKey resolve_wildcard(const SlotModel& s, AddrKey k) {
  if (s.domain == AF_UNIX) return k;
  if (const auto v4 = v4_of(k); v4 && v4_source(*v4) == V4Source::kWildcard) {
    const auto src = v4_of(s.local);
    if (!src || !fixes_source(v4_source(*src))) return k;
    if (auto v = inet4_view(k)) return key_of(Inet4View{v->port, *src});
    return key_of(v4_mapped(inet6_view(k)->port, *src));
  }
  if (const auto v = inet6_view(k); v && v->any() && s.src.v4mapped_local)
    return key_of(v4_mapped(v->port, kLoopback4));
  return k;
}

bool may_reach(const AddrKey& dest, const AddrKey& bound) {
  const auto d = ip_view(dest), b = ip_view(bound);
  // A name bound with port 0 got an ephemeral port the model does not know.
  return d && b && b->port != 0 && d->port == b->port && same_host(*d, *b);
}

bool self_target(const SlotModel& s, const AddrKey& dest) {
  if (!s.explicitly_bound || s.type != SOCK_STREAM || s.domain == AF_UNIX) return false;
  // inet_bind() to a broadcast or multicast address keeps it as the bound
  // name but leaves the source to the route (inet_saddr = 0), which for a
  // local destination is the destination itself: the port decides.
  AddrKey src = s.local;
  if (const auto v4 = v4_of(s.local); v4 && leaves_source_to_route(v4_source(*v4))) {
    if (const auto v = inet4_view(s.local))
      src = key_of(Inet4View{.port = v->port});
    else
      src = key_of(Inet6View{.port = inet6_view(s.local)->port});  // ::ffff:x -> ::
  }
  return may_reach(resolve_wildcard(s, dest), src);
}

// The peer as getpeername will report it: Linux routes a connect to the
// wildcard (0.0.0.0, ::, ::ffff:0.0.0.0) to the loopback address and
// reports that one (ip_route_connect() picks 127.0.0.1 when daddr is 0).
// An AF_INET6 socket given a sockaddr_in connects to (and reports) the
// v4-mapped address ::ffff:a.b.c.d.
AddrKey peer_key(const Address& a, const SlotModel& s) {
  const AddrKey k = key_of(a);
  if (const auto v = inet4_view(k)) {
    if (s.domain == AF_INET6) {
      const bool any = v->addr == V4{};
      return key_of(v4_mapped(v->port, any ? kLoopback4 : v->addr));
    }
    return v->addr == V4{} ? key_of(Inet4View{v->port, kLoopback4}) : k;
  }
  const auto v = inet6_view(k);
  if (!v) return k;
  // ip6_datagram_connect(): :: from a v4-mapped local address is a
  // "connect to self" over IPv4.
  if (v->any() && s.src.v4mapped_local) return key_of(v4_mapped(v->port, kLoopback4));
  if (v->any()) {
    return key_of(loopback6(v->port));
  }
  if (v->v4() == V4{}) return key_of(v4_mapped(v->port, kLoopback4));
  return k;
}

bool specific_address(const AddrKey& k) {
  if (const auto v = inet4_view(k)) return v->addr != V4{};
  if (const auto v = inet6_view(k)) return !v->any();
  return false;
}

}  // namespace conncheck::model_internal
