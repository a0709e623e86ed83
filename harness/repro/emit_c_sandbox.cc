// The sandbox statements at the top of a reproducer's main(): enter the
// sandbox, build the world when the Program needs it, and make the private
// AF_UNIX directories. The functions they call are fixed C in
// runtime/sandbox.c, runtime/sandbox_world.c and runtime/unix_dirs.c, but
// for build_world(), written here from world/world.h.
#include <utility>

#include <fmt/format.h>

#include "emit_c_internal.h"
#include "world/world.h"

namespace conncheck::emitc {
namespace {

const char* rtn_name(world::RouteKind k) {
  switch (k) {
    case world::RouteKind::kUnreachable: return "RTN_UNREACHABLE";
    case world::RouteKind::kProhibit: return "RTN_PROHIBIT";
    case world::RouteKind::kBlackhole: return "RTN_BLACKHOLE";
  }
  return "RTN_UNREACHABLE";
}

}  // namespace

std::string world_builder() {
  using namespace world;
  std::string s = "static inline void build_world(void) {\n";
  s += fmt::format("  add_veth(\"{}\", \"{}\");\n", kVethA, kVethB);
  for (const auto& [dev, addr] : {std::pair{kVethA, kVethAddr4}, std::pair{kVethB, kVethPeer4}})
    s += fmt::format("  add_address(\"{}\", AF_INET, \"{}\", {}, \"{}\");\n", dev, addr,
                     kVethPrefix4, kBroadcast4);
  for (const auto& [dev, addr] : {std::pair{kVethA, kVethAddr6}, std::pair{kVethB, kVethPeer6}})
    s += fmt::format("  add_address(\"{}\", AF_INET6, \"{}\", {}, NULL);\n", dev, addr,
                     kVethPrefix6);
  s += fmt::format("  link_up(\"{}\");\n  link_up(\"{}\");\n", kVethA, kVethB);
  s += "  /* No default route: everything not listed is ENETUNREACH. */\n";
  for (const TypedRoute& r : kTypedRoutes)
    s += fmt::format("  add_typed_route(AF_INET, {}, \"{}\", {});\n", rtn_name(r.kind), r.net4,
                     r.prefix4);
  for (const TypedRoute& r : kTypedRoutes)
    s += fmt::format("  add_typed_route(AF_INET6, {}, \"{}\", {});\n", rtn_name(r.kind), r.net6,
                     r.prefix6);
  return s + "  close(nl_fd);\n  nl_fd = -1;\n}\n";
}

std::string sandbox_setup(const EmitNeeds& n, const std::vector<std::string>& dirs) {
  std::string s = "  enter_sandbox();\n";
  if (n.world) s += "  build_world();\n";
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    // Same parent and length as the recorded directory, so every address
    // keeps its length; only mkdtemp's six characters differ.
    const std::string tmpl = dirs[k].substr(0, dirs[k].size() - 6) + "XXXXXX";
    s += fmt::format(
        "  // recorded as {}\n  static char unix_dir_{}[] = {};\n  make_unix_dir(unix_dir_{});\n",
        c_comment(dirs[k]), k, c_literal(tmpl), k);
  }
  return s;
}

}  // namespace conncheck::emitc
