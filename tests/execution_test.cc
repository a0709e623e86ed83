// Execution: a Program run one op at a time (the stateful property's system
// under test) makes the calls execute() makes, and refuses a bad op before
// any call.
#include <errno.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>

#include "exec/executor.h"
#include "outcome_matchers.h"

namespace conncheck {
namespace {

const Address kRefusing = Address::inet("127.0.0.1", 1);  // nobody listens on lo:1

TEST(Execution, StepsAreTheCallsExecuteMakes) {
  const Program p{{op::Socket{0, AF_INET, SOCK_STREAM}, op::Connect{0, kRefusing},
                   op::Connect{0, kRefusing}, op::Close{0}, op::Close{0}}};
  const RunOptions options{.backend = Backend::kSyscall};
  const Trace whole = execute(p, options);
  Execution run(options);
  for (const Op& op : p.ops) run.step(op);
  ASSERT_EQ(run.trace().steps.size(), whole.steps.size());
  for (std::size_t i = 0; i < p.ops.size(); ++i) {
    SCOPED_TRACE(step_to_string(whole.steps[i]));
    EXPECT_EQ(run.trace().steps[i].outcome.ret < 0, whole.steps[i].outcome.ret < 0);
    EXPECT_EQ(run.trace().steps[i].outcome.err, whole.steps[i].outcome.err);
  }
  EXPECT_THAT(run.trace().steps[1].outcome, FailsWith(ECONNREFUSED));
  EXPECT_THAT(run.trace().steps[4].outcome, FailsWith(EBADF));  // the slot forgot its fd
}

TEST(Execution, RefusesAnOpOutsideTheSlots) {
  const RunOptions options;
  Execution run(options);
  EXPECT_THROW(run.step(op::Close{kMaxSlots}), std::invalid_argument);
  EXPECT_TRUE(run.trace().steps.empty());
}

}  // namespace
}  // namespace conncheck
