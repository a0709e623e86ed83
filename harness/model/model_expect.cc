// Model: the outcomes allowed for one op, from the slot's state, the
// socket's column and where the address points. The order of the checks
// follows the kernel's (net/socket.c, then the family's connect), because
// when several conditions hold at once the first check decides the errno.
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>

#include "base/overloaded.h"
#include "base/check.h"
#include "model/model.h"
#include "model_expect_internal.h"

namespace conncheck {
namespace {

using internal::overloaded;
using model_internal::by_rule;
using model_internal::documented_row;
using model_internal::expect_peer;
using model_internal::expect_send;
using model_internal::expect_so_error;
using model_internal::known;

// What an AF_INET6 destination is, read as the kernel gets it: addrlen
// bytes, the ones past what the Program owns being zeros (Placement::kNormal,
// address.h), as key_of() reads it. Read once per connect.
struct Inet6Dest {
  bool mapped = false;  // ::ffff:a.b.c.d
  // ::, which tcp_v6_connect() and ip6_datagram_connect() turn into the
  // socket's own loopback (v4-mapped 127.0.0.1 when the local address is
  // v4-mapped).
  bool any = false;
};

Inet6Dest inet6_dest(const Address& a) {
  if (a.family() != AF_INET6) return {};
  const AddrKey k = key_of(a);
  return {.mapped = v4_of(k).has_value(),
          .any = k.len == 20 && std::all_of(k.bytes.begin() + 4, k.bytes.begin() + 20,
                                            [](std::uint8_t b) { return b == 0; })};
}

bool faults(const Address& a) {
  if (a.addrlen == 0) return false;  // nothing is copied
  if (a.placement == Placement::kNull || a.placement == Placement::kUnmapped) return true;
  return a.placement == Placement::kGuardEnd && a.addrlen > a.bytes.size();
}

// A pending or blocking connect may end in any of these.
void completion_errors(Expectation& e, Column c) {
  e.allow_documented(ECONNREFUSED);
  e.allow_documented(ETIMEDOUT);
  e.allow_documented(ENETUNREACH);
  known(e, EHOSTUNREACH, c, Situation::kUnreachableRoute);
}

Expectation expect_ip(const SocketModel& m, const op::Connect& c, Column col, Expectation e) {
  const SlotModel& s = m.slots[c.slot];
  const Address& a = c.addr;
  const bool stream = s.type == SOCK_STREAM;
  const int fam = a.family();
  const Inet6Dest d6 = inet6_dest(a);
  if (a.addrlen < sizeof(sa_family_t)) {
    e.situation = "addrlen shorter than sa_family";
    known(e, EINVAL, col, Situation::kShortAddrlen);
    return e;
  }
  if (fam == AF_UNSPEC) {
    e.situation = stream ? "AF_UNSPEC on a TCP socket" : "AF_UNSPEC on a UDP socket";
    if (stream) known(e, 0, col, Situation::kUnspecTcp);
    else by_rule(e, 0, RuleId::kUnspecDissolves);
    return e;
  }
  if (stream && (s.state == SockState::kConnected || s.state == SockState::kListening)) {
    e.situation = s.state == SockState::kConnected ? "connected TCP socket" : "listening TCP socket";
    by_rule(e, EISCONN, RuleId::kStreamConnectsOnce);
    return e;
  }
  if (stream && s.state == SockState::kConnecting) {
    e.situation = "TCP connect already pending on this socket";
    if (s.nonblock) by_rule(e, EALREADY, RuleId::kAlreadyWhilePending);
    else e.may_block = true;
    known(e, 0, col, Situation::kPendingCompleted);
    // The attempt may also have failed meanwhile, its error already read.
    known(e, ECONNABORTED, col, Situation::kPendingCompleted);
    known(e, ECONNRESET, col, Situation::kPendingCompleted);  // the listener went away
    if (s.peer_fin_first) known(e, EPIPE, col, Situation::kPendingResetAfterFin);
    completion_errors(e, col);
    if (c.interrupt_ms > 0 || !s.nonblock) e.allow_documented(EINTR);
    return e;
  }
  if (stream && s.state == SockState::kDissolved && s.peer.len > 0) {
    e.situation = "TCP socket shut down after its pending connect failed (SS_DISCONNECTING)";
    known(e, EINVAL, col, Situation::kShutdownPending);
    return e;
  }
  const bool v4_on_v6 = s.domain == AF_INET6 && fam == AF_INET;
  if (v4_on_v6 && stream && a.addrlen < 24) {
    e.situation = "sockaddr_in on an AF_INET6 TCP socket";
    known(e, EINVAL, col, Situation::kWrongFamilyInet6);
    return e;
  }
  // A socket bound to a specific IPv6 address is IPv6-only (inet6_bind()
  // sets sk_ipv6only), so a sockaddr_in no longer has "the correct address
  // family" for it: ip6_datagram_connect() checks this before the length.
  if (v4_on_v6 && s.v6only) {
    e.situation = "sockaddr_in on an IPv6-only AF_INET6 socket (bound to an IPv6 address, or IPV6_V6ONLY)";
    e.allow_documented(EAFNOSUPPORT);
    return e;
  }
  const socklen_t min_len = (s.domain == AF_INET || v4_on_v6) ? 16 : 24;
  if (a.addrlen < min_len) {
    e.situation = "addrlen shorter than the family's sockaddr";
    known(e, EINVAL, col, Situation::kShortAddrlen);
    return e;
  }
  if (fam != s.domain && !(v4_on_v6 && !stream)) {
    e.situation = "sa_family is not the socket's family";
    e.allow_documented(EAFNOSUPPORT);
    return e;
  }
  // The same socket given a v4-mapped sockaddr_in6: tcp_v6_connect() and
  // ip6_datagram_connect() answer ENETUNREACH, the page's "Network is
  // unreachable": an IPv6-only socket has no route to an IPv4 host.
  if (s.v6only && d6.mapped) {
    e.situation = "v4-mapped destination from an IPv6-only AF_INET6 socket (bound to an IPv6 address, or IPV6_V6ONLY)";
    e.allow_documented(ENETUNREACH);
    return e;
  }
  if (m.world.connect_hook_denies) {
    e.situation = "a cgroup BPF connect hook rejects every connect";
    e.allow_documented(EPERM);
    return e;
  }
  // Bound to a device by an earlier sin6_scope_id: every route goes
  // through that device, which the model does not follow (it may not exist).
  if (s.device_maybe_bound) {
    e.situation = "IP socket bound to a device by an earlier link-local connect";
    e.open = true;
    known(e, ENODEV, col, Situation::kDeviceBound);
    return e;
  }
  // :: from a v4-mapped local address is ::ffff:127.0.0.1 (tcp_v6_connect(),
  // ip6_datagram_connect()): an IPv4 destination too.
  const bool v4_dest = fam == AF_INET || d6.mapped || (d6.any && s.v4mapped_local);
  if (s.bad_src4 && v4_dest) {
    e.situation = "IPv4 destination from a v4-mapped broadcast or multicast source";
    if (s.bad_src4 == EINVAL) known(e, EINVAL, col, Situation::kBadSource);
    else e.allow_documented(ENETUNREACH);  // a subnet broadcast is no local address: no route from it
    return e;
  }
  const DestInfo d = classify_destination(m, c.slot, a);
  if (d.dest == Dest::kLinkLocalNoScope) {
    e.situation = "IPv6 link-local destination without sin6_scope_id";
    known(e, EINVAL, col, Situation::kLinkLocalNoScope);
    return e;
  }
  // The route lookup comes first: an unroutable destination keeps its own error.
  const bool routed = d.dest != Dest::kNoRoute && d.dest != Dest::kUnreachable && d.dest != Dest::kProhibit &&
                      d.dest != Dest::kBlackhole;
  // tcp_v6_connect() refuses a multicast destination before it gets that far.
  const bool tcp_multicast = stream && d.dest == Dest::kMulticast;
  if (s.v4mapped_local && fam == AF_INET6 && !d6.mapped && !d6.any && routed && !tcp_multicast &&
      d.dest != Dest::kUnknown) {
    e.situation = "native IPv6 destination from an AF_INET6 socket with a v4-mapped local address";
    known(e, EAFNOSUPPORT, col, Situation::kMappedLocal);
    return e;
  }
  const Situation ok_situation = v4_on_v6 ? Situation::kWrongFamilyInet6 : Situation::kAny;
  auto success = [&] {
    if (ok_situation != Situation::kAny) known(e, 0, col, ok_situation);
    else e.allow(0, Tier::kDocumented, "If the connection or binding succeeds, zero is returned.");
  };
  // io_uring completes a non-blocking connect instead of reporting EINPROGRESS.
  const bool uring_waits = stream && s.nonblock && m.world.backend == Backend::kIoUring;
  auto in_progress = [&] {
    if (!uring_waits) return by_rule(e, EINPROGRESS, RuleId::kNonblockingInProgress);
    e.may_block = true;
    known(e, 0, col, Situation::kUringNonblocking);
    known(e, ECONNREFUSED, col, Situation::kUringNonblocking);
    e.allow_documented(ETIMEDOUT);
  };
  // A TCP socket that listened and was stopped since (shutdown SHUT_RD or
  // SHUT_RDWR, or AF_UNSPEC: tcp_disconnect() of a TCP_LISTEN socket) fails
  // every connect that gets past the route lookup with EINVAL, its own
  // address included (issue 14; spec_known.cc, EINVAL-tcp-former-listener).
  if (stream && s.listened && s.state != SockState::kListening && routed && d.dest != Dest::kBroadcast &&
      d.dest != Dest::kMulticast) {
    e.situation = "TCP socket that listened, stopped by shutdown(SHUT_RD) or AF_UNSPEC";
    known(e, EINVAL, col, Situation::kFormerListener);
    if (d.dest == Dest::kUnknown) e.open = true;  // its route may fail first
    return e;
  }
  const bool self = stream && self_target(s, key_of(a)) &&
                    (d.dest == Dest::kListener || d.dest == Dest::kListenerFull || d.dest == Dest::kNoListener);
  switch (self ? Dest::kUnknown : d.dest) {
    case Dest::kUnknown:
      if (!self) break;
      e.situation = "TCP to its own bound address (a simultaneous open with itself)";
      if (s.nonblock) in_progress();
      else {
        known(e, 0, col, Situation::kSelfConnect);
        e.allow_documented(ECONNREFUSED);  // "No-one listening": the page's answer when no listener exists
        // Already shut down for writing, the new connection ends at once.
        if (s.shut_wr) known(e, ECONNABORTED, col, Situation::kSelfConnect);
      }
      break;
    case Dest::kNoRoute: e.situation = "no route to the destination"; e.allow_documented(ENETUNREACH); break;
    case Dest::kUnreachable: e.situation = "`unreachable` route"; known(e, EHOSTUNREACH, col, Situation::kUnreachableRoute); break;
    case Dest::kProhibit: e.situation = "`prohibit` route (a local policy rule)"; documented_row(e, "EACCES-broadcast"); break;
    case Dest::kBlackhole: e.situation = "`blackhole` route"; known(e, EINVAL, col, Situation::kBlackholeRoute); break;
    case Dest::kBroadcast:
      e.situation = stream ? "TCP to a broadcast address" : s.broadcast ? "UDP to broadcast with SO_BROADCAST"
                                                                        : "UDP to broadcast without SO_BROADCAST";
      if (stream) e.allow_documented(ENETUNREACH);
      else if (s.broadcast) success();
      else documented_row(e, "EACCES-broadcast");
      break;
    case Dest::kListener:
      e.situation = s.nonblock ? "non-blocking TCP to a listener" : "TCP to a listener";
      if (s.nonblock) in_progress();
      else success();
      break;
    case Dest::kListenerFull:
      e.situation = "TCP to a listener whose accept queue is full (SYNs dropped)";
      if (s.nonblock) in_progress();
      else {
        e.may_block = true;
        e.allow_documented(ETIMEDOUT);
        e.allow_documented(EINTR);
      }
      break;
    case Dest::kNoListener:
      e.situation = stream ? "TCP to a local port with no listener" : "UDP to a local address";
      if (!stream) success();
      else if (s.nonblock) in_progress();
      else e.allow_documented(ECONNREFUSED);
      break;
    case Dest::kDatagramPeer: e.situation = "UDP to a bound peer"; success(); break;
    case Dest::kLoopbackSource:
      e.situation = "TCP from a socket bound to ::1 to a non-loopback local address (SYN dropped)";
      if (s.nonblock) in_progress();
      else {
        e.may_block = true;
        known(e, ETIMEDOUT, col, Situation::kLoopbackSource);
        e.allow_documented(EINTR);
      }
      break;
    case Dest::kSilentNeighbour:
      e.situation = stream ? "TCP to an on-link address nobody holds (ARP/ND unanswered)"
                           : "UDP to an on-link address nobody holds";
      if (!stream) success();
      else if (s.nonblock) in_progress();
      else {
        e.may_block = true;
        e.allow_documented(ETIMEDOUT);
        known(e, EHOSTUNREACH, col, Situation::kSilentNeighbour);
        e.allow_documented(EINTR);
      }
      break;
    case Dest::kOffLinkFromLoopback:
      e.situation = "IPv4 destination off the loopback device from a 127/8 source address";
      known(e, EINVAL, col, Situation::kLoopbackSourceOffLink);
      return e;
    case Dest::kMulticast:
      e.situation = stream ? "TCP to a multicast or limited-broadcast address" : "UDP to a multicast address";
      if (!stream) { e.open = true; return e; }  // depends on multicast routes and IP_MULTICAST_IF
      e.allow_documented(ENETUNREACH);
      break;
    default: e.situation = "destination the model does not classify"; e.open = true; return e;
  }
  if (d.dest == Dest::kUnknown && !self) {
    e.situation = "destination the model does not classify";
    e.open = true;
    return e;
  }
  // After a v4-mapped connect sent its SYN, a native IPv6 one goes out
  // through the IPv4 ops and is never answered (FINDINGS 9): a blocking
  // connect may wait until ETIMEDOUT. What the page documents stays
  // allowed, so a fixed kernel passes too.
  const bool native6 = fam == AF_INET6 && !d6.mapped && !(d6.any && s.v4mapped_local);
  if (stream && s.mapped_ops && native6 && d.dest != Dest::kMulticast && (!s.nonblock || uring_waits)) {
    e.situation = "TCP6 to a native IPv6 address after a v4-mapped connect (IPv4 ops kept, FINDINGS 9)";
    e.may_block = true;
    known(e, ETIMEDOUT, col, Situation::kMappedOpsKept);
    e.allow_documented(EINTR);
  }
  if (!stream && s.state == SockState::kConnected && e.find(0)) e.rule = RuleId::kDatagramReconnect;
  if (c.interrupt_ms > 0 && stream) e.allow_documented(EINTR);
  if (m.world.ports_scarce && !s.explicitly_bound) {
    if (stream) known(e, EADDRNOTAVAIL, col, Situation::kPortsExhausted);
    else e.allow_documented(EAGAIN);
  }
  // Explicitly bound (SO_REUSEADDR) to the same local address as a socket
  // already connected to the same peer: the 4-tuple is taken.
  if (stream && s.explicitly_bound)
    for (int i = 0; i < kMaxSlots; ++i)
      if (i != c.slot && m.slots[i].peer == key_of(a) && m.slots[i].local.len > 0 &&
          (may_reach(s.local, m.slots[i].local) || may_reach(m.slots[i].local, s.local))) {
        e.allow_documented(EADDRINUSE);
        known(e, EADDRNOTAVAIL, col, Situation::kTupleTaken);
      }
  return e;
}

Expectation expect_unix(const SocketModel& m, const op::Connect& c, Column col, Expectation e) {
  const SlotModel& s = m.slots[c.slot];
  const Address& a = c.addr;
  const bool stream = s.type != SOCK_DGRAM;
  const int fam = a.addrlen >= sizeof(sa_family_t) ? a.family() : -1;
  if (!stream && fam == AF_UNSPEC) {
    e.situation = "AF_UNSPEC on an AF_UNIX datagram socket";
    by_rule(e, 0, RuleId::kUnspecDissolves);
    return e;
  }
  if (a.addrlen <= offsetof(sockaddr_un, sun_path) || a.addrlen > sizeof(sockaddr_un)) {
    e.situation = "addrlen outside (2, sizeof(sockaddr_un)]";
    known(e, EINVAL, col, a.addrlen > sizeof(sockaddr_un) ? Situation::kLongAddrlen : Situation::kShortAddrlen);
    return e;
  }
  if (fam != AF_UNIX) {
    e.situation = fam == AF_UNSPEC ? "AF_UNSPEC on an AF_UNIX stream socket" : "sa_family is not AF_UNIX";
    known(e, EINVAL, col, fam == AF_UNSPEC ? Situation::kUnspecConnectedStream : Situation::kWrongFamilyUnix);
    return e;
  }
  const bool connected = stream && s.state == SockState::kConnected;
  if (connected) e.rule = RuleId::kStreamConnectsOnce;
  const DestInfo d = classify_destination(m, c.slot, a);
  const bool path = a.bytes.size() > offsetof(sockaddr_un, sun_path) && a.bytes[offsetof(sockaddr_un, sun_path)] != 0;
  if (m.world.no_dac_override && path) documented_row(e, "EACCES-path");
  auto refused = [&] {
    if (connected) known(e, ECONNREFUSED, col, Situation::kUnixConnectedOther);
    else e.allow_documented(ECONNREFUSED);
  };
  switch (d.dest) {
    case Dest::kUnixMissing: e.situation = "AF_UNIX abstract name nobody holds"; refused(); return e;
    case Dest::kStale: e.situation = "AF_UNIX path whose socket is closed"; refused(); return e;
    case Dest::kWrongType: e.situation = "AF_UNIX path bound by another socket type"; known(e, EPROTOTYPE, col, Situation::kUnixWrongType); return e;
    case Dest::kDatagramPeerTaken: e.situation = "AF_UNIX datagram peer connected elsewhere"; known(e, EPERM, col, Situation::kUnixPeerTaken); return e;
    case Dest::kUnknown:
      e.situation = "AF_UNIX path the program did not bind";
      if (!connected) { e.open = true; return e; }
      known(e, ENOENT, col, Situation::kUnixConnectedOther);
      refused();
      known(e, ENOTDIR, col, Situation::kUnixPathMissing);
      known(e, ELOOP, col, Situation::kUnixPathMissing);
      known(e, EPROTOTYPE, col, Situation::kUnixWrongType);
      e.allow_documented(EISCONN);
      return e;
    case Dest::kDatagramPeer:
      e.situation = s.state == SockState::kConnected ? "AF_UNIX datagram re-connect" : "AF_UNIX datagram to a bound peer";
      if (s.state == SockState::kConnected) by_rule(e, 0, RuleId::kDatagramReconnect);
      else e.allow(0, Tier::kDocumented, "If the connection or binding succeeds, zero is returned.");
      return e;
    case Dest::kNoListener: e.situation = "AF_UNIX path bound but not listening"; refused(); return e;
    case Dest::kListenerFull:
      e.situation = "AF_UNIX listener with a full backlog";
      if (s.nonblock) { known(e, EAGAIN, col, Situation::kBacklogFullNonblocking); return e; }
      e.may_block = true;
      e.allow_documented(EINTR);
      break;
    case Dest::kListener: break;
    default: e.open = true; return e;
  }
  if (e.situation.empty()) e.situation = "AF_UNIX listener";
  if (connected) by_rule(e, EISCONN, RuleId::kStreamConnectsOnce);
  else if (s.state == SockState::kListening) known(e, EINVAL, col, Situation::kAny);
  else if (d.dest == Dest::kListener) e.allow(0, Tier::kDocumented, "If the connection or binding succeeds, zero is returned.");
  if (c.interrupt_ms > 0) e.allow_documented(EINTR);
  return e;
}

Expectation expect_connect(const SocketModel& m, const op::Connect& c) {
  Expectation e;
  const SlotModel& s = m.slots[c.slot];
  // __sys_connect(): the fd is looked up (EBADF), then the address copied in
  // (move_addr_to_kernel: EINVAL, EFAULT), and only then is the file asked
  // whether it is a socket (ENOTSOCK). io_uring copies the address when it
  // prepares the request (io_connect_prep) and looks the fd up only when it
  // issues it, so there the address errors come first (docs/FINDINGS.md 8).
  const bool no_fd = s.state == SockState::kEmpty || s.state == SockState::kClosed;
  const bool address_first = m.world.backend == Backend::kIoUring;
  if (no_fd && !address_first) {
    e.situation = "no descriptor in the slot";
    e.allow_documented(EBADF);
    return e;
  }
  const auto col = column_of(s.domain, s.type);
  if (c.addr.addrlen > sizeof(sockaddr_storage)) {
    e.situation = no_fd ? "io_uring: addrlen over sizeof(struct sockaddr_storage), no descriptor in the slot"
                        : "addrlen over sizeof(struct sockaddr_storage)";
    // Any column's entry: the check precedes the socket (kAllColumns).
    known(e, EINVAL, col.value_or(Column::kInetStream), Situation::kLongAddrlen);
    return e;
  }
  if (faults(c.addr)) {
    e.situation = no_fd ? "io_uring: address not readable, no descriptor in the slot" : "address not readable";
    e.allow_documented(EFAULT);
    return e;
  }
  if (no_fd) {
    e.situation = "no descriptor in the slot";
    e.allow_documented(EBADF);
    return e;
  }
  if (s.state == SockState::kNotSocket) {
    e.situation = "descriptor of a file";
    e.allow_documented(ENOTSOCK);
    return e;
  }
  if (!col) {
    e.situation = "socket outside the matrix";
    e.open = true;
    // sock_no_connect(): a protocol without a connect operation, such as
    // the obsolete AF_INET SOCK_PACKET, answers EOPNOTSUPP.
    e.allow(EOPNOTSUPP, Tier::kKnown,
            "sock_no_connect(): the protocol has no connect operation (e.g. AF_INET SOCK_PACKET); not in the Linux page");
    return e;
  }
  return s.domain == AF_UNIX ? expect_unix(m, c, *col, e) : expect_ip(m, c, *col, e);
}

}  // namespace

void Expectation::allow(int err, Tier tier, std::string_view basis) {
  if (find(err)) return;
  CONNCHECK_CHECK_LT(count, allowed.size());
  allowed[count++] = {err, tier, basis};
}

void Expectation::allow_documented(int err) {
  const DocumentedError* d = find_linux_documented(err);
  CONNCHECK_CHECK_MSG(d, "allow_documented needs a Linux-documented errno, got {}", err);
  allow(err, Tier::kDocumented, d ? d->cites[0].quote : "");
}

const Allowance* Expectation::find(int err) const {
  for (std::uint8_t i = 0; i < count; ++i)
    if (allowed[i].err == err) return &allowed[i];
  return nullptr;
}

Expectation expect(const SocketModel& m, const Op& op) {
  // Sockets outside the matrix (raw, packet...) are not modelled: their
  // connect is judged against the Spec tables only, the rest not at all.
  if (!std::holds_alternative<op::Connect>(op)) {
    const SlotModel& s = m.slots[op_slot(op)];
    const bool socket = s.state != SockState::kEmpty && s.state != SockState::kClosed && s.state != SockState::kNotSocket;
    if (socket && !column_of(s.domain, s.type)) {
      Expectation e;
      e.judged = false;
      return e;
    }
  }
  return std::visit(overloaded{
                        [&](const op::Connect& c) { return expect_connect(m, c); },
                        [&](const op::GetPeerName& x) { return expect_peer(m, x.slot); },
                        [&](const op::Send& x) { return expect_send(m, x.slot); },
                        [&](const op::GetSoError& x) { return expect_so_error(m, x.slot); },
                        [](const auto&) { Expectation e; e.judged = false; return e; },
                    },
                    op);
}

}  // namespace conncheck
