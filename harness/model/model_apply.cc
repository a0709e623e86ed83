// Model: advancing the socket-state machine by what an op actually did.
// The model follows observed outcomes (not its own predictions), so one
// surprising result does not derail the judging of every later op.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

#include "base/overloaded.h"
#include "model/model.h"

namespace conncheck {
namespace {

using internal::overloaded;

// The peer as getpeername will report it: Linux routes a connect to the
// wildcard (0.0.0.0, ::, ::ffff:0.0.0.0) to the loopback address and
// reports that one (ip_route_connect() picks 127.0.0.1 when daddr is 0).
// An AF_INET6 socket given a sockaddr_in connects to (and reports) the
// v4-mapped address ::ffff:a.b.c.d.
AddrKey peer_key(const Address& a, const SlotModel& s) {
  const int domain = s.domain;
  AddrKey k = key_of(a);
  int fam = k.bytes[0] | (k.bytes[1] << 8);
  if (domain == AF_INET6 && fam == AF_INET && k.len == 8) {
    AddrKey m;
    m.len = 20;
    m.bytes[0] = AF_INET6 & 0xff;
    m.bytes[1] = AF_INET6 >> 8;
    m.bytes[2] = k.bytes[2];
    m.bytes[3] = k.bytes[3];
    m.bytes[14] = m.bytes[15] = 0xff;
    for (int i = 0; i < 4; ++i) m.bytes[16 + i] = k.bytes[4 + i];
    k = m;
    fam = AF_INET6;
  }
  auto zero = [&](int from, int n) {
    for (int i = from; i < from + n; ++i)
      if (k.bytes[i] != 0) return false;
    return true;
  };
  if (fam == AF_INET && k.len == 8 && zero(4, 4)) {
    k.bytes[4] = 127;
    k.bytes[7] = 1;
  } else if (fam == AF_INET6 && k.len == 20 && zero(4, 16) && s.v4mapped_local) {
    k.bytes[14] = k.bytes[15] = 0xff;  // ip6_datagram_connect(): "connect to self" over IPv4
    k.bytes[16] = 127;
    k.bytes[19] = 1;
  } else if (fam == AF_INET6 && k.len == 20 && zero(4, 16)) {
    k.bytes[19] = 1;
  } else if (fam == AF_INET6 && k.len == 20 && zero(4, 10) && k.bytes[14] == 0xff && k.bytes[15] == 0xff &&
             zero(16, 4)) {
    k.bytes[16] = 127;
    k.bytes[19] = 1;
  }
  return k;
}

bool is_tcp(const SlotModel& s) { return s.domain != AF_UNIX && s.type == SOCK_STREAM; }

// TCP slot `x` is about to close, shut down its sending side or disconnect:
// whichever slot may hold the other end of one of its connections may see
// the FIN or RST that ends its own (a listener resets what it has queued).
// Pairs are not tracked one to one, so every possible other end is marked.
void peers_may_end(SocketModel& m, int x) {
  const SlotModel& s = m.slots[x];
  if (!is_tcp(s)) return;
  const bool listener = s.state == SockState::kListening && s.queued > 0;
  const bool connected = s.state == SockState::kConnected || (s.state == SockState::kConnecting && s.established);
  if (!listener && !connected) return;
  for (int i = 0; i < kMaxSlots; ++i) {
    SlotModel& o = m.slots[i];
    if (i == x || !is_tcp(o) || o.state != SockState::kConnected) continue;
    const bool client_of_x = (listener || s.accepted) && !o.accepted && may_reach(o.peer, s.local);
    const bool server_of_x = connected && !s.accepted && o.accepted && may_reach(s.peer, o.local);
    if (client_of_x || server_of_x) o.peer_gone = true;
  }
  // A client whose connection still waits in an accept queue: whoever
  // accepts it later gets a connection already ended.
  if (connected && !s.accepted)
    for (int i = 0; i < kMaxSlots; ++i) {
      SlotModel& l = m.slots[i];
      if (i != x && is_tcp(l) && l.state == SockState::kListening && l.queued > 0 && may_reach(s.peer, l.local))
        l.peer_gone = true;
    }
}

// What the kernel's shutdown() leaves in sk_shutdown (see the Shutdown case).
void note_shutdown(SlotModel& s, int how, bool ok, int err) {
  if (!ok && !(err == ENOTCONN && s.domain != AF_UNIX)) return;
  if (how == SHUT_RD || how == SHUT_RDWR) s.shut_rd = true;
  if (how == SHUT_WR || how == SHUT_RDWR) s.shut_wr = true;
}

bool pending_error(int err) {
  return err == EINPROGRESS || err == EALREADY || err == EINTR;
}

// What a successful bind fixes besides the name (inet_bind(), inet6_bind()).
void on_bind(SlotModel& s, const op::Bind& x) {
  // unix_bind() with only sun_family is unix_autobind(), which leaves a
  // socket that has a name as it is (and returns 0).
  if (s.domain == AF_UNIX && x.addr.addrlen == sizeof(sa_family_t) && s.local.len > sizeof(sa_family_t)) return;
  s.local = key_of(x.addr);
  s.explicitly_bound = true;
  if (s.state == SockState::kUnbound) s.state = SockState::kBound;
  if (s.domain == AF_UNIX) return;
  // A specific IPv4 (or v4-mapped) address is the source. inet_bind()
  // zeroes a broadcast/multicast one ("use device"), so the first UDP
  // connect fixes one; inet6_bind() keeps it, and connects fail on it.
  const auto v4 = v4_of(s.local);
  if (v4) {
    const V4Source k = v4_source(*v4);
    if (fixes_source(k)) {
      s.src4_fixed = true;
      s.loopback_src4 = k == V4Source::kLoopback;
    } else if (leaves_source_to_route(k) && s.domain == AF_INET6) {
      s.bad_src4 = k == V4Source::kMulticast ? EINVAL : ENETUNREACH;
    }
  }
  // inet6_bind(): a specific IPv6 address (not ::, not v4-mapped) makes the
  // socket IPv6-only.
  const int fam = s.local.bytes[0] | (s.local.bytes[1] << 8);
  if (s.domain == AF_INET6 && fam == AF_INET6 && s.local.len == 20) {
    const bool any = std::all_of(s.local.bytes.begin() + 4, s.local.bytes.begin() + 20,
                                 [](std::uint8_t v) { return v == 0; });
    const bool mapped = v4.has_value();
    s.v6only = !any && !mapped;
    s.v4mapped_local = mapped;
    s.v6_local = !any && !mapped;
  }
}

void on_connect(SocketModel& m, const op::Connect& c, const Outcome& o) {
  SlotModel& s = m.slots[c.slot];
  if (s.state == SockState::kEmpty || s.state == SockState::kNotSocket || s.state == SockState::kClosed) return;
  // sk_bound_dev_if is set from sin6_scope_id before the route lookup and
  // kept whatever follows; the model does not follow which device.
  if (binds_device(c.addr)) s.device_maybe_bound = true;
  const int fam = c.addr.addrlen >= 2 ? c.addr.family() : -1;
  // tcp_v6_connect() keeps ipv6_mapped ops once tcp_v4_connect() has sent
  // the SYN: whatever ends the attempt later (RST, AF_UNSPEC) leaves them.
  // Only a socket free to start an attempt gets that far.
  const bool may_start = s.state == SockState::kUnbound || s.state == SockState::kBound ||
                         (s.state == SockState::kDissolved && s.peer.len == 0);
  if (is_tcp(s) && s.domain == AF_INET6 && may_start && c.addr.addrlen >= 24 && fam == AF_INET6 &&
      v4_of(key_of(c.addr)) &&
      (o.ret == 0 || o.hung || pending_error(o.err) || o.err == ECONNREFUSED || o.err == ETIMEDOUT))
    s.mapped_ops = true;
  // tcp_v4_connect() takes inet_saddr from the route once the route is
  // found and is no broadcast one. A socket bound to a broadcast or
  // multicast address has none before (inet_bind() leaves it to the route),
  // and its address is bind-locked (SOCK_BINDADDR_LOCK), so neither a
  // failure nor AF_UNSPEC resets it: the first attempt's source stays.
  const bool past_route = o.ret == 0 || o.hung || pending_error(o.err) || o.err == ECONNREFUSED ||
                          o.err == ETIMEDOUT || o.err == ECONNABORTED;
  if (is_tcp(s) && s.domain == AF_INET && fam == AF_INET && may_start && !s.src4_fixed && past_route) {
    const auto bound = v4_of(s.local), to = v4_of(key_of(c.addr));
    if (bound && to && leaves_source_to_route(v4_source(*bound))) {
      s.src4_fixed = true;
      // 0.0.0.0 and 127/8 go out through lo, from 127.0.0.1.
      s.loopback_src4 = v4_source(*to) == V4Source::kLoopback || v4_source(*to) == V4Source::kWildcard;
    }
  }
  const DestInfo d = classify_destination(m, c.slot, c.addr);
  if (is_tcp(s) && d.slot >= 0 && m.slots[d.slot].state == SockState::kListening && m.slots[d.slot].shut_wr)
    s.peer_fin_first = true;
  if (o.ret == 0 && !o.hung) {
    if (fam == AF_UNSPEC) {
      // tcp_disconnect() resets a listener's queue and an established
      // connection, and clears sk_shutdown; UDP keeps its shutdown bits.
      peers_may_end(m, c.slot);
      if (is_tcp(s)) s.shut_rd = s.shut_wr = s.peer_gone = false;
      // udp_disconnect() forgets a local address that bind() did not lock
      // (a wildcard bind locks only the port).
      const bool locked = s.explicitly_bound && std::any_of(s.local.bytes.begin() + 4, s.local.bytes.begin() + 20,
                                                            [](std::uint8_t b) { return b != 0; });
      if (s.domain == AF_INET6 && !locked) s.v4mapped_local = s.v6_local = false;
      if (!locked) s.src4_fixed = s.loopback_src4 = false;  // inet_reset_saddr()
      s.queued = 0;
      s.state = SockState::kDissolved;
      s.peer = {};
      return;
    }
    const bool was_pending = s.state == SockState::kConnecting;
    s.state = SockState::kConnected;
    if (!was_pending) s.peer = peer_key(c.addr, s);
    // UDP6: the first connect fixes an unset local address to the route's
    // source, v4-mapped for an IPv4 peer (ipv4_connected in datagram.c).
    if (s.domain == AF_INET6 && s.type == SOCK_DGRAM && !s.v4mapped_local && !s.v6_local) {
      // The whole ::ffff:0:0/96 prefix: a multicast peer like
      // ffff:ffd8:ffff:ffd8:ff2f:ffff:ffff:0 has ff ff at the same place
      // (found by exploration, issue 14).
      const bool v4_peer = v4_of(s.peer).has_value();
      (v4_peer ? s.v4mapped_local : s.v6_local) = true;
    }
    // UDP: the first connect to an IPv4 destination fixes inet_saddr to the
    // route's source (ip4_datagram_connect), 127.0.0.1 for loopback ones.
    if (const auto v4 = v4_of(s.peer); s.type == SOCK_DGRAM && !s.src4_fixed && v4) {
      s.src4_fixed = true;
      s.loopback_src4 = v4_source(*v4) == V4Source::kLoopback;
    }
    const bool self = self_target(s, key_of(c.addr));
    if (s.type != SOCK_DGRAM && !was_pending && d.slot >= 0 && !self) ++m.slots[d.slot].queued;
    // Connected to itself after SHUT_WR: its own FIN has ended the connection.
    if (self && s.shut_wr) s.peer_gone = true;
    return;
  }
  if (o.hung || pending_error(o.err)) {
    // A connected AF_UNIX stream socket re-connecting to a full listener
    // waits for room before it checks its own state (unix_stream_connect);
    // interrupted, it is still connected to its first peer.
    if (s.type == SOCK_DGRAM || s.state == SockState::kConnecting || s.state == SockState::kConnected) return;
    // AF_UNIX has no pending state: an interrupted unix_stream_connect()
    // was still waiting for backlog room and changed nothing (a listener
    // connecting to a full listener stays a listener).
    if (s.domain == AF_UNIX) return;
    // The attempt goes on in the kernel (SYN_SENT, or queued for accept).
    s.state = SockState::kConnecting;
    s.peer = key_of(c.addr);
    // A SYN to a local listener with room is answered inside this very
    // call (loopback delivers in the sender's softirq), so the "pending"
    // TCP connection is in fact established already.
    s.established = is_tcp(s) && (d.dest == Dest::kListener || self_target(s, key_of(c.addr)));
    if (d.dest == Dest::kListener && d.slot >= 0 && !self_target(s, key_of(c.addr))) ++m.slots[d.slot].queued;
    return;
  }
  // A failed TCP attempt leaves the socket closed and free to try again;
  // an address the call rejected before looking at the socket's state
  // leaves a pending attempt pending.
  const bool rejected_address = o.err == EFAULT || o.err == EINVAL || o.err == EAFNOSUPPORT;
  if (s.state == SockState::kConnecting && o.err != EISCONN && !rejected_address) {
    s.state = s.explicitly_bound ? SockState::kBound : SockState::kUnbound;
    s.peer = {};
    s.established = false;
  }
  if (o.err == EISCONN && s.state == SockState::kConnecting) s.state = SockState::kConnected;
}

}  // namespace

void apply(SocketModel& m, const Op& op, const Outcome& o) {
  const bool ok = o.ret >= 0 && !o.hung && !o.refused;
  std::visit(overloaded{
                 [&](const op::Socket& x) {
                   // The slot takes the result (executor.cc): its old socket is
                   // closed whether or not a new one is made.
                   peers_may_end(m, x.slot);
                   SlotModel& s = m.slots[x.slot];
                   s = SlotModel{};
                   if (!ok) return;
                   s.state = SockState::kUnbound;
                   s.domain = x.domain;
                   s.type = x.type & 0xf;
                   s.nonblock = (x.type & SOCK_NONBLOCK) != 0;
                 },
                 [&](const op::NotSocket& x) {
                   peers_may_end(m, x.slot);  // likewise
                   m.slots[x.slot] = SlotModel{};
                   if (ok) m.slots[x.slot].state = SockState::kNotSocket;
                 },
                 [&](const op::Bind& x) {
                   if (ok) on_bind(m.slots[x.slot], x);
                   // __inet6_bind() sets sk_bound_dev_if from sin6_scope_id
                   // before it looks the device or the address up, and a
                   // failure after that (ENODEV, EADDRNOTAVAIL, EADDRINUSE)
                   // does not undo it (found by exploration, issue 14;
                   // FINDINGS 10): later routes go through that device.
                   const bool after_scope = o.err == ENODEV || o.err == EADDRNOTAVAIL || o.err == EADDRINUSE;
                   if (binds_device(x.addr) && (ok || after_scope)) m.slots[x.slot].device_maybe_bound = true;
                 },
                 [&](const op::Listen& x) {
                   if (!ok) return;
                   m.slots[x.slot].state = SockState::kListening;
                   // __sys_listen() compares the backlog with somaxconn as an
                   // unsigned int, so a negative one is capped to somaxconn
                   // (4096 in a fresh namespace), not a full queue (found by
                   // exploration, issue 14; listen(fd, -52993) took a connect).
                   constexpr int kSomaxconn = 4096;
                   m.slots[x.slot].backlog = x.backlog < 0 ? kSomaxconn : x.backlog;
                   if (is_tcp(m.slots[x.slot])) m.slots[x.slot].listened = true;
                 },
                 [&](const op::Connect& x) { on_connect(m, x, o); },
                 [&](const op::Accept& x) {
                   if (!ok) return;
                   peers_may_end(m, x.into_slot);  // the slot's old socket is closed
                   SlotModel& l = m.slots[x.slot];
                   if (l.queued > 0) --l.queued;
                   SlotModel& n = m.slots[x.into_slot];
                   n = SlotModel{};
                   n.state = SockState::kConnected;
                   n.domain = l.domain;
                   n.type = l.type;
                   n.accepted = true;
                   if (is_tcp(n)) n.local = l.local;  // AF_UNIX: the name stays the listener's to look up
                   // Its client may have gone while it waited in the queue.
                   n.peer_gone = is_tcp(n) && l.peer_gone;
                 },
                 [&](const op::Close& x) {
                   SlotModel& s = m.slots[x.slot];
                   if (s.state == SockState::kEmpty) return;
                   peers_may_end(m, x.slot);
                   // A closed AF_UNIX socket leaves its path behind (stale).
                   const AddrKey local = s.domain == AF_UNIX ? s.local : AddrKey{};
                   s = SlotModel{};
                   s.state = SockState::kClosed;
                   s.domain = local.len ? AF_UNIX : 0;
                   s.local = local;
                 },
                 [&](const op::Shutdown& x) {
                   // inet_shutdown() on TCP: a listener shut for reading, or
                   // an attempt still in SYN_SENT, is disconnected and may
                   // connect afresh; an attempt whose loopback handshake
                   // already completed becomes SS_CONNECTED; an attempt that
                   // already failed (TCP_CLOSE, shutdown gives ENOTCONN) is
                   // left SS_DISCONNECTING, where connect answers EINVAL.
                   // That last state is kDissolved with the old peer kept.
                   SlotModel& s = m.slots[x.slot];
                   const bool tcp = is_tcp(s);
                   if (tcp && s.state == SockState::kConnecting && ok && s.established) s.state = SockState::kConnected;
                   // Only SHUT_WR sends a FIN; a listener shut for reading
                   // resets its queue.
                   if (ok && (s.state == SockState::kListening ? x.how != SHUT_WR : x.how != SHUT_RD)) {
                     peers_may_end(m, x.slot);
                     // Connected to itself, its FIN comes back to it.
                     if (tcp && s.state == SockState::kConnected && self_target(s, s.peer)) s.peer_gone = true;
                   }
                   // sk_shutdown: inet_shutdown() sets it in every state but
                   // LISTEN and SYN_SENT (for TCP_CLOSE it answers ENOTCONN
                   // after setting it); unix_shutdown() always sets it.
                   if (!tcp || (s.state != SockState::kListening && s.state != SockState::kConnecting))
                     note_shutdown(s, x.how, ok, o.err);
                   if (!tcp) return;
                   const SockState fresh = s.explicitly_bound ? SockState::kBound : SockState::kUnbound;
                   if (s.state == SockState::kListening && ok && x.how != SHUT_WR) {
                     s.state = fresh;
                     s.queued = 0;
                     s.peer_gone = false;
                   } else if (s.state == SockState::kConnecting) {
                     if (ok) { s.state = fresh; s.peer = {}; }
                     else if (o.err == ENOTCONN) s.state = SockState::kDissolved;
                     s.established = false;
                   }
                 },
                 [&](const op::Send& x) {
                   // unix_dgram_sendmsg() finding its peer closed disconnects
                   // the socket (unix_dgram_disconnected) and says ECONNREFUSED.
                   SlotModel& s = m.slots[x.slot];
                   if (s.domain == AF_UNIX && s.type == SOCK_DGRAM && s.state == SockState::kConnected &&
                       !ok && o.err == ECONNREFUSED) {
                     s.state = s.explicitly_bound ? SockState::kBound : SockState::kUnbound;
                     s.peer = {};
                   }
                 },
                 [&](const op::SetNonblock& x) { if (ok) m.slots[x.slot].nonblock = x.on; },
                 [&](const op::SetSockOpt& x) {
                   if (ok && x.level == SOL_SOCKET && x.name == SO_BROADCAST) m.slots[x.slot].broadcast = x.value != 0;
                   if (x.level == SOL_SOCKET && x.name == SO_BINDTODEVICE) m.slots[x.slot].device_maybe_bound = true;
                   // IPV6_V6ONLY: IPv4 destinations are refused (EAFNOSUPPORT), as after a specific bind.
                   if (ok && x.level == IPPROTO_IPV6 && x.name == IPV6_V6ONLY && m.slots[x.slot].domain == AF_INET6)
                     m.slots[x.slot].v6only = x.value != 0;
                 },
                 // Reading SO_ERROR does not settle a pending attempt: sock->state
                 // stays SS_CONNECTING until the next connect() reports the
                 // failure (ECONNABORTED once the error is consumed) and resets it.
                 [](const auto&) {},
             },
             op);
}

std::string_view state_name(SockState s) {
  constexpr std::string_view kNames[] = {"empty",      "not-socket", "unbound",   "bound", "listening",
                                         "connecting", "connected",  "dissolved", "closed"};
  return kNames[static_cast<int>(s)];
}

}  // namespace conncheck
