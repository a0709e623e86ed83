// Model: the outcomes allowed for the ops that follow a connect and read
// its result: getpeername, send without an address, SO_ERROR.
#include <sys/socket.h>

#include <algorithm>

#include "model_expect_internal.h"

namespace conncheck::model_internal {
namespace {

// unix_dgram_sendmsg(): a peer that shut down reading refuses with EPIPE.
bool peer_shut_rd(const SocketModel& m, const SlotModel& s) {
  if (s.domain != AF_UNIX || s.peer.len == 0) return false;
  for (const SlotModel& o : m.slots)
    if (o.domain == AF_UNIX && o.type == s.type && o.local == s.peer && o.shut_rd &&
        o.state != SockState::kClosed && o.state != SockState::kEmpty)
      return true;
  return false;
}

// unix_may_send(): the peer accepts datagrams only from its own peer, once it has one.
bool unix_peer_taken(const SocketModel& m, const SlotModel& s) {
  if (s.domain != AF_UNIX || s.peer.len <= 2) return false;
  for (const SlotModel& o : m.slots)
    if (o.domain == AF_UNIX && o.type == s.type && o.local == s.peer && o.state == SockState::kConnected)
      return !(o.peer == s.local && s.local.len > 2);
  return false;
}

}  // namespace

Expectation expect_peer(const SocketModel& m, int slot) {
  Expectation e;
  const SlotModel& s = m.slots[slot];
  constexpr std::string_view kNotConn = "getpeername(2): ENOTCONN, the socket is not connected";
  switch (s.state) {
    case SockState::kEmpty: case SockState::kClosed: e.situation = "no descriptor"; e.allow_documented(EBADF); break;
    case SockState::kNotSocket: e.situation = "descriptor of a file"; e.allow_documented(ENOTSOCK); break;
    case SockState::kConnected:
      if (s.type == SOCK_DGRAM && s.domain != AF_UNIX && s.peer.len > 0 && s.peer.bytes[2] == 0 &&
          s.peer.bytes[3] == 0) {
        e.situation = "UDP socket connected to port 0";
        known(e, ENOTCONN, *column_of(s.domain, s.type), Situation::kPeerPortZero);
        break;
      }
      e.situation = "connected socket";
      e.allow(0, Tier::kDocumented, "getpeername(2) reports the peer");
      if (s.peer_gone && s.type == SOCK_STREAM && s.domain != AF_UNIX) {
        e.situation = "connected TCP socket whose peer closed, shut down or dropped the connection";
        known(e, ENOTCONN, *column_of(s.domain, s.type), Situation::kConnectionEnded);
      }
      if (s.type == SOCK_DGRAM) e.rule = RuleId::kDatagramReconnect;
      e.check_peer = s.peer.len > 0;
      e.peer = s.peer;
      break;
    case SockState::kConnecting:
      e.situation = "connect pending";
      e.allow(0, Tier::kDocumented, "the pending connect may have completed");
      e.allow(ENOTCONN, Tier::kDocumented, kNotConn);
      break;
    case SockState::kDissolved:
      e.situation = "association dissolved by AF_UNSPEC";
      if (s.type == SOCK_DGRAM) by_rule(e, ENOTCONN, RuleId::kUnspecDissolves);
      else e.allow(ENOTCONN, Tier::kDocumented, kNotConn);
      break;
    default: e.situation = "socket never connected"; e.allow(ENOTCONN, Tier::kDocumented, kNotConn);
  }
  return e;
}

Expectation expect_send(const SocketModel& m, int slot) {
  Expectation e;
  const SlotModel& s = m.slots[slot];
  const auto col = column_of(s.domain, s.type);
  if (!col || s.type != SOCK_DGRAM || s.state == SockState::kConnecting) { e.judged = false; return e; }
  // Bound to a device by an earlier link-local connect (model_expect.cc):
  // the datagram is routed through a device the model does not follow.
  if (s.state == SockState::kConnected && s.device_maybe_bound) {
    e.situation = "connected datagram socket bound to a device by an earlier link-local connect";
    e.open = true;
    known(e, ENODEV, *col, Situation::kDeviceBound);
    if (s.domain == AF_INET6) known(e, ENETUNREACH, *col, Situation::kDeviceBound);
    return e;
  }
  // udpv6_sendmsg() hands a v4-mapped peer to udp_sendmsg() as an explicit
  // sockaddr_in, and there port 0 is EINVAL, before anything looks at
  // shutdown (the skb allocation's EPIPE comes later).
  if (s.state == SockState::kConnected && s.domain == AF_INET6 && s.peer.len == 20 && v4_of(s.peer) &&
      s.peer.bytes[2] == 0 && s.peer.bytes[3] == 0) {
    e.situation = "send on a UDP6 socket connected to a v4-mapped address with port 0";
    known(e, EINVAL, *col, Situation::kPeerPortZero);
    return e;
  }
  if (s.state == SockState::kConnected && (s.shut_wr || peer_shut_rd(m, s))) {
    e.situation = s.shut_wr ? "connected datagram socket after shutdown(SHUT_WR)"
                            : "connected AF_UNIX datagram socket whose peer did shutdown(SHUT_RD)";
    known(e, EPIPE, *col, Situation::kSendShutdown);
    // A pending error (an earlier datagram's ICMP) is reported before it.
    e.allow(ECONNREFUSED, Tier::kDocumented, "send(2): an earlier datagram was refused");
    return e;
  }
  if (s.state == SockState::kConnected && unix_peer_taken(m, s)) {
    e.situation = "AF_UNIX datagram socket whose peer has connected to another socket";
    known(e, EPERM, *col, Situation::kUnixPeerTaken);
    return e;
  }
  if (s.state == SockState::kConnected) {
    e.situation = "connected datagram socket";
    e.allow(0, Tier::kDocumented, "datagrams are sent to the connected peer by default");
    // An earlier datagram's ICMP port-unreachable (UDP) or a closed AF_UNIX
    // peer is reported on the next send; a full peer queue gives EAGAIN.
    e.allow(ECONNREFUSED, Tier::kDocumented, "send(2): an earlier datagram was refused");
    e.allow(EAGAIN, Tier::kDocumented, "send(2): MSG_DONTWAIT and the peer's queue is full");
    return e;
  }
  if (s.state != SockState::kDissolved && s.state != SockState::kUnbound && s.state != SockState::kBound) {
    e.judged = false;
    return e;
  }
  // unix_dgram_sendmsg() allocates the skb (EPIPE after SHUT_WR) before it
  // looks for a peer (ENOTCONN).
  if (s.domain == AF_UNIX && s.shut_wr) {
    e.situation = "unconnected AF_UNIX datagram socket after shutdown(SHUT_WR)";
    known(e, EPIPE, *col, Situation::kSendShutdown);
    return e;
  }
  e.situation = "datagram socket with no association";
  if (s.state == SockState::kDissolved) e.rule = RuleId::kUnspecDissolves;
  if (s.domain == AF_UNIX) known(e, ENOTCONN, *col, Situation::kSendUnconnected);
  else e.allow(EDESTADDRREQ, Tier::kDocumented, "send(2): EDESTADDRREQ, not connection-mode and no peer set");
  return e;
}

Expectation expect_so_error(const SocketModel& m, int slot) {
  Expectation e;
  if (m.slots[slot].state != SockState::kConnecting) { e.judged = false; return e; }
  e.situation = "SO_ERROR after a pending connect";
  e.rule = RuleId::kNonblockingInProgress;
  e.check_so_error = true;
  e.allow(0, Tier::kDocumented, rule(RuleId::kNonblockingInProgress).cites[0].quote);
  return e;
}

}  // namespace conncheck::model_internal
