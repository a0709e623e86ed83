// Generation for the stateful test: weights favour the ops that build the
// interesting states (connect, bind, listen, socket), and connect aims at
// addresses other slots are bound to more often than anywhere else.
#include "stateful_commands.h"

#include <netinet/in.h>

#include <nlohmann/json.hpp>

#include "overloaded_props.h"

namespace conncheck::props {
namespace {

// Two ports / names only, so binds collide and connects find their target.
rc::Gen<Address> bind_address(const SocketKind& k) {
  return rc::gen::weightedOneOf<Address>({
      {4, rc::gen::map(rc::gen::inRange<std::uint16_t>(1, 3), [k](std::uint16_t p) { return loopback(k.domain, p); })},
      {1, rc::gen::map(rc::gen::inRange<std::uint16_t>(1, 3),
                       [k](std::uint16_t p) { return wildcard_or_path(k.domain, p); })},
  });
}

rc::Gen<Address> connect_target(const GenModel& m, int from) {
  std::vector<Address> targets;
  for (int i = 0; i < kStateSlots; ++i)
    if (i != from && m.slots[i].bound && m.slots[i].kind == m.slots[from].kind) {
      Address a = *m.slots[i].bound;
      // A wildcard bind is reached through loopback.
      if (a.family() != AF_UNIX && (a == wildcard_or_path(a.family(), 1) || a == wildcard_or_path(a.family(), 2)))
        a = loopback(a.family(), a == wildcard_or_path(a.family(), 1) ? 1 : 2);
      targets.push_back(a);
    }
  const int domain = m.slots[from].open ? m.slots[from].kind.domain : AF_INET;
  // Without a bound slot to aim at, the 10 of "a target" goes to destination().
  const auto target = targets.empty() ? destination(domain) : rc::gen::elementOf(targets);
  return rc::gen::weightedOneOf<Address>(
      {{10, target}, {3, destination(domain)}, {2, unspec_address()}, {1, malformed_address()},
       {1, any_family_destination()}});
}

// Slots holding a socket (or any slot, when none does: then the Model's
// EBADF case is what gets tested).
rc::Gen<int> busy_slot(const GenModel& m) {
  std::vector<int> open;
  for (int i = 0; i < kStateSlots; ++i)
    if (m.slots[i].open) open.push_back(i);
  if (open.empty()) return rc::gen::inRange(0, kStateSlots);
  return rc::gen::weightedOneOf<int>({{5, rc::gen::elementOf(open)}, {1, rc::gen::inRange(0, kStateSlots)}});
}

// A slot for which `fits` holds, most of the time, so that listen meets
// bound stream sockets and accept meets listeners.
template <typename Pred>
int slot_where(const GenModel& m, Pred fits) {
  std::vector<int> good;
  for (int i = 0; i < kStateSlots; ++i)
    if (m.slots[i].open && fits(m.slots[i])) good.push_back(i);
  if (good.empty() || *rc::gen::weightedElement<bool>({{1, false}, {5, true}}) == false) return *busy_slot(m);
  return *rc::gen::elementOf(good);
}

// A new socket mostly repeats a kind already in play, so sockets find peers
// and listeners of their own kind (one kind in seven otherwise).
SocketKind socket_kind(const GenModel& m) {
  std::vector<SocketKind> used;
  for (const GenSlot& s : m.slots)
    if (s.open) used.push_back(s.kind);
  if (used.empty() || *rc::gen::weightedElement<bool>({{1, false}, {3, true}}) == false) return *any_kind();
  return *rc::gen::elementOf(used);
}

std::vector<Op> make_ops(const GenModel& m) {
  using V = std::vector<Op>;
  const int kind = *rc::gen::weightedElement<int>({{4, 0}, {3, 1}, {2, 2}, {8, 3}, {2, 4}, {1, 5}, {1, 6}, {2, 7},
                                                   {1, 8}, {2, 9}, {1, 10}, {1, 11}, {2, 12}, {3, 13},
                                                   {1, 14}});
  if (kind == 12 || kind == 13) {
    // Short cuts to the states issue 4 names: a whole listener (backlog 0..2,
    // so a few clients fill it), or a new client of an existing one
    // (blocking or not: a full queue leaves it pending or blocked).
    std::vector<int> listeners;
    for (int i = 0; i < kStateSlots; ++i)
      if (m.slots[i].listening && m.slots[i].bound) listeners.push_back(i);
    const int slot = *rc::gen::inRange(0, kStateSlots);
    if (kind == 13 && !listeners.empty()) {
      const GenSlot& l = m.slots[*rc::gen::elementOf(listeners)];
      Address to = *l.bound;
      if (to.family() != AF_UNIX && (to == wildcard_or_path(to.family(), 1) || to == wildcard_or_path(to.family(), 2)))
        to = loopback(to.family(), to == wildcard_or_path(to.family(), 1) ? 1 : 2);
      const bool nonblock = *rc::gen::arbitrary<bool>();
      return V{op::Socket{slot, l.kind.domain, l.kind.type | (nonblock ? SOCK_NONBLOCK : 0)}, op::Connect{slot, to}};
    }
    const SocketKind k = *stream_kind();
    const Address a = *bind_address(k);
    V ops{op::Socket{slot, k.domain, k.type}};
    if (k.domain != AF_UNIX) ops.push_back(op::SetSockOpt{slot, SOL_SOCKET, SO_REUSEADDR, 1});
    ops.push_back(op::Bind{slot, a});
    ops.push_back(op::Listen{slot, *rc::gen::inRange(0, 3)});
    return ops;
  }
  if (kind == 0) {  // socket, into an empty slot mostly
    std::vector<int> empty;
    for (int i = 0; i < kStateSlots; ++i)
      if (!m.slots[i].open) empty.push_back(i);
    const int slot = empty.empty() ? *rc::gen::inRange(0, kStateSlots)
                                   : *rc::gen::weightedOneOf<int>({{4, rc::gen::elementOf(empty)},
                                                                   {1, rc::gen::inRange(0, kStateSlots)}});
    const SocketKind k = socket_kind(m);
    const bool nonblock = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
    return V{op::Socket{slot, k.domain, k.type | (nonblock ? SOCK_NONBLOCK : 0)}};
  }
  auto is_stream = [](const GenSlot& s) { return s.kind.type != SOCK_DGRAM; };
  int slot = 0;
  switch (kind) {
    case 1: slot = slot_where(m, [](const GenSlot& s) { return !s.bound; }); break;
    case 2: slot = slot_where(m, [&](const GenSlot& s) { return s.bound && is_stream(s) && !s.listening; }); break;
    case 3: slot = slot_where(m, [](const GenSlot& s) { return !s.listening; }); break;
    case 4: slot = slot_where(m, [](const GenSlot& s) { return s.listening; }); break;
    default: slot = *busy_slot(m);
  }
  const GenSlot& s = m.slots[slot];
  const SocketKind k = s.open ? s.kind : SocketKind{AF_INET, SOCK_STREAM};
  switch (kind) {
    case 1: {  // bind
      const Address a = *bind_address(k);
      if (k.domain == AF_UNIX) return V{op::Bind{slot, a}};
      return V{op::SetSockOpt{slot, SOL_SOCKET, SO_REUSEADDR, 1}, op::Bind{slot, a}};
    }
    case 2: return V{op::Listen{slot, *rc::gen::inRange(0, 3)}};
    case 3: return V{op::Connect{slot, *connect_target(m, slot)}};
    case 4: {  // accept into another slot, preferring an empty one
      int into = (slot + 1) % kStateSlots;
      for (int i = 0; i < kStateSlots; ++i)
        if (!m.slots[i].open && i != slot) into = i;
      return V{op::Accept{slot, into}};
    }
    case 5: return V{op::Send{slot}};
    case 6: return V{op::Recv{slot}};
    case 7: return V{op::GetPeerName{slot}};
    case 8: return V{op::Shutdown{slot, *rc::gen::elementOf(std::vector<int>{SHUT_RD, SHUT_WR, SHUT_RDWR})}};
    case 9: return V{op::Close{slot}};
    case 10: return V{op::SetNonblock{slot, *rc::gen::arbitrary<bool>()}};
    case 14: return V{op::GetSockName{slot}};
    default: return V{op::PollOut{slot, 50}, op::GetSoError{slot}};
  }
}

}  // namespace

void SockCommand::apply(GenModel& m) const {
  for (const Op& o : ops)
    std::visit(internal_props::overloaded{
                   [&](const op::Socket& x) {
                     m.slots[x.slot] = GenSlot{true, SocketKind{x.domain, x.type & 0xf}, std::nullopt, false};
                   },
                   [&](const op::Bind& x) { m.slots[x.slot].bound = x.addr; },
                   [&](const op::Listen& x) { m.slots[x.slot].listening = m.slots[x.slot].open; },
                   [&](const op::Accept& x) {
                     const GenSlot& l = m.slots[x.slot];
                     m.slots[x.into_slot] = GenSlot{l.open, l.kind, std::nullopt, false};
                   },
                   [&](const op::Close& x) { m.slots[x.slot] = GenSlot{}; },
                   [](const auto&) {},
               },
               o);
}

void SockCommand::run(const GenModel&, Program& p) const { p.ops.insert(p.ops.end(), ops.begin(), ops.end()); }

void SockCommand::show(std::ostream& os) const {
  os << nlohmann::json(Program{ops}).dump();
}

rc::Gen<std::shared_ptr<const SockCommandBase>> next_command(const GenModel& m) {
  return rc::gen::exec(
      [m]() -> std::shared_ptr<const SockCommandBase> { return std::make_shared<const SockCommand>(make_ops(m)); });
}

rc::Gen<rc::state::Commands<SockCommandBase>> command_sequence() {
  // rc::state's length grows with the size (up to 100); a third of that
  // keeps a case under ~35 commands.
  return rc::gen::scale(0.35, rc::state::gen::commands(GenModel{}, &next_command));
}

Program to_program(const rc::state::Commands<SockCommandBase>& cmds) {
  Program p;
  rc::state::runAll(cmds, GenModel{}, p);
  return p;
}

}  // namespace conncheck::props
