// emit_c(): a Program as a standalone C file. This file decides what the
// reproducer needs and assembles the pieces (emit_c_*.cc).
#include "repro/emit_c.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/overloaded.h"
#include "emit_c_internal.h"
#include "world/world.h"

namespace conncheck {
namespace {

using internal::overloaded;

const Address* address_of(const Op& o) {
  return std::visit(overloaded{
                        [](const op::Bind& x) -> const Address* { return &x.addr; },
                        [](const op::Connect& x) -> const Address* { return &x.addr; },
                        [](const op::SendTo& x) -> const Address* { return &x.addr; },
                        [](const auto&) -> const Address* { return nullptr; },
                    },
                    o);
}

// `ip` (4 or 16 bytes of `family`) is in net/bits, net written as
// world/world.h writes it.
bool in_net(int family, const std::uint8_t* ip, const char* net, int bits) {
  std::uint8_t n[16];
  if (::inet_pton(family, net, n) != 1) return false;
  const int whole = bits / 8, rest = bits % 8;
  if (std::memcmp(ip, n, whole) != 0) return false;
  const std::uint8_t mask = static_cast<std::uint8_t>(0xff00 >> rest);
  return rest == 0 || (ip[whole] & mask) == (n[whole] & mask);
}

// The world's own subnets (world/world.h, the one table the sandbox builds
// and the Model reads): the veth pair's, its broadcast included, and the
// typed routes'.
bool in_world(int family, const std::uint8_t* ip) {
  const bool v4 = family == AF_INET;
  if (in_net(family, ip, v4 ? world::kVethNet4 : world::kVethNet6,
             v4 ? world::kVethPrefix4 : world::kVethPrefix6))
    return true;
  return std::any_of(std::begin(world::kTypedRoutes), std::end(world::kTypedRoutes),
                     [&](const world::TypedRoute& r) {
                       return v4 ? in_net(family, ip, r.net4, r.prefix4)
                                 : in_net(family, ip, r.net6, r.prefix6);
                     });
}

bool ipv4_needs_world(const std::uint8_t* ip) {
  // 255.255.255.255 routes differently once cc0 exists.
  return in_world(AF_INET, ip) || in_net(AF_INET, ip, "255.255.255.255", 32);
}

// Whether the outcome for `a` can depend on the cc0/cc1 world: without it a
// fresh namespace has only lo, and 10.255.1.1 would be ENETUNREACH rather
// than EHOSTUNREACH. Anything else (loopback, no-route addresses, AF_UNIX)
// behaves the same in a namespace with lo alone.
bool needs_world(const Address& a) {
  if (a.placement == Placement::kNull || a.placement == Placement::kUnmapped) return false;
  const auto& b = a.bytes;
  if (a.family() == AF_INET && b.size() >= 8) return ipv4_needs_world(b.data() + 4);
  if (a.family() == AF_INET6 && b.size() >= 24) {
    const std::uint8_t* ip = b.data() + 8;
    if (in_world(AF_INET6, ip)) return true;
    if (in_net(AF_INET6, ip, "fe80::", 10)) return true;  // link-local: interfaces matter
    if (in_net(AF_INET6, ip, "ff00::", 8)) return true;   // multicast: likewise
    if (in_net(AF_INET6, ip, "::ffff:0.0.0.0", 96) && ipv4_needs_world(ip + 12)) return true;
    if (b.size() >= 28 && (b[24] | b[25] | b[26] | b[27]) != 0)
      return true;  // scope id names an interface
  }
  return false;
}

std::string header(const Program& p, const EmitOptions& o, const EmitNeeds& n) {
  std::string s = "/* conncheck reproducer: a Program replayed with nothing but libc.\n";
  s += " *\n";
  s += fmt::format(" *   origin:  {}\n", o.origin.empty() ? std::string("(not given)") : o.origin);
  s += fmt::format(
      " *   backend: {}{}\n", backend_name(o.backend),
      o.backend == Backend::kIoUring ? " (IORING_OP_CONNECT through raw io_uring syscalls)" : "");
  s += fmt::format(" *   ops:     {}\n", p.ops.size());
  s += fmt::format(" *   sandbox: own network namespace, lo up{}{}\n",
                   n.world ? ", cc0/cc1 veth and typed routes" : "",
                   n.unix_dir ? ", private AF_UNIX directory" : "");
  s += " *\n";
  s += " * Build and run:  cc repro.c -o repro && ./repro\n";
  s += " * Prints one strace-style line per op, as `conncheck repro` does. Exits 0\n";
  s += " * when every step matched what the harness recorded (ret and errno name;\n";
  s += " * for fd-returning ops only success), 1 when one differed (named on\n";
  s += " * stderr), 3 when it cannot build its sandbox: it never runs outside its\n";
  s += " * own network namespace.\n";
  s += " *\n";
  s += " * The Program as JSON (conncheck repro reads this back):\n";
  // One op a line: joined, the lines are the JSON array again.
  const nlohmann::json j = p;
  for (std::size_t i = 0; i <= j.size(); ++i) {
    std::string line = i == 0 ? "[" : "";
    if (i < j.size()) line += j[i].dump() + (i + 1 < j.size() ? "," : "");
    if (i == j.size()) line += "]";
    // "/*" and "*/" cannot appear in a block comment; JSON's \u002f spells '/' there.
    for (std::size_t at; (at = line.find("*/")) != std::string::npos;)
      line.replace(at, 2, "*\\u002f");
    for (std::size_t at; (at = line.find("/*")) != std::string::npos;)
      line.replace(at, 2, "\\u002f*");
    s += " *   " + line + "\n";
  }
  return s + " */\n";
}

}  // namespace

EmitNeeds emit_needs(const Program& p, Backend backend) {
  EmitNeeds n;
  n.io_uring = backend == Backend::kIoUring &&
               std::any_of(p.ops.begin(), p.ops.end(),
                           [](const Op& o) { return std::holds_alternative<op::Connect>(o); });
  for (const Op& o : p.ops)
    if (const Address* a = address_of(o); a && needs_world(*a)) n.world = true;
  n.unix_dir = !unix_dir_refs(p).empty();
  return n;
}

std::string emit_c(const Program& p, const EmitOptions& o) {
  const EmitNeeds n = emit_needs(p, o.backend);
  const std::vector<UnixDirRef> refs = unix_dir_refs(p);
  std::vector<std::string> dirs;
  for (const auto& r : refs)
    if (std::find(dirs.begin(), dirs.end(), r.dir) == dirs.end()) dirs.push_back(r.dir);

  std::string s = header(p, o, n);
  s += emitc::runtime_prelude(n);
  s += emitc::runtime_common(o.bound);
  s += emitc::sandbox_runtime(n);
  if (n.io_uring) s += emitc::uring_runtime();
  s += "\nint main(void) {\n";
  s += emitc::sandbox_setup(n, dirs);
  s += "  arena_init();\n";
  for (std::size_t i = 0; i < p.ops.size(); ++i) {
    emitc::OpContext c{
        .index = i, .options = &o, .expected = i < o.expected.size() ? &o.expected[i] : nullptr};
    for (const auto& r : refs) {
      if (r.op != i) continue;
      c.unix_dir = static_cast<int>(std::find(dirs.begin(), dirs.end(), r.dir) - dirs.begin());
      c.unix_dir_offset = r.offset;
      c.unix_dir_len = r.dir.size();
    }
    s += emitc::op_block(p.ops[i], c);
  }
  s += "\n  for (int s = 0; s < 8; ++s) slot_set(s, -1);\n";
  s += "  if (differences) fprintf(stderr, \"repro: %d step(s) differ from the harness's "
       "recording\\n\", differences);\n";
  s += "  return differences ? 1 : 0;\n}\n";
  return s;
}

}  // namespace conncheck
