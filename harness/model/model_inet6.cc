// Model: the AF_INET6 rules TCP and UDP share. An AF_INET6 socket reaches
// IPv4 hosts through v4-mapped addresses (or, for UDP, a plain sockaddr_in),
// unless it is IPv6-only; its local address, once v4-mapped or native,
// decides which destinations it can still reach.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "model/model_internal.h"

namespace conncheck::model_internal {

void inet6_dest(const Address& a, InetDest& t) {
  if (a.family() != AF_INET6) return;
  // Read as the kernel gets it: addrlen bytes, the ones past what the
  // Program owns being zeros (Placement::kNormal, address.h).
  const auto v = inet6_view(key_of(a));
  t.mapped = v && v->v4();
  // ::, which tcp_v6_connect() and ip6_datagram_connect() turn into the
  // socket's own loopback (v4-mapped 127.0.0.1 when the local address is
  // v4-mapped).
  t.any = v && v->any();
}

bool inet6_family_refuses(const SlotModel& s, const Address& a, Column col, Expectation& e) {
  if (s.domain != AF_INET6 || a.family() != AF_INET) return false;
  if (s.type == SOCK_STREAM && a.addrlen < offsetof(sockaddr_in6, sin6_scope_id)) {
    e.situation = "sockaddr_in on an AF_INET6 TCP socket";
    known(e, EINVAL, col, Situation::kWrongFamilyInet6);
    return true;
  }
  // A socket bound to a specific IPv6 address is IPv6-only (inet6_bind()
  // sets sk_ipv6only), so a sockaddr_in no longer has "the correct address
  // family" for it: ip6_datagram_connect() checks this before the length.
  if (s.src.v6only) {
    e.situation =
        "sockaddr_in on an IPv6-only AF_INET6 socket (bound to an IPv6 address, or IPV6_V6ONLY)";
    e.allow_documented(EAFNOSUPPORT);
    return true;
  }
  return false;
}

bool inet6_v6only_refuses(const SlotModel& s, const InetDest& t, Expectation& e) {
  // The same socket given a v4-mapped sockaddr_in6: tcp_v6_connect() and
  // ip6_datagram_connect() answer ENETUNREACH, the page's "Network is
  // unreachable": an IPv6-only socket has no route to an IPv4 host.
  if (!s.src.v6only || !t.mapped) return false;
  e.situation =
      "v4-mapped destination from an IPv6-only AF_INET6 socket (bound to an IPv6 address, or "
      "IPV6_V6ONLY)";
  e.allow_documented(ENETUNREACH);
  return true;
}

bool inet6_bad_source_refuses(const SlotModel& s, const InetDest& t, Column col, Expectation& e) {
  // :: from a v4-mapped local address is ::ffff:127.0.0.1 (tcp_v6_connect(),
  // ip6_datagram_connect()): an IPv4 destination too.
  const bool v4_dest = t.fam == AF_INET || t.mapped || (t.any && s.src.v4mapped_local);
  if (!s.src.bad_src4 || !v4_dest) return false;
  e.situation = "IPv4 destination from a v4-mapped broadcast or multicast source";
  if (s.src.bad_src4 == EINVAL)
    known(e, EINVAL, col, Situation::kBadSource);
  else
    e.allow_documented(ENETUNREACH);  // a subnet broadcast is no local address: no route from it
  return true;
}

bool inet6_mapped_local_refuses(const SlotModel& s, const InetDest& t, Column col, Expectation& e) {
  // tcp_v6_connect() refuses a multicast destination before it gets that far.
  const bool tcp_multicast = s.type == SOCK_STREAM && t.d.dest == Dest::kMulticast;
  if (!s.src.v4mapped_local || t.fam != AF_INET6 || t.mapped || t.any || !t.routed ||
      tcp_multicast || t.d.dest == Dest::kUnknown)
    return false;
  e.situation = "native IPv6 destination from an AF_INET6 socket with a v4-mapped local address";
  known(e, EAFNOSUPPORT, col, Situation::kMappedLocal);
  return true;
}

// inet6_bind(): a specific IPv6 address (not ::, not v4-mapped) makes the
// socket IPv6-only.
void inet6_bind(SlotModel& s) {
  const auto v = inet6_view(s.local);
  if (!v) return;
  const bool mapped = v->v4().has_value();
  s.src.v6only = !v->any() && !mapped;
  s.src.v4mapped_local = mapped;
  s.src.v6_local = !v->any() && !mapped;
}

// IPV6_V6ONLY: IPv4 destinations are refused (EAFNOSUPPORT), as after a specific bind.
void inet6_setsockopt(SlotModel& s, const op::SetSockOpt& x, bool ok) {
  if (ok && x.level == IPPROTO_IPV6 && x.name == IPV6_V6ONLY && s.domain == AF_INET6)
    s.src.v6only = x.value != 0;
}

void udp6_choose_local(SlotModel& s) {
  // UDP6: the first connect fixes an unset local address to the route's
  // source, v4-mapped for an IPv4 peer (ipv4_connected in datagram.c).
  if (s.src.v4mapped_local || s.src.v6_local) return;
  // The whole ::ffff:0:0/96 prefix: a multicast peer like
  // ffff:ffd8:ffff:ffd8:ff2f:ffff:ffff:0 has ff ff at the same place
  // (found by exploration, issue 14).
  const bool v4_peer = v4_of(s.peer).has_value();
  (v4_peer ? s.src.v4mapped_local : s.src.v6_local) = true;
}

void tcp6_note_mapped_ops(SlotModel& s, const Address& a, const Outcome& o, bool may_start) {
  // tcp_v6_connect() keeps ipv6_mapped ops once tcp_v4_connect() has sent
  // the SYN: whatever ends the attempt later (RST, AF_UNSPEC) leaves them.
  // Only a socket free to start an attempt gets that far.
  const bool sent =
      o.ret == 0 || o.hung || pending_error(o.err) || o.err == ECONNREFUSED || o.err == ETIMEDOUT;
  if (may_start && a.addrlen >= offsetof(sockaddr_in6, sin6_scope_id) && a.family() == AF_INET6 &&
      v4_of(key_of(a)) && sent)
    s.tcp.mapped_ops = true;
}

void tcp6_mapped_ops(const SlotModel& s, const InetDest& t, bool uring_waits, Column col,
                     Expectation& e) {
  // After a v4-mapped connect sent its SYN, a native IPv6 one goes out
  // through the IPv4 ops and is never answered (FINDINGS 9): a blocking
  // connect may wait until ETIMEDOUT. What the page documents stays
  // allowed, so a fixed kernel passes too.
  const bool native6 = t.fam == AF_INET6 && !t.mapped && !(t.any && s.src.v4mapped_local);
  if (!s.tcp.mapped_ops || !native6 || t.d.dest == Dest::kMulticast) return;
  if (s.nonblock && !uring_waits) return;
  e.situation =
      "TCP6 to a native IPv6 address after a v4-mapped connect (IPv4 ops kept, FINDINGS 9)";
  e.may_block = true;
  known(e, ETIMEDOUT, col, Situation::kMappedOpsKept);
  e.allow_documented(EINTR);
}

}  // namespace conncheck::model_internal
