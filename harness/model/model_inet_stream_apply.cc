// Model: what the ops leave behind on a TCP socket (AF_INET and AF_INET6
// SOCK_STREAM), and on the other ends of its connections. The model follows
// observed outcomes, so one surprising result does not derail the judging
// of every later op. What connect() may answer is in model_inet_stream.cc.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "model/model_internal.h"

namespace conncheck::model_internal {
namespace {

bool is_tcp(const SlotModel& s) { return s.domain != AF_UNIX && s.type == SOCK_STREAM; }

// tcp_v4_connect() takes inet_saddr from the route once the route is
// found and is no broadcast one. A socket bound to a broadcast or
// multicast address has none before (inet_bind() leaves it to the route),
// and its address is bind-locked (SOCK_BINDADDR_LOCK), so neither a
// failure nor AF_UNSPEC resets it: the first attempt's source stays.
void tcp4_note_source(SlotModel& s, const Address& a, const Outcome& o, bool may_start) {
  const bool past_route = o.ret == 0 || o.hung || pending_error(o.err) || o.err == ECONNREFUSED ||
                          o.err == ETIMEDOUT || o.err == ECONNABORTED;
  const int fam = a.addrlen >= sizeof(sa_family_t) ? a.family() : -1;
  if (s.domain != AF_INET || fam != AF_INET || !may_start || s.src.src4_fixed || !past_route)
    return;
  const auto bound = v4_of(s.local), to = v4_of(key_of(a));
  if (!bound || !to || !leaves_source_to_route(v4_source(*bound))) return;
  s.src.src4_fixed = true;
  // 0.0.0.0 and 127/8 go out through lo, from 127.0.0.1.
  s.src.loopback_src4 =
      v4_source(*to) == V4Source::kLoopback || v4_source(*to) == V4Source::kWildcard;
}

// The call returned with the attempt going on in the kernel (SYN_SENT, or
// queued for accept), or waited and was interrupted.
void tcp_pending(SocketModel& m, const op::Connect& c, const DestInfo& d) {
  SlotModel& s = m.slots[c.slot];
  if (s.state == SockState::kConnecting || s.state == SockState::kConnected) return;
  s.state = SockState::kConnecting;
  s.peer = key_of(c.addr);
  // A SYN to a local listener with room is answered inside this very
  // call (loopback delivers in the sender's softirq), so the "pending"
  // TCP connection is in fact established already.
  const bool self = self_target(s, key_of(c.addr));
  s.tcp.established = d.dest == Dest::kListener || self;
  if (d.dest == Dest::kListener && d.slot >= 0 && !self) ++m.slots[d.slot].queued;
}

}  // namespace

// TCP slot `x` is about to close, shut down its sending side or disconnect:
// whichever slot may hold the other end of one of its connections may see
// the FIN or RST that ends its own (a listener resets what it has queued).
// Pairs are not tracked one to one, so every possible other end is marked.
void tcp_release(SocketModel& m, int x) {
  const SlotModel& s = m.slots[x];
  if (!is_tcp(s)) return;
  const bool listener = s.state == SockState::kListening && s.queued > 0;
  const bool connected =
      s.state == SockState::kConnected || (s.state == SockState::kConnecting && s.tcp.established);
  if (!listener && !connected) return;
  for (int i = 0; i < kMaxSlots; ++i) {
    SlotModel& o = m.slots[i];
    if (i == x || !is_tcp(o) || o.state != SockState::kConnected) continue;
    const bool client_of_x = (listener || s.accepted) && !o.accepted && may_reach(o.peer, s.local);
    const bool server_of_x = connected && !s.accepted && o.accepted && may_reach(s.peer, o.local);
    if (client_of_x || server_of_x) o.tcp.peer_gone = true;
  }
  // A client whose connection still waits in an accept queue: whoever
  // accepts it later gets a connection already ended.
  if (connected && !s.accepted)
    for (int i = 0; i < kMaxSlots; ++i) {
      SlotModel& l = m.slots[i];
      if (i != x && is_tcp(l) && l.state == SockState::kListening && l.queued > 0 &&
          may_reach(s.peer, l.local))
        l.tcp.peer_gone = true;
    }
}

void tcp_connect(SocketModel& m, const op::Connect& c, const Outcome& o) {
  SlotModel& s = m.slots[c.slot];
  if (!holds_socket(s)) return;
  // sk_bound_dev_if is set from sin6_scope_id before the route lookup and
  // kept whatever follows; the model does not follow which device.
  if (binds_device(c.addr)) s.device_maybe_bound = true;
  // Only a socket free to start an attempt gets as far as the SYN.
  const bool may_start = s.state == SockState::kUnbound || s.state == SockState::kBound ||
                         (s.state == SockState::kDissolved && s.peer.len == 0);
  if (s.domain == AF_INET6) tcp6_note_mapped_ops(s, c.addr, o, may_start);
  tcp4_note_source(s, c.addr, o, may_start);
  const DestInfo d = classify_destination(m, c.slot, c.addr);
  if (d.slot >= 0 && m.slots[d.slot].state == SockState::kListening && m.slots[d.slot].shut_wr)
    s.tcp.peer_fin_first = true;
  if (o.ret == 0 && !o.hung) {
    if (c.addr.addrlen >= sizeof(sa_family_t) && c.addr.family() == AF_UNSPEC) {
      // tcp_disconnect() resets a listener's queue and an established
      // connection, and clears sk_shutdown.
      tcp_release(m, c.slot);
      s.shut_rd = s.shut_wr = s.tcp.peer_gone = false;
      return dissolve(m, c.slot);
    }
    const bool was_pending = note_connected(s, c);
    const bool self = self_target(s, key_of(c.addr));
    if (!was_pending && d.slot >= 0 && !self) ++m.slots[d.slot].queued;
    // Connected to itself after SHUT_WR: its own FIN has ended the connection.
    if (self && s.shut_wr) s.tcp.peer_gone = true;
    return;
  }
  if (o.hung || pending_error(o.err)) return tcp_pending(m, c, d);
  note_failed(s, o);
}

void tcp_listen(SlotModel& s) { s.tcp.listened = true; }

void tcp_accept(const SlotModel& listener, SlotModel& child) {
  child.local = listener.local;  // AF_UNIX: the name stays the listener's to look up
  // Its client may have gone while it waited in the queue.
  child.tcp.peer_gone = listener.tcp.peer_gone;
}

// inet_shutdown() on TCP: a listener shut for reading, or an attempt still
// in SYN_SENT, is disconnected and may connect afresh; an attempt whose
// loopback handshake already completed becomes SS_CONNECTED; an attempt
// that already failed (TCP_CLOSE, shutdown gives ENOTCONN) is left
// SS_DISCONNECTING, where connect answers EINVAL. That last state is
// kDissolved with the old peer kept.
void tcp_shutdown(SocketModel& m, const op::Shutdown& x, const Outcome& o) {
  const bool ok = o.ret >= 0 && !o.hung && !o.refused;
  SlotModel& s = m.slots[x.slot];
  if (s.state == SockState::kConnecting && ok && s.tcp.established) s.state = SockState::kConnected;
  // Only SHUT_WR sends a FIN; a listener shut for reading resets its queue.
  if (ok && (s.state == SockState::kListening ? x.how != SHUT_WR : x.how != SHUT_RD)) {
    tcp_release(m, x.slot);
    // Connected to itself, its FIN comes back to it.
    if (s.state == SockState::kConnected && self_target(s, s.peer)) s.tcp.peer_gone = true;
  }
  // sk_shutdown: inet_shutdown() sets it in every state but LISTEN and
  // SYN_SENT (for TCP_CLOSE it answers ENOTCONN after setting it).
  if (s.state != SockState::kListening && s.state != SockState::kConnecting)
    note_shutdown(s, x.how, ok, o.err);
  const SockState fresh = s.explicitly_bound ? SockState::kBound : SockState::kUnbound;
  if (s.state == SockState::kListening && ok && x.how != SHUT_WR) {
    s.state = fresh;
    s.queued = 0;
    s.tcp.peer_gone = false;
  } else if (s.state == SockState::kConnecting) {
    if (ok) {
      s.state = fresh;
      s.peer = {};
    } else if (o.err == ENOTCONN) {
      s.state = SockState::kDissolved;
    }
    s.tcp.established = false;
  }
}

}  // namespace conncheck::model_internal
