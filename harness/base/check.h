// Internal invariants, checked in every build type.
//
// assert() is compiled out under NDEBUG, and the default build type
// (RelWithDebInfo) and the fuzz build define it: the invariants that guard
// the Model's allowed-outcome array or the address arena's bound would be
// off exactly where the fuzzers run. A broken invariant is a harness bug,
// which aborts (docs/ARCHITECTURE.md, "Failure kinds"); it is never a
// finding, and never an exception a caller could swallow.
//
//   CONNCHECK_CHECK(cond);                      // file:line: the condition
//   CONNCHECK_CHECK_MSG(cond, "slot {}", s);    // ... and a fmt message
//   CONNCHECK_CHECK_LT(a, b);  _LE, _EQ         // ... and both values
//
// On failure: one line on stderr, "FILE:LINE: CONNCHECK_CHECK(cond) failed:
// values", then std::abort() (so a sanitizer or libFuzzer sees a crash and
// keeps the input). Each operand is evaluated once.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace conncheck::check_detail {

[[noreturn]] inline void failed(const char* file, int line, const char* what,
                                std::string_view detail) {
  std::fprintf(stderr, "%s:%d: %s failed%s%.*s\n", file, line, what, detail.empty() ? "" : ": ",
               static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  std::abort();
}

// The comparison variants: the operands are formatted only on failure.
template <class A, class B, class Op>
inline void compare(const A& a, const B& b, Op op, const char* file, int line, const char* what) {
  if (!op(a, b)) [[unlikely]]
    failed(file, line, what, fmt::format("{} vs {}", a, b));
}

}  // namespace conncheck::check_detail

#define CONNCHECK_CHECK(cond)                                                                   \
  ((cond) ? static_cast<void>(0)                                                                \
          : ::conncheck::check_detail::failed(__FILE__, __LINE__, "CONNCHECK_CHECK(" #cond ")", \
                                              std::string_view()))

#define CONNCHECK_CHECK_MSG(cond, ...)                                                          \
  ((cond) ? static_cast<void>(0)                                                                \
          : ::conncheck::check_detail::failed(__FILE__, __LINE__, "CONNCHECK_CHECK(" #cond ")", \
                                              ::fmt::format(__VA_ARGS__)))

#define CONNCHECK_CHECK_OP_(a, op, b)                                                     \
  ::conncheck::check_detail::compare((a), (b),                                            \
                                     [](const auto& x, const auto& y) { return x op y; }, \
                                     __FILE__, __LINE__, "CONNCHECK_CHECK(" #a " " #op " " #b ")")
#define CONNCHECK_CHECK_LT(a, b) CONNCHECK_CHECK_OP_(a, <, b)
#define CONNCHECK_CHECK_LE(a, b) CONNCHECK_CHECK_OP_(a, <=, b)
#define CONNCHECK_CHECK_EQ(a, b) CONNCHECK_CHECK_OP_(a, ==, b)
