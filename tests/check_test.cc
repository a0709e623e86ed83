// CONNCHECK_CHECK stays on in every build type (base/check.h): these
// death tests run in the build ctest uses (RelWithDebInfo, which defines
// NDEBUG, so a plain assert() would be compiled out here).
#include "base/check.h"

#include <gtest/gtest.h>

#include <cstddef>

namespace conncheck {
namespace {

// The operands come from a volatile, so the compiler cannot fold a check
// away and the test shows the run-time path.
int runtime(int v) {
  volatile int x = v;
  return x;
}

TEST(Check, AbortsWithFileLineAndConditionInThisBuild) {
#ifdef NDEBUG
  RecordProperty("NDEBUG", "defined: assert() would be off in this build");
#endif
  const int two = runtime(2);
  EXPECT_DEATH(CONNCHECK_CHECK(two == 3),
               R"(check_test\.cc:[0-9]+: CONNCHECK_CHECK\(two == 3\) failed)");
}

TEST(Check, MessageAndComparisonsPrintTheValues) {
  const int slot = runtime(9);
  EXPECT_DEATH(CONNCHECK_CHECK_MSG(slot < 8, "slot {} of 8", slot),
               R"(check_test\.cc:[0-9]+: CONNCHECK_CHECK\(slot < 8\) failed: slot 9 of 8)");
  const std::size_t count = static_cast<std::size_t>(runtime(8));
  const std::size_t size = 8;
  EXPECT_DEATH(CONNCHECK_CHECK_LT(count, size),
               R"(check_test\.cc:[0-9]+: CONNCHECK_CHECK\(count < size\) failed: 8 vs 8)");
  EXPECT_DEATH(CONNCHECK_CHECK_EQ(runtime(1), runtime(2)), R"(failed: 1 vs 2)");
}

TEST(Check, PassingChecksEvaluateEachOperandOnce) {
  int calls = 0;
  auto next = [&calls] { return ++calls; };
  CONNCHECK_CHECK(next() == 1);
  CONNCHECK_CHECK_LE(next(), 2);
  CONNCHECK_CHECK_MSG(next() == 3, "never formatted: {}", calls);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace conncheck
