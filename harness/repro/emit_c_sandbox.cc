// The sandbox statements at the top of a reproducer's main(): enter the
// sandbox, build the world when the Program needs it, and make the private
// AF_UNIX directories. The functions they call are fixed C in
// runtime/sandbox.c, runtime/sandbox_world.c and runtime/unix_dirs.c.
#include <fmt/format.h>

#include "emit_c_internal.h"

namespace conncheck::emitc {

std::string sandbox_setup(const EmitNeeds& n, const std::vector<std::string>& dirs) {
  std::string s = "  enter_sandbox();\n";
  if (n.world) s += "  build_world();\n";
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    // Same parent and length as the recorded directory, so every address
    // keeps its length; only mkdtemp's six characters differ.
    const std::string tmpl = dirs[k].substr(0, dirs[k].size() - 6) + "XXXXXX";
    s += fmt::format("  // recorded as {}\n  static char unix_dir_{}[] = {};\n  make_unix_dir(unix_dir_{});\n",
                     c_comment(dirs[k]), k, c_literal(tmpl), k);
  }
  return s;
}

}  // namespace conncheck::emitc
