// Model: where a connect is aimed. The sandbox world (sandbox.h) is fixed,
// so an IP destination's route class follows from its address alone; a
// listener or peer follows from the model's own slots.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <algorithm>
#include <cstring>

#include "model/model.h"
#include "world/world.h"

namespace conncheck {
namespace {

constexpr std::size_t kSunPath = offsetof(sockaddr_un, sun_path);

struct Ip {
  int family = 0;          // AF_INET or AF_INET6 (v4-mapped is AF_INET)
  std::uint8_t addr[16]{};
  std::uint16_t port = 0;  // network order
};

std::optional<Ip> ip_of(const AddrKey& k) {
  if (k.len == 0) return std::nullopt;
  int fam = 0;
  std::memcpy(&fam, k.bytes.data(), 2);
  Ip ip;
  std::memcpy(&ip.port, k.bytes.data() + 2, 2);
  if ((fam & 0xffff) == AF_INET) {
    ip.family = AF_INET;
    std::memcpy(ip.addr, k.bytes.data() + 4, 4);
    return ip;
  }
  if ((fam & 0xffff) == AF_INET6) {
    static const std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(k.bytes.data() + 4, kMapped, 12) == 0) {
      ip.family = AF_INET;
      std::memcpy(ip.addr, k.bytes.data() + 16, 4);
    } else {
      ip.family = AF_INET6;
      std::memcpy(ip.addr, k.bytes.data() + 4, 16);
    }
    return ip;
  }
  return std::nullopt;
}

bool in_prefix(const Ip& ip, const char* net, int bits) {
  std::uint8_t n[16]{};
  const int fam = std::strchr(net, ':') ? AF_INET6 : AF_INET;
  if (fam != ip.family || ::inet_pton(fam, net, n) != 1) return false;
  for (int i = 0; i < bits; ++i) {
    const int byte = i / 8, mask = 0x80 >> (i % 8);
    if ((ip.addr[byte] & mask) != (n[byte] & mask)) return false;
  }
  return true;
}

bool is_wildcard(const Ip& ip) {
  const int n = ip.family == AF_INET ? 4 : 16;
  return std::all_of(ip.addr, ip.addr + n, [](std::uint8_t b) { return b == 0; });
}

// Where a wildcard destination goes. IPv4's 0.0.0.0 is the socket's source
// address (ip_route_output_key_hash_rcu()), the bound one when bind() fixed
// it (V4Source), else 127.0.0.1, which same_host() covers. IPv6's :: is ::1,
// or ::ffff:127.0.0.1 from a v4-mapped local address (tcp_v6_connect(),
// ip6_datagram_connect()).
AddrKey resolve_wildcard(const SlotModel& s, AddrKey k) {
  if (s.domain == AF_UNIX) return k;
  const std::size_t at = k.len == 8 ? 4 : 16;
  if (const auto v4 = v4_of(k); v4 && v4_source(*v4) == V4Source::kWildcard) {
    const auto src = v4_of(s.local);
    if (src && fixes_source(v4_source(*src)))
      std::copy(src->begin(), src->end(), k.bytes.begin() + at);
    return k;
  }
  const bool any6 = k.len == 20 && std::all_of(k.bytes.begin() + 4, k.bytes.begin() + 20,
                                               [](std::uint8_t b) { return b == 0; });
  if (any6 && s.v4mapped_local) {
    static constexpr std::uint8_t kMappedLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
    std::copy(kMappedLoopback, kMappedLoopback + 16, k.bytes.begin() + 4);
  }
  return k;
}

// Addresses this namespace owns: a connect there finds a listener or not.
bool is_local(const Ip& ip) {
  return is_wildcard(ip) || in_prefix(ip, "127.0.0.0", 8) || in_prefix(ip, "::1", 128) ||
         in_prefix(ip, world::kVethAddr4, 32) || in_prefix(ip, world::kVethPeer4, 32) ||
         in_prefix(ip, world::kVethAddr6, 128) || in_prefix(ip, world::kVethPeer6, 128);
}

bool same_host(const Ip& dest, const Ip& bound) {
  // 0.0.0.0 takes IPv4 only; :: takes both (no socket here is IPV6_V6ONLY
  // with a wildcard bind).
  if (is_wildcard(bound)) return bound.family == AF_INET6 || dest.family == AF_INET;
  if (dest.family != bound.family) return false;
  if (is_wildcard(dest)) return in_prefix(bound, "127.0.0.1", 32) || in_prefix(bound, "::1", 128);
  return std::memcmp(dest.addr, bound.addr, dest.family == AF_INET ? 4 : 16) == 0;
}

// __ipv6_addr_needs_scope_id(): link-local unicast (fe80::/10), and
// multicast of interface-local (ff01::) or link-local (ff02::) scope.
bool needs_scope_id(const std::uint8_t* a) {
  return (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || (a[0] == 0xff && (a[1] == 0x01 || a[1] == 0x02));
}

std::uint32_t scope_id(const Address& a) {
  if (a.addrlen < sizeof(sockaddr_in6) || a.bytes.size() < sizeof(sockaddr_in6)) return 0;
  std::uint32_t v;
  std::memcpy(&v, a.bytes.data() + offsetof(sockaddr_in6, sin6_scope_id), sizeof v);
  return v;
}

DestInfo classify_ip(const SocketModel& m, int from, const Ip& ip) {
  if (in_prefix(ip, "10.255.1.0", 24) || in_prefix(ip, "fd00:255:1::", 48)) return {Dest::kUnreachable};
  if (in_prefix(ip, "10.255.2.0", 24) || in_prefix(ip, "fd00:255:2::", 48)) return {Dest::kProhibit};
  if (in_prefix(ip, "10.255.3.0", 24) || in_prefix(ip, "fd00:255:3::", 48)) return {Dest::kBlackhole};
  const int type = m.slots[from].type;
  const bool multicast = in_prefix(ip, "224.0.0.0", 4) || in_prefix(ip, "ff00::", 8) ||
                         in_prefix(ip, "255.255.255.255", 32);
  // tcp_v6_connect() refuses multicast before anything else; tcp_v4_connect()
  // refuses a multicast or broadcast route (RTCF_MULTICAST|RTCF_BROADCAST),
  // and with no such route the lookup itself fails: ENETUNREACH either way.
  if (multicast) return {Dest::kMulticast};
  // __mkroute_output(): a source in 127/8 may leave only through a loopback
  // device (ip(7) route_localnet, off by default), so a destination routed
  // out of the veth is refused, broadcast included (before RTCF_BROADCAST).
  if (ip.family == AF_INET && m.slots[from].loopback_src4 && in_prefix(ip, "10.254.0.0", 24) &&
      !in_prefix(ip, world::kVethAddr4, 32) && !in_prefix(ip, world::kVethPeer4, 32))
    return {Dest::kOffLinkFromLoopback};
  // Both subnets' broadcast addresses: the veth's and loopback's 127/8.
  if (in_prefix(ip, world::kBroadcast4, 32) || in_prefix(ip, "127.255.255.255", 32)) return {Dest::kBroadcast};
  if (!is_local(ip)) {
    // The subnets' network addresses (10.254.0.0, and fd00:254::, the
    // subnet-router anycast address) depend on more than the route table.
    if (in_prefix(ip, "10.254.0.0", 32) || in_prefix(ip, "fd00:254::", 128)) return {Dest::kUnknown};
    // The rest of the veth's subnets: routed on-link, but no host answers.
    if (in_prefix(ip, "10.254.0.0", 24) || in_prefix(ip, "fd00:254::", 64)) return {Dest::kSilentNeighbour};
    return {Dest::kNoRoute};
  }
  // IPv6 drops a packet whose source is ::1 anywhere but on the loopback
  // route (RFC 4291 2.5.3), so a TCP socket bound to ::1 never reaches the
  // namespace's other addresses: no SYN-ACK, no RST, listener or not.
  if (type == SOCK_STREAM && ip.family == AF_INET6 && !is_wildcard(ip) && !in_prefix(ip, "::1", 128))
    if (const auto src = ip_of(m.slots[from].local); src && m.slots[from].explicitly_bound && in_prefix(*src, "::1", 128))
      return {Dest::kLoopbackSource};
  for (int i = 0; i < kMaxSlots; ++i) {
    const SlotModel& s = m.slots[i];
    if (i == from || s.type != type || s.local.len == 0) continue;
    if (s.state != SockState::kListening && !(type == SOCK_DGRAM && s.state != SockState::kClosed &&
                                              s.state != SockState::kEmpty))
      continue;
    const auto b = ip_of(s.local);
    if (!b || !same_host(ip, *b)) continue;
    // Bound to port 0: the kernel picked an ephemeral port the model does
    // not know. Port 0 itself is never it (nothing listens there).
    if (b->port == 0 && ip.port != 0 && ntohs(ip.port) >= world::kEphemeralLow) return {Dest::kUnknown};
    if (b->port == 0 || b->port != ip.port) continue;
    if (type == SOCK_DGRAM) return {Dest::kDatagramPeer, i};
    return {s.queued > s.backlog ? Dest::kListenerFull : Dest::kListener, i};
  }
  return {Dest::kNoListener};
}

DestInfo classify_unix(const SocketModel& m, int from, const AddrKey& k) {
  const bool abstract = k.len > 2 && k.bytes[2] == 0;
  const SlotModel& me = m.slots[from];
  for (int i = 0; i < kMaxSlots; ++i) {
    const SlotModel& s = m.slots[i];
    // The socket itself counts: a datagram socket may connect to its own
    // name, and a stream socket is refused by (or, listening, rejects) itself.
    if (s.domain != AF_UNIX || !(s.local == k) || s.state == SockState::kEmpty) continue;
    if (s.state == SockState::kClosed) {
      if (abstract) continue;  // abstract names vanish with the socket: another may hold it now
      return {Dest::kStale, i};
    }
    // Abstract names are looked up together with the type, so another
    // type's abstract name is simply not found (docs/FINDINGS.md 5).
    if (s.type != me.type) {
      if (abstract) continue;
      return {Dest::kWrongType, i};
    }
    if (me.type == SOCK_DGRAM) {
      // unix_may_send(): a peer connected elsewhere refuses us (EPERM).
      const bool taken = s.state == SockState::kConnected && !(s.peer == me.local && me.local.len > 2);
      return {taken ? Dest::kDatagramPeerTaken : Dest::kDatagramPeer, i};
    }
    // unix_stream_connect() refuses a listener shut down for reading: it is
    // no longer "listening on the remote address" (ECONNREFUSED).
    if (s.state != SockState::kListening || s.shut_rd) return {Dest::kNoListener, i};
    return {s.queued > s.backlog ? Dest::kListenerFull : Dest::kListener, i};
  }
  // Abstract names are per network namespace: in the sandbox, only ours exist.
  return {abstract ? Dest::kUnixMissing : Dest::kUnknown};
}

}  // namespace

bool binds_device(const Address& a) {
  if (a.family() != AF_INET6 || a.addrlen < 24 || a.bytes.size() < 24) return false;
  return needs_scope_id(a.bytes.data() + offsetof(sockaddr_in6, sin6_addr)) && scope_id(a) != 0;
}

AddrKey key_of(const std::uint8_t* sa, std::size_t len) {
  AddrKey k;
  if (len < 2) return k;
  sa_family_t fam;
  std::memcpy(&fam, sa, 2);
  if (fam == AF_INET && len >= sizeof(sockaddr_in)) {
    k.len = 8;
    std::memcpy(k.bytes.data(), sa, 8);
  } else if (fam == AF_INET6 && len >= 24) {
    k.len = 20;
    std::memcpy(k.bytes.data(), sa, 4);
    std::memcpy(k.bytes.data() + 4, sa + 8, 16);
  } else if (fam == AF_UNIX) {
    std::size_t n = std::min(len, sizeof(sockaddr_un));
    // A pathname ends at its first NUL; an abstract name (sun_path[0] == 0)
    // is every byte of addrlen.
    if (n > kSunPath && sa[kSunPath] != 0) {
      const auto* end = std::find(sa + kSunPath, sa + n, 0);
      n = static_cast<std::size_t>(end - sa);
    }
    k.len = static_cast<std::uint8_t>(n);
    std::memcpy(k.bytes.data(), sa, n);
  }
  return k;
}

AddrKey key_of(const Address& a) {
  std::uint8_t buf[sizeof(sockaddr_un) + 16]{};
  const std::size_t n = std::min<std::size_t>({a.addrlen, sizeof buf, a.bytes.size()});
  std::memcpy(buf, a.bytes.data(), n);
  return key_of(buf, std::min<std::size_t>(a.addrlen, sizeof buf));
}

std::optional<std::array<std::uint8_t, 4>> v4_of(const AddrKey& k) {
  const auto ip = ip_of(k);
  if (!ip || ip->family != AF_INET) return std::nullopt;
  return std::array<std::uint8_t, 4>{ip->addr[0], ip->addr[1], ip->addr[2], ip->addr[3]};
}

// From the bytes, not in_prefix(): it runs on every bind and IPv4 connect
// the fuzz targets model.
V4Source v4_source(const std::array<std::uint8_t, 4>& a) {
  static const std::array<std::uint8_t, 4> kSubnet = [] {
    std::array<std::uint8_t, 4> b{};
    ::inet_pton(AF_INET, world::kBroadcast4, b.data());
    return b;
  }();
  static constexpr std::array<std::uint8_t, 4> kLoopbackBroadcast{127, 255, 255, 255};
  if (a == std::array<std::uint8_t, 4>{}) return V4Source::kWildcard;
  // 224/3: multicast and 255.255.255.255 (240/4, class E, is never local
  // here, so a bind to it already failed).
  if (a[0] >= 224) return V4Source::kMulticast;
  if (a == kSubnet || a == kLoopbackBroadcast) return V4Source::kSubnetBroadcast;
  return a[0] == 127 ? V4Source::kLoopback : V4Source::kUnicast;
}

bool self_target(const SlotModel& s, const AddrKey& dest) {
  if (!s.explicitly_bound || s.type != SOCK_STREAM || s.domain == AF_UNIX) return false;
  // inet_bind() to a broadcast or multicast address keeps it as the bound
  // name but leaves the source to the route (inet_saddr = 0), which for a
  // local destination is the destination itself: the port decides.
  AddrKey src = s.local;
  if (const auto v4 = v4_of(s.local); v4 && leaves_source_to_route(v4_source(*v4))) {
    const std::size_t at = s.local.len == 8 ? 4 : 16;
    std::fill(src.bytes.begin() + at, src.bytes.begin() + at + 4, 0);
    if (s.local.len == 20) src.bytes[14] = src.bytes[15] = 0;  // ::ffff:x -> ::, the wildcard
  }
  return may_reach(resolve_wildcard(s, dest), src);
}

bool may_reach(const AddrKey& dest, const AddrKey& bound) {
  const auto d = ip_of(dest), b = ip_of(bound);
  // A name bound with port 0 got an ephemeral port the model does not know.
  return d && b && b->port != 0 && d->port == b->port && same_host(*d, *b);
}

DestInfo classify_destination(const SocketModel& m, int from, const Address& a) {
  const AddrKey k = key_of(a);
  if (a.family() == AF_UNIX) return k.len > 2 ? classify_unix(m, from, k) : DestInfo{};
  const auto ip = ip_of(resolve_wildcard(m.slots[from], k));
  if (!ip) return {};
  // __ip6_datagram_connect() and tcp_v6_connect(): "Connect to link-local
  // address requires an interface", from sin6_scope_id or the socket's own
  // device binding. TCP refuses multicast before this check.
  const bool tcp_multicast = m.slots[from].type == SOCK_STREAM && ip->addr[0] == 0xff;
  if (ip->family == AF_INET6 && needs_scope_id(ip->addr) && !tcp_multicast) {
    if (!m.slots[from].device_maybe_bound && scope_id(a) == 0) return {Dest::kLinkLocalNoScope};
    return {};  // through which device: the model does not follow interfaces
  }
  return classify_ip(m, from, *ip);
}

}  // namespace conncheck
