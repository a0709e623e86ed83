// Model: TCP, AF_INET and AF_INET6 SOCK_STREAM: what connect() may answer.
// inet_stream_connect() looks at the socket's state first, then
// tcp_v4/v6_connect() checks the address up to the route (model_inet.cc),
// then the handshake decides. The order of the checks follows the kernel's,
// because when several conditions hold at once the first check decides.
// What the ops leave behind is in model_inet_stream_apply.cc.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "model/model_internal.h"

namespace conncheck::model_internal {
namespace {

// A pending or blocking connect may end in any of these.
void completion_errors(Expectation& e, Column c) {
  e.allow_documented(ECONNREFUSED);
  e.allow_documented(ETIMEDOUT);
  e.allow_documented(ENETUNREACH);
  known(e, EHOSTUNREACH, c, Situation::kUnreachableRoute);
}

// inet_stream_connect() looks at sock->state before the address.
bool state_decides(const SlotModel& s, const op::Connect& c, Column col, Expectation& e) {
  if (s.state == SockState::kConnected || s.state == SockState::kListening) {
    e.situation =
        s.state == SockState::kConnected ? "connected TCP socket" : "listening TCP socket";
    by_rule(e, EISCONN, RuleId::kStreamConnectsOnce);
    return true;
  }
  if (s.state == SockState::kConnecting) {
    e.situation = "TCP connect already pending on this socket";
    if (s.nonblock)
      by_rule(e, EALREADY, RuleId::kAlreadyWhilePending);
    else
      e.may_block = true;
    known(e, 0, col, Situation::kPendingCompleted);
    // The attempt may also have failed meanwhile, its error already read.
    known(e, ECONNABORTED, col, Situation::kPendingCompleted);
    known(e, ECONNRESET, col, Situation::kPendingCompleted);  // the listener went away
    if (s.tcp.peer_fin_first) known(e, EPIPE, col, Situation::kPendingResetAfterFin);
    completion_errors(e, col);
    if (c.interrupt_ms > 0 || !s.nonblock) e.allow_documented(EINTR);
    return true;
  }
  if (s.state == SockState::kDissolved && s.peer.len > 0) {
    e.situation = "TCP socket shut down after its pending connect failed (SS_DISCONNECTING)";
    known(e, EINVAL, col, Situation::kShutdownPending);
    return true;
  }
  return false;
}

// io_uring completes a non-blocking connect instead of reporting EINPROGRESS.
bool uring_waits(const SocketModel& m, const SlotModel& s) {
  return s.nonblock && m.world.backend == Backend::kIoUring;
}

void in_progress(const SocketModel& m, const SlotModel& s, Column col, Expectation& e) {
  if (!uring_waits(m, s)) return by_rule(e, EINPROGRESS, RuleId::kNonblockingInProgress);
  e.may_block = true;
  known(e, 0, col, Situation::kUringNonblocking);
  known(e, ECONNREFUSED, col, Situation::kUringNonblocking);
  e.allow_documented(ETIMEDOUT);
}

// A simultaneous open with itself: the SYN finds the socket first.
void self_connect(const SocketModel& m, const SlotModel& s, Column col, Expectation& e) {
  e.situation = "TCP to its own bound address (a simultaneous open with itself)";
  if (s.nonblock) return in_progress(m, s, col, e);
  known(e, 0, col, Situation::kSelfConnect);
  // "No-one listening": the page's answer when no listener exists.
  e.allow_documented(ECONNREFUSED);
  // Already shut down for writing, the new connection ends at once.
  if (s.shut_wr) known(e, ECONNABORTED, col, Situation::kSelfConnect);
}

// Destinations whose SYN is dropped or never answered: a blocking connect waits.
void unanswered(const SocketModel& m, const SlotModel& s, Dest d, Column col, Expectation& e) {
  if (d == Dest::kListenerFull)
    e.situation = "TCP to a listener whose accept queue is full (SYNs dropped)";
  else if (d == Dest::kLoopbackSource)
    e.situation = "TCP from a socket bound to ::1 to a non-loopback local address (SYN dropped)";
  else
    e.situation = "TCP to an on-link address nobody holds (ARP/ND unanswered)";
  if (s.nonblock) return in_progress(m, s, col, e);
  e.may_block = true;
  if (d == Dest::kLoopbackSource)
    known(e, ETIMEDOUT, col, Situation::kLoopbackSource);
  else
    e.allow_documented(ETIMEDOUT);
  if (d == Dest::kSilentNeighbour) known(e, EHOSTUNREACH, col, Situation::kSilentNeighbour);
  e.allow_documented(EINTR);
}

// What a connect past the address checks may do, by destination. False:
// `e` is complete (nothing is added after it).
bool by_destination(const SocketModel& m, const SlotModel& s, const InetDest& t, Column col,
                    Expectation& e) {
  switch (t.d.dest) {
    case Dest::kNoRoute:
    case Dest::kUnreachable:
    case Dest::kProhibit:
    case Dest::kBlackhole: route_error(t.d.dest, col, e); return true;
    case Dest::kBroadcast:
    case Dest::kMulticast:
      e.situation = t.d.dest == Dest::kBroadcast
                        ? "TCP to a broadcast address"
                        : "TCP to a multicast or limited-broadcast address";
      e.allow_documented(ENETUNREACH);
      return true;
    case Dest::kListener:
      e.situation = s.nonblock ? "non-blocking TCP to a listener" : "TCP to a listener";
      if (s.nonblock)
        in_progress(m, s, col, e);
      else
        allow_success(col, t.v4_on_v6, e);
      return true;
    case Dest::kNoListener:
      e.situation = "TCP to a local port with no listener";
      if (s.nonblock)
        in_progress(m, s, col, e);
      else
        e.allow_documented(ECONNREFUSED);
      return true;
    case Dest::kListenerFull:
    case Dest::kLoopbackSource:
    case Dest::kSilentNeighbour: unanswered(m, s, t.d.dest, col, e); return true;
    case Dest::kOffLinkFromLoopback: off_link_from_loopback(col, e); return false;
    default:
      e.situation = "destination the model does not classify";
      e.open = true;
      return false;
  }
}

// Explicitly bound (SO_REUSEADDR) to the same local address as a socket
// already connected to the same peer: the 4-tuple is taken.
void tuple_taken(const SocketModel& m, const op::Connect& c, Column col, Expectation& e) {
  const SlotModel& s = m.slots[c.slot];
  if (!s.explicitly_bound) return;
  const AddrKey dest = key_of(c.addr);
  for (int i = 0; i < kMaxSlots; ++i) {
    const SlotModel& o = m.slots[i];
    if (i != c.slot && o.peer == dest && o.local.len > 0 &&
        (may_reach(s.local, o.local) || may_reach(o.local, s.local))) {
      e.allow_documented(EADDRINUSE);
      known(e, EADDRNOTAVAIL, col, Situation::kTupleTaken);
    }
  }
}

Expectation expect_tcp_connect(const SocketModel& m, const op::Connect& c, Column col,
                               Expectation e) {
  const SlotModel& s = m.slots[c.slot];
  if (c.addr.addrlen < sizeof(sa_family_t)) {
    e.situation = "addrlen shorter than sa_family";
    known(e, EINVAL, col, Situation::kShortAddrlen);
    return e;
  }
  if (c.addr.family() == AF_UNSPEC) {
    e.situation = "AF_UNSPEC on a TCP socket";
    known(e, 0, col, Situation::kUnspecTcp);
    return e;
  }
  if (state_decides(s, c, col, e)) return e;
  InetDest t;
  if (inet_checks(m, c, col, e, t)) return e;
  // A TCP socket that listened and was stopped since (shutdown SHUT_RD or
  // SHUT_RDWR, or AF_UNSPEC: tcp_disconnect() of a TCP_LISTEN socket) fails
  // every connect that gets past the route lookup with EINVAL, its own
  // address included (issue 14; spec_known.cc, EINVAL-tcp-former-listener).
  if (s.tcp.listened && s.state != SockState::kListening && t.routed &&
      t.d.dest != Dest::kBroadcast && t.d.dest != Dest::kMulticast) {
    e.situation = "TCP socket that listened, stopped by shutdown(SHUT_RD) or AF_UNSPEC";
    known(e, EINVAL, col, Situation::kFormerListener);
    if (t.d.dest == Dest::kUnknown) e.open = true;  // its route may fail first
    return e;
  }
  const bool self = self_target(s, key_of(c.addr)) &&
                    (t.d.dest == Dest::kListener || t.d.dest == Dest::kListenerFull ||
                     t.d.dest == Dest::kNoListener);
  if (self)
    self_connect(m, s, col, e);
  else if (!by_destination(m, s, t, col, e))
    return e;
  tcp6_mapped_ops(s, t, uring_waits(m, s), col, e);
  if (c.interrupt_ms > 0) e.allow_documented(EINTR);
  if (m.world.ports_scarce && !s.explicitly_bound)
    known(e, EADDRNOTAVAIL, col, Situation::kPortsExhausted);
  tuple_taken(m, c, col, e);
  return e;
}

// getpeername(): the other end may have ended the connection meanwhile.
Expectation expect_tcp_peer(const SocketModel& m, int slot) {
  Expectation e = expect_peer_common(m, slot);
  const SlotModel& s = m.slots[slot];
  if (s.state == SockState::kConnected && s.tcp.peer_gone) {
    e.situation = "connected TCP socket whose peer closed, shut down or dropped the connection";
    known(e, ENOTCONN, *column_of(s.domain, s.type), Situation::kConnectionEnded);
  }
  return e;
}

}  // namespace

const Family kTcp = {
    .name = "TCP",
    .expect_connect = expect_tcp_connect,
    .expect_peer = expect_tcp_peer,
    .bind = inet_bind,
    .connect = tcp_connect,
    .listen = tcp_listen,
    .accept = tcp_accept,
    .shutdown = tcp_shutdown,
    .setsockopt = inet6_setsockopt,
    .release = tcp_release,
};

}  // namespace conncheck::model_internal
