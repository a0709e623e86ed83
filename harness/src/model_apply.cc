// Model: advancing the socket-state machine by what an op actually did.
// The model follows observed outcomes (not its own predictions), so one
// surprising result does not derail the judging of every later op.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "overloaded.h"
#include "conncheck/model.h"

namespace conncheck {
namespace {

using internal::overloaded;

bool pending_error(int err) {
  return err == EINPROGRESS || err == EALREADY || err == EINTR;
}

void on_connect(SocketModel& m, const op::Connect& c, const Outcome& o) {
  SlotModel& s = m.slots[c.slot];
  if (s.state == SockState::kEmpty || s.state == SockState::kNotSocket || s.state == SockState::kClosed) return;
  const int fam = c.addr.addrlen >= 2 ? c.addr.family() : -1;
  const DestInfo d = classify_destination(m, c.slot, c.addr);
  if (o.ret == 0 && !o.hung) {
    if (fam == AF_UNSPEC) {
      s.state = SockState::kDissolved;
      s.peer = {};
      return;
    }
    const bool was_pending = s.state == SockState::kConnecting;
    s.state = SockState::kConnected;
    if (!was_pending) s.peer = key_of(c.addr);
    if (s.type != SOCK_DGRAM && !was_pending && d.slot >= 0) ++m.slots[d.slot].queued;
    return;
  }
  if (o.hung || pending_error(o.err)) {
    if (s.type == SOCK_DGRAM || s.state == SockState::kConnecting) return;
    // The attempt goes on in the kernel (SYN_SENT, or queued for accept).
    s.state = SockState::kConnecting;
    s.peer = key_of(c.addr);
    if (d.dest == Dest::kListener && d.slot >= 0) ++m.slots[d.slot].queued;
    return;
  }
  // A failed TCP attempt leaves the socket closed and free to try again.
  if (s.state == SockState::kConnecting && o.err != EISCONN) {
    s.state = s.explicitly_bound ? SockState::kBound : SockState::kUnbound;
    s.peer = {};
  }
  if (o.err == EISCONN && s.state == SockState::kConnecting) s.state = SockState::kConnected;
}

}  // namespace

void apply(SocketModel& m, const Op& op, const Outcome& o) {
  const bool ok = o.ret >= 0 && !o.hung && !o.refused;
  std::visit(overloaded{
                 [&](const op::Socket& x) {
                   SlotModel& s = m.slots[x.slot];
                   s = SlotModel{};
                   if (!ok) return;
                   s.state = SockState::kUnbound;
                   s.domain = x.domain;
                   s.type = x.type & 0xf;
                   s.nonblock = (x.type & SOCK_NONBLOCK) != 0;
                 },
                 [&](const op::NotSocket& x) { m.slots[x.slot] = SlotModel{}; if (ok) m.slots[x.slot].state = SockState::kNotSocket; },
                 [&](const op::Bind& x) {
                   SlotModel& s = m.slots[x.slot];
                   if (!ok) return;
                   s.local = key_of(x.addr);
                   s.explicitly_bound = true;
                   if (s.state == SockState::kUnbound) s.state = SockState::kBound;
                 },
                 [&](const op::Listen& x) {
                   if (!ok) return;
                   m.slots[x.slot].state = SockState::kListening;
                   m.slots[x.slot].backlog = x.backlog;
                 },
                 [&](const op::Connect& x) { on_connect(m, x, o); },
                 [&](const op::Accept& x) {
                   if (!ok) return;
                   SlotModel& l = m.slots[x.slot];
                   if (l.queued > 0) --l.queued;
                   SlotModel& n = m.slots[x.into_slot];
                   n = SlotModel{};
                   n.state = SockState::kConnected;
                   n.domain = l.domain;
                   n.type = l.type;
                 },
                 [&](const op::Close& x) {
                   SlotModel& s = m.slots[x.slot];
                   if (s.state == SockState::kEmpty) return;
                   // A closed AF_UNIX socket leaves its path behind (stale).
                   const AddrKey local = s.domain == AF_UNIX ? s.local : AddrKey{};
                   s = SlotModel{};
                   s.state = SockState::kClosed;
                   s.domain = local.len ? AF_UNIX : 0;
                   s.local = local;
                 },
                 [&](const op::SetNonblock& x) { if (ok) m.slots[x.slot].nonblock = x.on; },
                 [&](const op::SetSockOpt& x) {
                   if (ok && x.level == SOL_SOCKET && x.name == SO_BROADCAST) m.slots[x.slot].broadcast = x.value != 0;
                 },
                 [&](const op::GetSoError& x) {
                   // Reading SO_ERROR of a finished attempt settles it.
                   SlotModel& s = m.slots[x.slot];
                   if (!ok || s.state != SockState::kConnecting || !o.post) return;
                   if (o.post->so_error != 0) { s.state = s.explicitly_bound ? SockState::kBound : SockState::kUnbound; s.peer = {}; }
                 },
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
