// Model: the table of socket families, and expect()/apply(), which do what
// every socket shares and leave the rest to the socket's row. The model
// follows observed outcomes (not its own predictions), so one surprising
// result does not derail the judging of every later op.
#include <sys/socket.h>

#include <utility>

#include "base/overloaded.h"
#include "model/model_internal.h"

namespace conncheck {
namespace model_internal {
namespace {

// One row per column of the matrix (spec.h). A new kind of socket gets a
// Column, a file that defines its Family (model_internal.h) and a row here.
constexpr std::pair<Column, const Family*> kTable[] = {
    {Column::kInetStream, &kTcp},        {Column::kInet6Stream, &kTcp},
    {Column::kInetDgram, &kUdp},         {Column::kInet6Dgram, &kUdp},
    {Column::kUnixStream, &kUnixStream}, {Column::kUnixSeqpacket, &kUnixStream},
    {Column::kUnixDgram, &kUnixDgram},
};

Expectation unjudged() {
  Expectation e;
  e.judged = false;
  return e;
}

}  // namespace

const Family& family_of(const SlotModel& s) {
  if (const auto col = column_of(s.domain, s.type))
    for (const auto& [c, f] : kTable)
      if (c == *col) return *f;
  return s.domain == AF_UNIX ? kUnixUnmodelled : kUnmodelled;
}

}  // namespace model_internal

using internal::overloaded;
using namespace model_internal;

namespace {

Expectation expect_unscoped(const SocketModel& m, const Op& op) {
  // Sockets outside the matrix (raw, packet...) are not modelled: their
  // connect is judged against the Spec tables only, the rest not at all.
  if (!std::holds_alternative<op::Connect>(op)) {
    const SlotModel& s = m.slots[op_slot(op)];
    if (holds_socket(s) && !column_of(s.domain, s.type)) return unjudged();
  }
  return std::visit(overloaded{
                        [&](const op::Connect& c) { return expect_connect(m, c); },
                        [&](const op::GetPeerName& x) {
                          const Family& f = family_of(m.slots[x.slot]);
                          return f.expect_peer ? f.expect_peer(m, x.slot)
                                               : expect_peer_common(m, x.slot);
                        },
                        [&](const op::Send& x) {
                          const SlotModel& s = m.slots[x.slot];
                          const auto col = column_of(s.domain, s.type);
                          const Family& f = family_of(s);
                          return col && f.expect_send ? f.expect_send(m, x.slot, *col) : unjudged();
                        },
                        [&](const op::GetSoError& x) { return expect_so_error(m, x.slot); },
                        [](const auto&) { return unjudged(); },
                    },
                    op);
}

}  // namespace

Expectation expect(const SocketModel& m, const Op& op) {
  // Every family allows its known outcomes as if every entry held; the
  // ones scoped to other kernels than the one judged go here, in one place.
  Expectation e = expect_unscoped(m, op);
  scope_to_kernel(e, m.world.kernel);
  return e;
}

namespace {

// The socket in `slot` goes: its family may end what it was connected to.
void release(SocketModel& m, int slot) {
  if (const auto f = family_of(m.slots[slot]).release) f(m, slot);
}

void on_socket(SocketModel& m, const op::Socket& x, bool ok) {
  // The slot takes the result (executor.cc): its old socket is closed
  // whether or not a new one is made.
  release(m, x.slot);
  SlotModel& s = m.slots[x.slot];
  s = SlotModel{};
  if (!ok) return;
  s.state = SockState::kUnbound;
  s.domain = x.domain;
  s.type = x.type & 0xf;
  s.nonblock = (x.type & SOCK_NONBLOCK) != 0;
}

void on_bind(SocketModel& m, const op::Bind& x, const Outcome& o, bool ok) {
  SlotModel& s = m.slots[x.slot];
  if (ok) family_of(s).bind(s, x);
  // __inet6_bind() sets sk_bound_dev_if from sin6_scope_id before it looks
  // the device or the address up, and a failure after that (ENODEV,
  // EADDRNOTAVAIL, EADDRINUSE) does not undo it (found by exploration,
  // issue 14; FINDINGS 10): later routes go through that device.
  const bool after_scope = o.err == ENODEV || o.err == EADDRNOTAVAIL || o.err == EADDRINUSE;
  if (binds_device(x.addr) && (ok || after_scope)) s.device_maybe_bound = true;
}

void on_listen(SlotModel& s, const op::Listen& x) {
  s.state = SockState::kListening;
  // __sys_listen() compares the backlog with somaxconn as an unsigned int,
  // so a negative one is capped to somaxconn (4096 in a fresh namespace),
  // not a full queue (found by exploration, issue 14; listen(fd, -52993)
  // took a connect).
  constexpr int kSomaxconn = 4096;
  s.backlog = x.backlog < 0 ? kSomaxconn : x.backlog;
  if (const auto f = family_of(s).listen) f(s);
}

void on_accept(SocketModel& m, const op::Accept& x) {
  release(m, x.into_slot);  // the slot's old socket is closed
  SlotModel& l = m.slots[x.slot];
  if (l.queued > 0) --l.queued;
  SlotModel& n = m.slots[x.into_slot];
  n = SlotModel{};
  n.state = SockState::kConnected;
  n.domain = l.domain;
  n.type = l.type;
  n.accepted = true;
  if (const auto f = family_of(n).accept) f(l, n);
}

void on_close(SocketModel& m, const op::Close& x) {
  SlotModel& s = m.slots[x.slot];
  if (s.state == SockState::kEmpty) return;
  release(m, x.slot);
  // A closed AF_UNIX socket leaves its path behind (stale).
  const AddrKey local = family_of(s).keeps_name ? s.local : AddrKey{};
  s = SlotModel{};
  s.state = SockState::kClosed;
  s.domain = local.len ? AF_UNIX : 0;
  s.local = local;
}

void on_setsockopt(SlotModel& s, const op::SetSockOpt& x, bool ok) {
  if (ok && x.level == SOL_SOCKET && x.name == SO_BROADCAST) s.udp.broadcast = x.value != 0;
  if (x.level == SOL_SOCKET && x.name == SO_BINDTODEVICE) s.device_maybe_bound = true;
  if (const auto f = family_of(s).setsockopt) f(s, x, ok);
}

}  // namespace

void apply(SocketModel& m, const Op& op, const Outcome& o) {
  const bool ok = o.ret >= 0 && !o.hung && !o.refused;
  std::visit(overloaded{
                 [&](const op::Socket& x) { on_socket(m, x, ok); },
                 [&](const op::NotSocket& x) {
                   release(m, x.slot);  // likewise
                   m.slots[x.slot] = SlotModel{};
                   if (ok) m.slots[x.slot].state = SockState::kNotSocket;
                 },
                 [&](const op::Bind& x) { on_bind(m, x, o, ok); },
                 [&](const op::Listen& x) {
                   if (ok) on_listen(m.slots[x.slot], x);
                 },
                 [&](const op::Connect& x) { family_of(m.slots[x.slot]).connect(m, x, o); },
                 [&](const op::Accept& x) {
                   if (ok) on_accept(m, x);
                 },
                 [&](const op::Close& x) { on_close(m, x); },
                 [&](const op::Shutdown& x) {
                   SlotModel& s = m.slots[x.slot];
                   if (const auto f = family_of(s).shutdown)
                     f(m, x, o);
                   else
                     note_shutdown(s, x.how, ok, o.err);
                 },
                 [&](const op::Send& x) {
                   if (const auto f = family_of(m.slots[x.slot]).send) f(m.slots[x.slot], o);
                 },
                 [&](const op::SetNonblock& x) {
                   if (ok) m.slots[x.slot].nonblock = x.on;
                 },
                 [&](const op::SetSockOpt& x) { on_setsockopt(m.slots[x.slot], x, ok); },
                 // Reading SO_ERROR does not settle a pending attempt: sock->state
                 // stays SS_CONNECTING until the next connect() reports the
                 // failure (ECONNABORTED once the error is consumed) and resets it.
                 [](const auto&) {},
             },
             op);
}

std::string_view state_name(SockState s) {
  constexpr std::string_view kNames[] = {"empty",     "not-socket", "unbound",
                                         "bound",     "listening",  "connecting",
                                         "connected", "dissolved",  "closed"};
  return kNames[static_cast<int>(s)];
}

}  // namespace conncheck
