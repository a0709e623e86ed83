// Encoding Programs as fuzz inputs (fuzz_input.h): the decoder run
// backwards, for seeds made from the conformance matrix's Programs. Exact
// when decode_input() gives the Program back, which is checked, not assumed.
#include <sys/socket.h>

#include <nlohmann/json.hpp>

#include "base/overloaded.h"
#include "fuzz/fuzz_input.h"
#include "fuzz_format.h"

namespace conncheck {
namespace {

using namespace fuzzfmt;
using internal::overloaded;

void write_op(Writer& w, const Op& o) {
  w.byte(static_cast<std::uint8_t>(o.index()));
  w.byte(static_cast<std::uint8_t>(op_slot(o)));
  auto pick = [&](std::span<const std::uint32_t> t, int v) {
    w.pick(t, static_cast<std::uint32_t>(v));
  };
  std::visit(overloaded{
                 [&](const op::Socket& x) { write_socket(w, x); },
                 [&](const op::Bind& x) { write_address(w, x.addr); },
                 [&](const op::Listen& x) { pick(backlog_table(), x.backlog); },
                 [&](const op::Connect& x) {
                   write_address(w, x.addr);
                   const int steps = x.interrupt_ms / 5;
                   w.byte(steps >= 1 && steps <= 16
                              ? static_cast<std::uint8_t>(kRawSelector + steps - 1)
                              : 0);
                 },
                 [&](const op::Accept& x) { w.byte(static_cast<std::uint8_t>(x.into_slot)); },
                 [&](const op::Send& x) { pick(len_table(), x.len); },
                 [&](const op::SendTo& x) {
                   write_address(w, x.addr);
                   pick(len_table(), x.len);
                 },
                 [&](const op::Shutdown& x) { pick(how_table(), x.how); },
                 [&](const op::SetNonblock& x) { w.byte(x.on ? 0 : 1); },
                 [&](const op::SetSockOpt& x) {
                   const auto t = sockopt_table();
                   std::size_t i = 0;
                   while (i < t.size() && !(t[i].level == x.level && t[i].name == x.name)) ++i;
                   if (i < t.size())
                     w.byte(static_cast<std::uint8_t>(i));
                   else {
                     w.byte(kRawSelector);
                     w.raw(static_cast<std::uint32_t>(x.level), 4);
                     w.raw(static_cast<std::uint32_t>(x.name), 4);
                   }
                   pick(value_table(), x.value);
                 },
                 [&](const op::PollOut& x) { pick(poll_table(), x.timeout_ms); },
                 [](const auto&) {},
             },
             o);
}

// The sockaddr target's prior state of the connect at ops[last], read off
// what the Program did to that slot before it (decode_sockaddr's order).
std::uint8_t prior_of(const Program& p, std::size_t last, int slot, bool nonblock) {
  std::uint8_t prior = 0;  // fresh
  for (std::size_t i = 0; i < last; ++i) {
    if (op_slot(p.ops[i]) != slot) continue;
    if (std::holds_alternative<op::Bind>(p.ops[i]) && prior < 1) prior = 1;
    if (std::holds_alternative<op::Listen>(p.ops[i])) prior = 2;
    if (const auto* c = std::get_if<op::Connect>(&p.ops[i]))
      prior = c->addr.family() == AF_UNSPEC && prior >= 3 ? 5 : nonblock ? 4 : 3;
  }
  return prior;
}

std::vector<std::uint8_t> encode_sockaddr(const Program& p) {
  Writer w;
  std::size_t last = p.ops.size();
  while (last > 0 && !std::holds_alternative<op::Connect>(p.ops[last - 1])) --last;
  if (last == 0) return w.out();  // no connect: the empty input (a fresh socket)
  const auto& c = std::get<op::Connect>(p.ops[last - 1]);
  op::Socket s{0, AF_INET, SOCK_STREAM, 0};
  for (std::size_t i = 0; i + 1 < last; ++i)
    if (const auto* x = std::get_if<op::Socket>(&p.ops[i]); x && x->slot == c.slot) s = *x;
  s.slot = 0;
  write_socket(w, s);
  w.byte(prior_of(p, last - 1, c.slot, s.type & SOCK_NONBLOCK));
  // A destination the Program bound in another slot becomes the format's
  // own peer (slot 1), so the seed still aims at a live socket.
  Address dest = c.addr;
  for (std::size_t i = 0; i + 1 < last; ++i)
    if (const auto* b = std::get_if<op::Bind>(&p.ops[i]);
        b && b->slot != c.slot && b->addr.bytes == c.addr.bytes) {
      Reader r(w.out());  // the socket just written: its domain picks the peer address
      dest = peer_address(read_socket(r, 0).domain);
      dest.addrlen = c.addr.addrlen == c.addr.bytes.size()
                         ? static_cast<socklen_t>(dest.bytes.size())
                         : c.addr.addrlen;
      dest.placement = c.addr.placement;
    }
  write_address(w, dest);
  return w.out();
}

}  // namespace

namespace fuzzfmt {

void write_socket(Writer& w, const op::Socket& s) {
  const int flags_mask = SOCK_NONBLOCK | SOCK_CLOEXEC;
  const int type = s.type & ~flags_mask;
  const auto kinds = socket_kinds();
  std::size_t i = 0;
  while (i < kinds.size() &&
         !(kinds[i].domain == s.domain && kinds[i].type == type && kinds[i].protocol == s.protocol))
    ++i;
  if (i < kinds.size()) {
    w.byte(static_cast<std::uint8_t>(i));
  } else {
    w.byte(kRawSelector);
    w.byte(s.domain == AF_INET ? 0 : s.domain == AF_INET6 ? 1 : 2);
    w.raw(static_cast<std::uint32_t>(type), 4);
    w.raw(static_cast<std::uint32_t>(s.protocol), 4);
  }
  w.byte(static_cast<std::uint8_t>(((s.type & SOCK_NONBLOCK) ? kFlagNonblock : 0) |
                                   ((s.type & SOCK_CLOEXEC) ? kFlagCloexec : 0)));
}

}  // namespace fuzzfmt

std::vector<std::uint8_t> encode_input(FuzzTarget t, const Program& p, bool* exact) {
  std::vector<std::uint8_t> out;
  if (t == FuzzTarget::kSockaddr) {
    out = encode_sockaddr(p);
  } else {
    Writer w;
    for (std::size_t i = 0; i < p.ops.size() && i < kMaxOps; ++i) write_op(w, p.ops[i]);
    out = std::move(w.out());
  }
  // Ops have no operator== (program.h), so compare the JSON forms.
  if (exact) *exact = nlohmann::json(decode_input(t, out)) == nlohmann::json(p);
  return out;
}

}  // namespace conncheck
