// Model: where a connect is aimed. The sandbox world (world/world.h) is
// fixed, so an IP destination's route class follows from its address alone;
// a listener or peer follows from the model's own slots.
#include <arpa/inet.h>
#include <netinet/in.h>

#include "model/model_internal.h"
#include "world/world.h"

namespace conncheck {
namespace {

using namespace model_internal;

// The routes the sandbox adds, and what the destination's address says.
std::optional<Dest> route_class(const SlotModel& from, const IpView& ip) {
  for (const world::TypedRoute& r : world::kTypedRoutes) {
    if (!in_prefix(ip, r.net4, r.prefix4) && !in_prefix(ip, r.net6, r.prefix6)) continue;
    switch (r.kind) {
      case world::RouteKind::kUnreachable: return Dest::kUnreachable;
      case world::RouteKind::kProhibit: return Dest::kProhibit;
      case world::RouteKind::kBlackhole: return Dest::kBlackhole;
    }
  }
  const bool multicast = in_prefix(ip, "224.0.0.0", 4) || in_prefix(ip, "ff00::", 8) ||
                         in_prefix(ip, "255.255.255.255", 32);
  // tcp_v6_connect() refuses multicast before anything else; tcp_v4_connect()
  // refuses a multicast or broadcast route (RTCF_MULTICAST|RTCF_BROADCAST),
  // and with no such route the lookup itself fails: ENETUNREACH either way.
  if (multicast) return Dest::kMulticast;
  // __mkroute_output(): a source in 127/8 may leave only through a loopback
  // device (ip(7) route_localnet, off by default), so a destination routed
  // out of the veth is refused, broadcast included (before RTCF_BROADCAST).
  if (ip.family == AF_INET && from.src.loopback_src4 &&
      in_prefix(ip, world::kVethNet4, world::kVethPrefix4) &&
      !in_prefix(ip, world::kVethAddr4, 32) && !in_prefix(ip, world::kVethPeer4, 32))
    return Dest::kOffLinkFromLoopback;
  // Both subnets' broadcast addresses: the veth's and loopback's 127/8.
  if (in_prefix(ip, world::kBroadcast4, 32) || in_prefix(ip, "127.255.255.255", 32))
    return Dest::kBroadcast;
  if (!is_local(ip)) {
    // The subnets' network addresses (10.254.0.0, and fd00:254::, the
    // subnet-router anycast address) depend on more than the route table.
    if (in_prefix(ip, world::kVethNet4, 32) || in_prefix(ip, world::kVethNet6, 128))
      return Dest::kUnknown;
    // The rest of the veth's subnets: routed on-link, but no host answers.
    if (in_prefix(ip, world::kVethNet4, world::kVethPrefix4) ||
        in_prefix(ip, world::kVethNet6, world::kVethPrefix6))
      return Dest::kSilentNeighbour;
    return Dest::kNoRoute;
  }
  // IPv6 drops a packet whose source is ::1 anywhere but on the loopback
  // route (RFC 4291 2.5.3), so a TCP socket bound to ::1 never reaches the
  // namespace's other addresses: no SYN-ACK, no RST, listener or not.
  if (from.type == SOCK_STREAM && ip.family == AF_INET6 && !ip.wildcard() &&
      !in_prefix(ip, "::1", 128))
    if (const auto src = ip_view(from.local);
        src && from.explicitly_bound && in_prefix(*src, "::1", 128))
      return Dest::kLoopbackSource;
  return std::nullopt;  // local: the slots decide
}

DestInfo classify_ip(const SocketModel& m, int from, const IpView& ip) {
  if (const auto r = route_class(m.slots[from], ip)) return {*r};
  const int type = m.slots[from].type;
  for (int i = 0; i < kMaxSlots; ++i) {
    const SlotModel& s = m.slots[i];
    if (i == from || s.type != type || s.local.len == 0) continue;
    const bool live = s.state != SockState::kClosed && s.state != SockState::kEmpty;
    if (s.state != SockState::kListening && !(type == SOCK_DGRAM && live)) continue;
    const auto b = ip_view(s.local);
    if (!b || !same_host(ip, *b)) continue;
    // Bound to port 0: the kernel picked an ephemeral port the model does
    // not know. Port 0 itself is never it (nothing listens there).
    if (b->port == 0 && ip.port != 0 && ntohs(ip.port) >= world::kEphemeralLow)
      return {Dest::kUnknown};
    if (b->port == 0 || b->port != ip.port) continue;
    if (type == SOCK_DGRAM) return {Dest::kDatagramPeer, i};
    return {s.queued > s.backlog ? Dest::kListenerFull : Dest::kListener, i};
  }
  return {Dest::kNoListener};
}

DestInfo classify_unix(const SocketModel& m, int from, const AddrKey& k, bool abstract) {
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
      const auto mine = unix_view(me.local);
      const bool taken =
          s.state == SockState::kConnected && !(s.peer == me.local && mine && mine->named());
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

DestInfo classify_destination(const SocketModel& m, int from, const Address& a) {
  const AddrKey k = key_of(a);
  if (a.family() == AF_UNIX) {
    const auto u = unix_view(k);
    return u && u->named() ? classify_unix(m, from, k, u->abstract()) : DestInfo{};
  }
  const auto ip = ip_view(resolve_wildcard(m.slots[from], k));
  if (!ip) return {};
  // __ip6_datagram_connect() and tcp_v6_connect(): "Connect to link-local
  // address requires an interface", from sin6_scope_id or the socket's own
  // device binding. TCP refuses multicast before this check.
  const bool tcp_multicast = m.slots[from].type == SOCK_STREAM && ip->addr[0] == 0xff;
  if (ip->family == AF_INET6 && needs_scope_id(ip->addr) && !tcp_multicast) {
    const auto sin6 = sin6_view(a);
    if (!m.slots[from].device_maybe_bound && (!sin6 || sin6->scope_id == 0))
      return {Dest::kLinkLocalNoScope};
    return {};  // through which device: the model does not follow interfaces
  }
  return classify_ip(m, from, *ip);
}

}  // namespace conncheck
