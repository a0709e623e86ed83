// Private to the library: the pieces emit_c() assembles. Each returns C
// source text; the runtime pieces are fixed text, the op blocks are written
// per op from the same printer the trace uses.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "program/unix_dirs.h"
#include "repro/emit_c.h"

namespace conncheck::emitc {

// --- text helpers (emit_c_text.cc)
// A C string literal for `s`; with `printf_format`, '%' is doubled.
std::string c_literal(std::string_view s, bool printf_format = false);
// "{0x02, 0x00, ...}" wrapped at 12 bytes a line; "{0}" when empty.
std::string c_bytes(const std::vector<std::uint8_t>& b);
// Safe inside a // comment: no trailing backslash, no newline.
std::string c_comment(std::string_view s);

// --- fixed runtime (emit_c_runtime.cc): the C files of runtime/, embedded
// at build time, in the order and selection the Program needs.
// The includes: runtime/prelude.h, then the optional pieces' own.
std::string runtime_prelude(const EmitNeeds& n);
// BOUND_MS, then runtime/common.c: reporting, watchdog, interrupt timer, the
// address arena, the post-state reads.
std::string runtime_common(std::chrono::milliseconds bound);
// runtime/sandbox.c (namespace entry, lo up), then sandbox_world.c (the world
// over raw rtnetlink) and unix_dirs.c (private AF_UNIX directories) if needed.
std::string sandbox_runtime(const EmitNeeds& n);
// runtime/uring.c: io_uring without liburing.
std::string uring_runtime();

// --- sandbox set-up in main() (emit_c_sandbox.cc): enter the sandbox; then,
// per distinct harness directory k, `char unix_dir_k[]` made by mkdtemp
// from its template.
std::string sandbox_setup(const EmitNeeds& n, const std::vector<std::string>& dirs);
// build_world(): the veth pair, its addresses and the typed routes of
// world/world.h, through the helpers of runtime/sandbox_world.c.
std::string world_builder();

// --- one block per op (emit_c_ops.cc)
struct OpContext {
  std::size_t index;
  const EmitOptions* options;
  const Outcome* expected;  // null when none was recorded
  // For an address inside a harness directory: which unix_dir_k and where.
  int unix_dir = -1;
  std::size_t unix_dir_offset = 0;
  std::size_t unix_dir_len = 0;
};
std::string op_block(const Op& op, const OpContext& ctx);

}  // namespace conncheck::emitc
