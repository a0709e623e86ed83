// Model: connect(AF_UNSPEC), which dissolves an association whatever the
// family (each family's connect says when it is allowed), and the sockets
// outside the matrix (raw, packet, AF_UNIX SOCK_RAW...): their connect is
// judged against the Spec tables only, the other ops not at all, but what
// they did is still followed, since other slots may aim at them.
#include <sys/socket.h>

#include <cerrno>

#include "model/model_internal.h"

namespace conncheck::model_internal {
namespace {

// Whatever kind of socket: connected, pending or failed, as the outcome says.
void connect_unmodelled(SocketModel& m, const op::Connect& c, const Outcome& o) {
  SlotModel& s = m.slots[c.slot];
  if (!holds_socket(s)) return;
  if (binds_device(c.addr)) s.device_maybe_bound = true;
  const DestInfo d = classify_destination(m, c.slot, c.addr);
  if (o.ret == 0 && !o.hung) {
    if (c.addr.addrlen >= 2 && c.addr.family() == AF_UNSPEC) return dissolve(m, c.slot);
    const bool was_pending = note_connected(s, c);
    if (!was_pending && d.slot >= 0) ++m.slots[d.slot].queued;
    return;
  }
  if (o.hung || pending_error(o.err)) {
    if (s.state == SockState::kConnecting || s.state == SockState::kConnected) return;
    if (s.domain == AF_UNIX) return;  // AF_UNIX has no pending state
    s.state = SockState::kConnecting;
    s.peer = key_of(c.addr);
    s.tcp.established = false;
    if (d.dest == Dest::kListener && d.slot >= 0) ++m.slots[d.slot].queued;
    return;
  }
  note_failed(s, o);
}

}  // namespace

void dissolve(SocketModel& m, int slot) {
  SlotModel& s = m.slots[slot];
  // udp_disconnect() forgets a local address that bind() did not lock (a
  // wildcard bind locks only the port).
  const bool locked = s.explicitly_bound && specific_address(s.local);
  if (s.domain == AF_INET6 && !locked) s.src.v4mapped_local = s.src.v6_local = false;
  if (!locked) s.src.src4_fixed = s.src.loopback_src4 = false;  // inet_reset_saddr()
  s.queued = 0;
  s.state = SockState::kDissolved;
  s.peer = {};
}

Expectation expect_unmodelled_connect(Expectation e) {
  e.situation = "socket outside the matrix";
  e.open = true;
  // sock_no_connect(): a protocol without a connect operation, such as
  // the obsolete AF_INET SOCK_PACKET, answers EOPNOTSUPP.
  e.allow(EOPNOTSUPP, Tier::kKnown,
          "sock_no_connect(): the protocol has no connect operation (e.g. AF_INET SOCK_PACKET); "
          "not in the Linux page");
  return e;
}

const Family kUnmodelled = {
    .name = "outside the matrix",
    .expect_connect = nullptr,  // expect_unmodelled_connect, before the column is needed
    .bind = inet_bind,
    .connect = connect_unmodelled,
    .setsockopt = inet6_setsockopt,
};

const Family kUnixUnmodelled = {
    .name = "AF_UNIX outside the matrix",
    .expect_connect = nullptr,
    .bind = unix_bind,
    .connect = connect_unmodelled,
    .keeps_name = true,
};

}  // namespace conncheck::model_internal
