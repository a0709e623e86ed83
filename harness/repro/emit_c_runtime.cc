// The fixed part of every reproducer, picked and ordered for one Program.
// The C itself is real C in runtime/ (prelude.h, common.c, sandbox.c,
// sandbox_world.c, unix_dirs.c, uring.c), embedded byte for byte at build
// time by runtime/embed_c.cmake into embedded/*.h; only the bound (here)
// and build_world() (emit_c_sandbox.cc, from world/world.h) are written.
#include <fmt/format.h>

#include "embedded/common_c.h"
#include "embedded/prelude_h.h"
#include "embedded/sandbox_c.h"
#include "embedded/sandbox_world_c.h"
#include "embedded/unix_dirs_c.h"
#include "embedded/uring_c.h"
#include "emit_c_internal.h"

namespace conncheck::emitc {

std::string runtime_prelude(const EmitNeeds& n) {
  // The headers every reproducer includes, then those of the optional pieces.
  std::string s(embedded::prelude_h_text);
  if (n.world) s += embedded::sandbox_world_c_includes;
  if (n.unix_dir) s += embedded::unix_dirs_c_includes;
  if (n.io_uring) s += embedded::uring_c_includes;
  return s;
}

std::string runtime_common(std::chrono::milliseconds bound) {
  std::string s = fmt::format(
      "\n/* The harness's RunOptions::bound: a call blocked longer is a hang. */\n"
      "#define BOUND_MS {}\n",
      bound.count());
  s += embedded::common_c_text;
  return s;
}

std::string sandbox_runtime(const EmitNeeds& n) {
  std::string s(embedded::sandbox_c_text);
  if (n.world) s += std::string(embedded::sandbox_world_c_text) + world_builder();
  if (n.unix_dir) s += embedded::unix_dirs_c_text;
  return s;
}

std::string uring_runtime() { return std::string(embedded::uring_c_text); }

}  // namespace conncheck::emitc
