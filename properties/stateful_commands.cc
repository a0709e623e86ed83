// The command classes' generation and model: each constructor draws its op
// from the model (connects aim at addresses other slots are bound to more
// often than anywhere else, listen meets bound stream sockets, accept meets
// listeners), apply() records what the op asked for, and next_command
// weights the classes by what the model holds, so the states issue 4 names
// (full backlog, pending connect, dissolved datagram association, closed
// peer) are reached op by op.
#include "stateful_commands.h"

#include <netinet/in.h>

namespace conncheck::props {
namespace {

bool is_ip(const PlanSlot& s) { return s.open && s.kind.domain != AF_UNIX; }
bool is_stream(const PlanSlot& s) { return s.kind.type != SOCK_DGRAM; }

// A bound wildcard is reached through loopback.
Address reachable(const Address& bound) {
  const int f = bound.family();
  if (f == AF_UNIX) return bound;
  for (const std::uint16_t port : {std::uint16_t{1}, std::uint16_t{2}})
    if (bound == wildcard_or_path(f, port)) return loopback(f, port);
  return bound;
}

// Two ports / names only, so binds collide and connects find their target.
rc::Gen<Address> bind_address(const SocketKind& k) {
  return rc::gen::weightedOneOf<Address>({
      {4, rc::gen::map(rc::gen::inRange<std::uint16_t>(1, 3),
                       [k](std::uint16_t p) { return loopback(k.domain, p); })},
      {1, rc::gen::map(rc::gen::inRange<std::uint16_t>(1, 3),
                       [k](std::uint16_t p) { return wildcard_or_path(k.domain, p); })},
  });
}

bool listening(const PlanSlot& s) { return s.open && s.listening && s.bound.has_value(); }

rc::Gen<Address> connect_target(const StateModel& m, int from) {
  std::vector<Address> targets, listeners;
  for (int i = 0; i < kStateSlots; ++i)
    if (i != from && m.slots[i].bound && m.slots[i].kind == m.slots[from].kind) {
      targets.push_back(reachable(*m.slots[i].bound));
      if (listening(m.slots[i])) listeners.push_back(targets.back());
    }
  const int domain = m.slots[from].open ? m.slots[from].kind.domain : AF_INET;
  // Without a bound slot to aim at, the 10 of "a target" goes to
  // destination(); a listener of the kind takes most of it (its backlog fills).
  auto target = targets.empty() ? destination(domain) : rc::gen::elementOf(targets);
  if (!listeners.empty())
    target = rc::gen::weightedOneOf<Address>({{3, rc::gen::elementOf(listeners)}, {1, target}});
  return rc::gen::weightedOneOf<Address>({{10, target},
                                          {3, destination(domain)},
                                          {2, unspec_address()},
                                          {1, malformed_address()},
                                          {1, any_family_destination()}});
}

// Slots holding a socket (or any slot, when none does: then the Model's
// EBADF case is what gets tested).
int busy_slot(const StateModel& m) {
  std::vector<int> open;
  for (int i = 0; i < kStateSlots; ++i)
    if (m.slots[i].open) open.push_back(i);
  if (open.empty()) return *rc::gen::inRange(0, kStateSlots);
  return *rc::gen::weightedOneOf<int>(
      {{5, rc::gen::elementOf(open)}, {1, rc::gen::inRange(0, kStateSlots)}});
}

// A slot for which `fits` holds, most of the time.
template <typename Pred>
int slot_where(const StateModel& m, Pred fits) {
  std::vector<int> good;
  for (int i = 0; i < kStateSlots; ++i)
    if (m.slots[i].open && fits(m.slots[i])) good.push_back(i);
  if (good.empty() || !*rc::gen::weightedElement<bool>({{1, false}, {5, true}}))
    return busy_slot(m);
  return *rc::gen::elementOf(good);
}

template <typename Pred>
bool any_slot(const StateModel& m, Pred fits) {
  for (const PlanSlot& s : m.slots)
    if (fits(s)) return true;
  return false;
}

// A new socket mostly repeats a kind already in play (a listener's kind
// first), so sockets find peers and listeners of their own kind.
SocketKind socket_kind(const StateModel& m) {
  std::vector<SocketKind> used, listeners;
  for (const PlanSlot& s : m.slots) {
    if (s.open) used.push_back(s.kind);
    if (listening(s)) listeners.push_back(s.kind);
  }
  if (!listeners.empty() && *rc::gen::weightedElement<bool>({{1, false}, {3, true}}))
    return *rc::gen::elementOf(listeners);
  if (used.empty() || !*rc::gen::weightedElement<bool>({{1, false}, {3, true}})) return *any_kind();
  return *rc::gen::elementOf(used);
}

}  // namespace

SocketCmd::SocketCmd(const StateModel& m) {
  std::vector<int> empty;
  for (int i = 0; i < kStateSlots; ++i)
    if (!m.slots[i].open) empty.push_back(i);
  const int slot = empty.empty()
                       ? *rc::gen::inRange(0, kStateSlots)
                       : *rc::gen::weightedOneOf<int>({{4, rc::gen::elementOf(empty)},
                                                       {1, rc::gen::inRange(0, kStateSlots)}});
  const SocketKind k = socket_kind(m);
  const bool nonblock = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
  o = op::Socket{slot, k.domain, k.type | (nonblock ? SOCK_NONBLOCK : 0)};
}
void SocketCmd::apply(StateModel& m) const {
  m.slots[o.slot] = PlanSlot{.open = true, .kind = SocketKind{o.domain, o.type & 0xf}};
}

ReuseAddrCmd::ReuseAddrCmd(const StateModel& m) {
  o = op::SetSockOpt{slot_where(m, [](const PlanSlot& s) { return is_ip(s) && !s.reuseaddr; }),
                     SOL_SOCKET, SO_REUSEADDR, 1};
}
void ReuseAddrCmd::apply(StateModel& m) const { m.slots[o.slot].reuseaddr = m.slots[o.slot].open; }

BindCmd::BindCmd(const StateModel& m) {
  const int slot =
      slot_where(m, [](const PlanSlot& s) { return !s.bound && (!is_ip(s) || s.reuseaddr); });
  const PlanSlot& s = m.slots[slot];
  o = op::Bind{slot, *bind_address(s.open ? s.kind : SocketKind{AF_INET, SOCK_STREAM})};
}
void BindCmd::checkPreconditions(const StateModel& m) const {
  OpCommand::checkPreconditions(m);
  const PlanSlot& s = m.slots[o.slot];
  RC_PRE(!is_ip(s) || s.reuseaddr);
}
void BindCmd::apply(StateModel& m) const {
  if (m.slots[o.slot].open) m.slots[o.slot].bound = o.addr;
}

ListenCmd::ListenCmd(const StateModel& m) {
  o = op::Listen{
      slot_where(m, [](const PlanSlot& s) { return s.bound && is_stream(s) && !s.listening; }),
      *rc::gen::inRange(0, 3)};
}
void ListenCmd::apply(StateModel& m) const {
  PlanSlot& s = m.slots[o.slot];
  s.listening = s.open && is_stream(s);
}

ConnectCmd::ConnectCmd(const StateModel& m) {
  const int slot = slot_where(m, [](const PlanSlot& s) { return !s.listening && !s.connected; });
  o = op::Connect{slot, *connect_target(m, slot)};
}
void ConnectCmd::apply(StateModel& m) const { m.slots[o.slot].connected = m.slots[o.slot].open; }

AcceptCmd::AcceptCmd(const StateModel& m) {
  const int slot = slot_where(m, [](const PlanSlot& s) { return s.listening; });
  int into = (slot + 1) % kStateSlots;  // another slot, an empty one if there is one
  for (int i = 0; i < kStateSlots; ++i)
    if (!m.slots[i].open && i != slot) into = i;
  o = op::Accept{slot, into};
}
void AcceptCmd::checkPreconditions(const StateModel& m) const {
  OpCommand::checkPreconditions(m);
  RC_PRE(o.into_slot >= 0 && o.into_slot < kStateSlots && o.into_slot != o.slot);
}
void AcceptCmd::apply(StateModel& m) const {
  const PlanSlot& l = m.slots[o.slot];
  m.slots[o.into_slot] = PlanSlot{.open = l.open, .kind = l.kind, .connected = l.open};
}

SendCmd::SendCmd(const StateModel& m) { o = op::Send{busy_slot(m)}; }
RecvCmd::RecvCmd(const StateModel& m) { o = op::Recv{busy_slot(m)}; }
GetPeerNameCmd::GetPeerNameCmd(const StateModel& m) { o = op::GetPeerName{busy_slot(m)}; }
GetSockNameCmd::GetSockNameCmd(const StateModel& m) { o = op::GetSockName{busy_slot(m)}; }
ShutdownCmd::ShutdownCmd(const StateModel& m) {
  o = op::Shutdown{busy_slot(m),
                   *rc::gen::elementOf(std::vector<int>{SHUT_RD, SHUT_WR, SHUT_RDWR})};
}
CloseCmd::CloseCmd(const StateModel& m) { o = op::Close{busy_slot(m)}; }
void CloseCmd::apply(StateModel& m) const { m.slots[o.slot] = PlanSlot{}; }
SetNonblockCmd::SetNonblockCmd(const StateModel& m) {
  o = op::SetNonblock{busy_slot(m), *rc::gen::arbitrary<bool>()};
}
PollOutCmd::PollOutCmd(const StateModel& m) { o = op::PollOut{busy_slot(m), 50}; }
GetSoErrorCmd::GetSoErrorCmd(const StateModel& m) { o = op::GetSoError{busy_slot(m)}; }

rc::Gen<std::shared_ptr<const CommandBase>> next_command(const StateModel& m) {
  namespace sg = rc::state::gen;
  // Each class's base weight, plus a push toward the next step of a listener
  // (socket, SO_REUSEADDR, bind, listen) and of its clients (socket,
  // connect): the states issue 4 names need several of them in a row.
  const bool listener = any_slot(m, listening);
  const bool empty_slot = any_slot(m, [](const PlanSlot& s) { return !s.open; });
  const std::size_t more_reuse =
      any_slot(m, [](const PlanSlot& s) { return is_ip(s) && !s.reuseaddr && !s.bound; }) ? 4 : 0;
  const std::size_t more_binds =
      any_slot(m, [](const PlanSlot& s) { return s.open && is_stream(s) && !s.bound; }) ? 3 : 0;
  const std::size_t more_listens =
      any_slot(m,
               [](const PlanSlot& s) { return s.open && s.bound && is_stream(s) && !s.listening; })
          ? 3
          : 0;
  // A client of a listener: a socket of its kind that has not connected yet.
  const bool client =
      listener && any_slot(m, [&m](const PlanSlot& s) {
        return s.open && !s.listening && !s.connected &&
               any_slot(m, [&s](const PlanSlot& l) { return listening(l) && l.kind == s.kind; });
      });
  const std::size_t more_sockets = listener && empty_slot ? 4 : 0, more_connects = client ? 8 : 0;
  return rc::gen::weightedOneOf<std::shared_ptr<const CommandBase>>({
      {4 + more_sockets, sg::execOneOfWithArgs<SocketCmd>()(m)},
      {1 + more_reuse, sg::execOneOfWithArgs<ReuseAddrCmd>()(m)},
      {3 + more_binds, sg::execOneOfWithArgs<BindCmd>()(m)},
      {2 + more_listens, sg::execOneOfWithArgs<ListenCmd>()(m)},
      {8 + more_connects, sg::execOneOfWithArgs<ConnectCmd>()(m)},
      {2, sg::execOneOfWithArgs<AcceptCmd>()(m)},
      {1, sg::execOneOfWithArgs<SendCmd>()(m)},
      {1, sg::execOneOfWithArgs<RecvCmd>()(m)},
      {2, sg::execOneOfWithArgs<GetPeerNameCmd>()(m)},
      {1, sg::execOneOfWithArgs<GetSockNameCmd>()(m)},
      {1, sg::execOneOfWithArgs<ShutdownCmd>()(m)},
      {2, sg::execOneOfWithArgs<CloseCmd>()(m)},
      {1, sg::execOneOfWithArgs<SetNonblockCmd>()(m)},
      {1, sg::execOneOfWithArgs<PollOutCmd>()(m)},
      {1, sg::execOneOfWithArgs<GetSoErrorCmd>()(m)},
  });
}

rc::Gen<Commands> command_sequence() {
  // rc::state's length grows with the size (up to 100); 0.5 of that keeps a
  // case under ~50 commands (each one op; the old grouped commands were
  // ~1.4 ops on average at 0.35).
  return rc::gen::scale(0.5, rc::state::gen::commands(StateModel{}, &next_command));
}

}  // namespace conncheck::props
