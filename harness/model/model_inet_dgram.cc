// Model: UDP, AF_INET and AF_INET6 SOCK_DGRAM. A datagram connect only
// sets the default peer (ip4/ip6_datagram_connect()): past the address
// checks and the route (model_inet.cc) it succeeds, and connecting again
// changes the peer. send() without an address then goes to that peer.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "model/model_internal.h"

namespace conncheck::model_internal {
namespace {

// What a connect past the address checks may do, by destination. False:
// `e` is complete (nothing is added after it).
bool by_destination(const SlotModel& s, const InetDest& t, Column col, Expectation& e) {
  switch (t.d.dest) {
    case Dest::kNoRoute:
    case Dest::kUnreachable:
    case Dest::kProhibit:
    case Dest::kBlackhole: route_error(t.d.dest, col, e); return true;
    case Dest::kBroadcast:
      e.situation = s.udp.broadcast ? "UDP to broadcast with SO_BROADCAST"
                                    : "UDP to broadcast without SO_BROADCAST";
      if (s.udp.broadcast)
        allow_success(col, t.v4_on_v6, e);
      else
        documented_row(e, "EACCES-broadcast");
      return true;
    case Dest::kNoListener: e.situation = "UDP to a local address"; break;
    case Dest::kDatagramPeer: e.situation = "UDP to a bound peer"; break;
    case Dest::kSilentNeighbour: e.situation = "UDP to an on-link address nobody holds"; break;
    case Dest::kOffLinkFromLoopback: off_link_from_loopback(col, e); return false;
    case Dest::kMulticast:
      e.situation = "UDP to a multicast address";
      e.open = true;  // depends on multicast routes and IP_MULTICAST_IF
      return false;
    default:
      e.situation = "destination the model does not classify";
      e.open = true;
      return false;
  }
  allow_success(col, t.v4_on_v6, e);
  return true;
}

Expectation expect_udp_connect(const SocketModel& m, const op::Connect& c, Column col,
                               Expectation e) {
  const SlotModel& s = m.slots[c.slot];
  if (c.addr.addrlen < sizeof(sa_family_t)) {
    e.situation = "addrlen shorter than sa_family";
    known(e, EINVAL, col, Situation::kShortAddrlen);
    return e;
  }
  if (c.addr.family() == AF_UNSPEC) {
    e.situation = "AF_UNSPEC on a UDP socket";
    by_rule(e, 0, RuleId::kUnspecDissolves);
    return e;
  }
  InetDest t;
  if (inet_checks(m, c, col, e, t)) return e;
  if (!by_destination(s, t, col, e)) return e;
  if (s.state == SockState::kConnected && e.find(0)) e.rule = RuleId::kDatagramReconnect;
  if (m.world.ports_scarce && !s.explicitly_bound) e.allow_documented(EAGAIN);
  return e;
}

Expectation expect_udp_peer(const SocketModel& m, int slot) {
  const SlotModel& s = m.slots[slot];
  const auto peer = ip_view(s.peer);
  if (s.state != SockState::kConnected || !peer || peer->port != 0)
    return expect_peer_common(m, slot);
  Expectation e;
  e.situation = "UDP socket connected to port 0";
  known(e, ENOTCONN, *column_of(s.domain, s.type), Situation::kPeerPortZero);
  return e;
}

Expectation expect_udp_send(const SocketModel& m, int slot, Column col) {
  Expectation e;
  const SlotModel& s = m.slots[slot];
  if (send_unjudged(s, e)) return e;
  if (s.state != SockState::kConnected) {
    e.situation = "datagram socket with no association";
    if (s.state == SockState::kDissolved) e.rule = RuleId::kUnspecDissolves;
    e.allow(EDESTADDRREQ, Tier::kDocumented,
            "send(2): EDESTADDRREQ, not connection-mode and no peer set");
    return e;
  }
  if (s.device_maybe_bound) {
    send_device_bound(s, col, e);
    return e;
  }
  // udpv6_sendmsg() hands a v4-mapped peer to udp_sendmsg() as an explicit
  // sockaddr_in, and there port 0 is EINVAL, before anything looks at
  // shutdown (the skb allocation's EPIPE comes later).
  if (const auto v6 = inet6_view(s.peer); s.domain == AF_INET6 && v6 && v6->v4() && v6->port == 0) {
    e.situation = "send on a UDP6 socket connected to a v4-mapped address with port 0";
    known(e, EINVAL, col, Situation::kPeerPortZero);
    return e;
  }
  if (s.shut_wr)
    send_shut("connected datagram socket after shutdown(SHUT_WR)", col, e);
  else
    send_connected(e);
  return e;
}

void udp_connect(SocketModel& m, const op::Connect& c, const Outcome& o) {
  SlotModel& s = m.slots[c.slot];
  if (!holds_socket(s)) return;
  if (binds_device(c.addr)) s.device_maybe_bound = true;
  if (o.ret != 0 || o.hung) {
    if (!o.hung && !pending_error(o.err)) note_failed(s, o);
    return;
  }
  // udp_disconnect() keeps the shutdown bits.
  if (c.addr.addrlen >= sizeof(sa_family_t) && c.addr.family() == AF_UNSPEC)
    return dissolve(m, c.slot);
  note_connected(s, c);
  if (s.domain == AF_INET6) udp6_choose_local(s);
  // The first connect to an IPv4 destination fixes inet_saddr to the
  // route's source (ip4_datagram_connect), 127.0.0.1 for loopback ones.
  if (const auto v4 = v4_of(s.peer); !s.src.src4_fixed && v4) {
    s.src.src4_fixed = true;
    s.src.loopback_src4 = v4_source(*v4) == V4Source::kLoopback;
  }
}

}  // namespace

const Family kUdp = {
    .name = "UDP",
    .expect_connect = expect_udp_connect,
    .expect_peer = expect_udp_peer,
    .expect_send = expect_udp_send,
    .bind = inet_bind,
    .connect = udp_connect,
    .setsockopt = inet6_setsockopt,
};

}  // namespace conncheck::model_internal
