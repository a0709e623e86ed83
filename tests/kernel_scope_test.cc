// Kernel-version-scoped knowledge (issue 16): the release parser, the
// ranges, and a known outcome that the Model allows on a kernel in its
// range and not on one outside it.
#include <errno.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "model/model.h"
#include "oracle/oracle.h"
#include "oracle_scenarios.h"
#include "spec/kernel_version.h"

namespace conncheck {
namespace {

using namespace oracle_test;

TEST(KernelVersion, ParsesUnameReleases) {
  EXPECT_EQ(parse_kernel_version("6.1.0-57-amd64"), (KernelVersion{6, 1, 0}));
  EXPECT_EQ(parse_kernel_version("6.18.44"), (KernelVersion{6, 18, 44}));
  EXPECT_EQ(parse_kernel_version("6.3.0-rc1+"), (KernelVersion{6, 3, 0}));
  EXPECT_EQ(parse_kernel_version("6.3-rc1"), (KernelVersion{6, 3, 0}));  // no patch: 0
  EXPECT_EQ(parse_kernel_version("5.15.0-91-generic"), (KernelVersion{5, 15, 0}));
  EXPECT_EQ(parse_kernel_version("2.6.32.71"), (KernelVersion{2, 6, 32}));  // four parts
  EXPECT_EQ(parse_kernel_version("6.1.1-arch1-1"), (KernelVersion{6, 1, 1}));
}

TEST(KernelVersion, RefusesWhatIsNoVersion) {
  for (const char* bad : {"", "garbage", "linux-6.1", "6", "6.", "6.x", ".6.1", "6..1", "-6.1.0",
                          "+6.1.0", "6.1.", "6.1x", "6.1.0a", "6.1.x", "99999999999.1.0"})
    EXPECT_EQ(parse_kernel_version(bad), std::nullopt) << '"' << bad << '"';
}

TEST(KernelVersion, OrdersByNumberNotText) {
  EXPECT_LT((KernelVersion{6, 9, 0}), (KernelVersion{6, 10, 0}));
  EXPECT_LT((KernelVersion{5, 19, 99}), (KernelVersion{6, 0, 0}));
  EXPECT_EQ(to_string(KernelVersion{6, 18, 44}), "6.18.44");
}

TEST(KernelRange, IsHalfOpen) {
  const KernelRange r = between({5, 5, 0}, {6, 3, 0});
  EXPECT_FALSE(r.contains({5, 4, 99}));
  EXPECT_TRUE(r.contains({5, 5, 0}));
  EXPECT_TRUE(r.contains({6, 2, 99}));
  EXPECT_FALSE(r.contains({6, 3, 0}));
  EXPECT_TRUE(since(6, 3).contains({6, 18, 44}));
  EXPECT_FALSE(since(6, 3).contains({6, 2, 0}));
  EXPECT_TRUE(KernelRange{}.contains({0, 0, 0}));
  EXPECT_EQ(to_string(r), "[5.5.0, 6.3.0)");
  EXPECT_EQ(to_string(since(5, 5)), "since 5.5.0");
  EXPECT_EQ(to_string(KernelRange{}), "any kernel");
}

// A non-blocking TCP connect through io_uring to a port nobody listens on:
// ECONNREFUSED at once, which the Spec knows only for io_uring, and only
// since IORING_OP_CONNECT exists (5.5). The same outcome is known on 6.1,
// a violation on 5.4 (connect(2)'s EINPROGRESS was due there).
VerdictKind uring_refused_on(KernelVersion k) {
  TraceJudge j(WorldFacts{.backend = Backend::kIoUring, .kernel = k});
  EXPECT_FALSE(j.step(op::Socket{0, AF_INET, SOCK_STREAM | SOCK_NONBLOCK}, ok()).finding());
  return j.step(op::Connect{0, kL1}, fail(ECONNREFUSED)).kind;
}

TEST(KernelScope, SameOutcomeKnownInRangeViolationOutside) {
  const KnownOutcome* k =
      find_known(ECONNREFUSED, Column::kInetStream, Situation::kUringNonblocking);
  ASSERT_NE(k, nullptr);
  ASSERT_EQ(to_string(k->kernels), "since 5.5.0");
  EXPECT_EQ(uring_refused_on({6, 1, 0}), VerdictKind::kKnown);
  EXPECT_EQ(uring_refused_on({5, 5, 0}), VerdictKind::kKnown);
  EXPECT_EQ(uring_refused_on({5, 4, 0}), VerdictKind::kViolation);
}

TEST(KernelScope, AWorldWithoutAKernelIsJudgedAsTheRunningOne) {
  const TraceJudge j(WorldFacts{.backend = Backend::kIoUring});
  ASSERT_TRUE(j.model().world.kernel.has_value());
  EXPECT_EQ(*j.model().world.kernel, running_kernel());
}

// A scoped entry out of range leaves the errno to what else allows it
// (here a documented allowance added after it), and takes nothing else.
TEST(KernelScope, AnEntryOutOfRangeGivesWayToTheNextAllowance) {
  static constexpr KnownOutcome kTestOnly = {"test-only",
                                             ECONNREFUSED,
                                             kAllColumns,
                                             Situation::kAny,
                                             "test",
                                             "test-only entry",
                                             between({6, 3, 0}, {6, 8, 0})};
  auto judged_on = [](KernelVersion v) {
    Expectation e;
    e.allow_known(kTestOnly);
    e.allow_documented(ECONNREFUSED);  // stays behind the scoped entry
    e.allow_documented(ETIMEDOUT);
    scope_to_kernel(e, v);
    return e;
  };
  const Expectation in = judged_on({6, 5, 0});
  ASSERT_NE(in.find(ECONNREFUSED), nullptr);
  EXPECT_EQ(in.find(ECONNREFUSED)->tier, Tier::kKnown);  // the first allowance, as before
  const Expectation out = judged_on({6, 8, 0});
  ASSERT_NE(out.find(ECONNREFUSED), nullptr);
  EXPECT_EQ(out.find(ECONNREFUSED)->tier, Tier::kDocumented);
  EXPECT_NE(out.find(ETIMEDOUT), nullptr);
  EXPECT_EQ(judge(out, op::Connect{0, kL1}, fail(ECONNREFUSED)).kind, VerdictKind::kOk);
}

}  // namespace
}  // namespace conncheck
