// The leak check catches a deliberate leak; executing a Program leaks
// nothing; the watchdog turns a call that would block forever into a
// reported hang, under every backend.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "conncheck/executor.h"
#include "conncheck/fd_leak.h"
#include "conncheck/uring_connect.h"
#include "outcome_matchers.h"

namespace conncheck {
namespace {

TEST(FdLeakCheck, CatchesADeliberateLeak) {
  FdLeakCheck check;
  const int leaked = ::open("/dev/null", O_RDONLY);  // deliberately not owned
  const auto l = check.leaked();
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].fd, leaked);
  EXPECT_EQ(l[0].target, "/dev/null");
  ::close(leaked);
  EXPECT_TRUE(check.leaked().empty());
}

TEST(FdLeakCheck, ExecutingAProgramLeaksNothing) {
  uring_prepare();  // the per-thread ring is not a leak
  FdLeakCheck check;
  Program p{{op::Socket{0, AF_INET, SOCK_STREAM}, op::Socket{1, AF_INET, SOCK_STREAM},
             op::Bind{1, Address::inet("127.0.0.1", 40100)}, op::Listen{1, 4},
             op::Connect{0, Address::inet("127.0.0.1", 40100)}, op::Accept{1, 2}, op::NotSocket{3},
             op::Close{0}, op::Close{0}}};
  for (Backend b : kAllBackends) execute(p, {.backend = b});
  EXPECT_TRUE(check.leaked().empty()) << describe(check.leaked());
}

// A listener with backlog 0 takes one connection; a second blocking connect
// waits for room that never comes.
Program blocks_forever() {
  const Address name = Address::unix_abstract("cc-full-backlog");
  return Program{{op::Socket{1, AF_UNIX, SOCK_STREAM}, op::Bind{1, name}, op::Listen{1, 0},
                  op::Socket{0, AF_UNIX, SOCK_STREAM}, op::Connect{0, name},
                  op::Socket{2, AF_UNIX, SOCK_STREAM}, op::Connect{2, name}}};
}

class Watchdog : public ::testing::TestWithParam<Backend> {};

TEST_P(Watchdog, CatchesADeliberateHang) {
  const Trace t = execute(blocks_forever(), {.backend = GetParam(), .bound = std::chrono::milliseconds(200)});
  EXPECT_THAT(t.steps[4].outcome, Succeeds()) << to_string(t);
  EXPECT_THAT(t.steps.back().outcome, Hangs()) << to_string(t);
  EXPECT_TRUE(t.hung());
  EXPECT_NE(to_string(t).find("HANG"), std::string::npos) << to_string(t);
}

TEST_P(Watchdog, DoesNotFireOnACallThatReturns) {
  Program p{{op::Socket{0, AF_INET, SOCK_STREAM}, op::Connect{0, Address::inet("127.0.0.1", 1)}}};
  const Trace t = execute(p, {.backend = GetParam(), .bound = std::chrono::milliseconds(200)});
  EXPECT_THAT(t.steps.back().outcome, FailsWith(ECONNREFUSED));
  EXPECT_FALSE(t.hung());
}

INSTANTIATE_TEST_SUITE_P(Backends, Watchdog, ::testing::ValuesIn(kAllBackends),
                         [](const auto& i) { return std::string(backend_name(i.param) == "io_uring" ? "io_uring_" : backend_name(i.param)); });

// EINTR is the documented outcome of a caught signal, not a hang: the
// interrupting signal is the program's, not the watchdog's.
TEST(Interrupt, BlockingConnectInterruptedBySignalGivesEINTR) {
  Program p = blocks_forever();
  std::get<op::Connect>(p.ops.back()).interrupt_ms = 50;
  for (Backend b : {Backend::kLibc, Backend::kSyscall}) {
    const Trace t = execute(p, {.backend = b, .bound = std::chrono::milliseconds(2000)});
    EXPECT_THAT(t.steps.back().outcome, FailsWith(EINTR)) << to_string(t);
  }
}

}  // namespace
}  // namespace conncheck
