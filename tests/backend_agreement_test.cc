// The three backends (libc, syscall, io_uring) must give the same Outcome
// for the same Program on fresh, identical state. Each case also states the
// outcome the kernel gives, so a case that silently stopped provoking its
// errno fails too, not only a disagreement.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "exec/executor.h"
#include "outcome_matchers.h"
#include "sandbox/sandbox.h"

namespace conncheck {
namespace {

struct Case {
  const char* name;
  Program program;     // the last op is the connect under test
  int expected_errno;  // 0: success
  // Where io_uring is known to differ: what it gives instead (kNotRun: the
  // case cannot be built under io_uring), and why. Asserted, not skipped.
  int io_uring_errno = kSameAsLibc;
  const char* io_uring_reason = nullptr;
  // io_uring agrees on ret/errno/peer but leaves a different local address.
  bool io_uring_local_differs = false;
  std::string unlink_before;  // an AF_UNIX path each run must find free
  static constexpr int kSameAsLibc = -1, kNotRun = -2;
};

Program prog(std::initializer_list<Op> ops) { return Program{std::vector<Op>(ops)}; }

constexpr int kTcp = SOCK_STREAM, kUdp = SOCK_DGRAM;
op::SetSockOpt reuse(int slot) { return {slot, SOL_SOCKET, SO_REUSEADDR, 1}; }

std::vector<Case> cases() {
  namespace w = world;
  const Address lo = Address::inet("127.0.0.1", 40000);
  const std::string missing = Sandbox::enter().unix_dir + "/no-such-socket";
  const std::string dgram_path = Sandbox::enter().unix_dir + "/dgram";
  return {
      {"EBADF_no_socket_in_slot", prog({op::Connect{0, lo}}), EBADF},
      {"ENOTSOCK_dev_null", prog({op::NotSocket{0}, op::Connect{0, lo}}), ENOTSOCK},
      {"EFAULT_guard_page",
       prog({op::Socket{0, AF_INET, kTcp},
             op::Connect{0, lo.with_addrlen(17).at(Placement::kGuardEnd)}}),
       EFAULT},
      {"EFAULT_null", prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, lo.at(Placement::kNull)}}),
       EFAULT},
      {"EFAULT_unmapped",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, lo.at(Placement::kUnmapped)}}), EFAULT},
      {"EINVAL_short_addrlen",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, lo.with_addrlen(8)}}), EINVAL},
      {"EINVAL_huge_addrlen",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, lo.with_addrlen(0xffffffffu)}}), EINVAL},
      {"EAFNOSUPPORT_inet6_addr_on_inet",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, Address::inet6("::1", 1)}}),
       EAFNOSUPPORT},
      // The blocking path calls tcp_disconnect() on failure, which resets the
      // source address; io_uring completes through a poll and does not.
      {"ECONNREFUSED_tcp4",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, Address::inet("127.0.0.1", 1)}}),
       ECONNREFUSED, Case::kSameAsLibc,
       "after the refusal getsockname shows 127.0.0.1 under io_uring, 0.0.0.0 under connect(2)",
       true},
      {"ECONNREFUSED_tcp6",
       prog({op::Socket{0, AF_INET6, kTcp}, op::Connect{0, Address::inet6("::1", 1)}}),
       ECONNREFUSED, Case::kSameAsLibc,
       "after the refusal getsockname shows ::1 under io_uring, :: under connect(2)", true},
      {"ENETUNREACH_tcp4",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, Address::inet(w::kNoRoute4, 80)}}),
       ENETUNREACH},
      {"ENETUNREACH_udp6",
       prog({op::Socket{0, AF_INET6, kUdp}, op::Connect{0, Address::inet6(w::kNoRoute6, 80)}}),
       ENETUNREACH},
      {"EHOSTUNREACH_unreachable_route",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, Address::inet(w::kUnreachable4, 80)}}),
       EHOSTUNREACH},
      {"EACCES_prohibit_route",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, Address::inet(w::kProhibit4, 80)}}),
       EACCES},
      {"EACCES_broadcast_without_SO_BROADCAST",
       prog({op::Socket{0, AF_INET, kUdp}, op::Connect{0, Address::inet(w::kBroadcast4, 9)}}),
       EACCES},
      {"OK_broadcast_with_SO_BROADCAST",
       prog({op::Socket{0, AF_INET, kUdp}, op::SetSockOpt{0, SOL_SOCKET, SO_BROADCAST, 1},
             op::Connect{0, Address::inet(w::kBroadcast4, 9)}}),
       0},
      {"EINVAL_blackhole_route",
       prog({op::Socket{0, AF_INET, kTcp}, op::Connect{0, Address::inet(w::kBlackhole4, 80)}}),
       EINVAL},
      {"EISCONN_second_stream_connect",
       prog({op::Socket{1, AF_INET, kTcp}, reuse(1), op::Bind{1, lo}, op::Listen{1, 8},
             op::Socket{0, AF_INET, kTcp}, op::Connect{0, lo}, op::Connect{0, lo}}),
       EISCONN},
      {"OK_udp_reconnect",
       prog({op::Socket{0, AF_INET, kUdp}, op::Connect{0, Address::inet("127.0.0.1", 5000)},
             op::Connect{0, Address::inet("127.0.0.1", 5001)}}),
       0},
      {"OK_udp_unspec_dissolve",
       prog({op::Socket{0, AF_INET, kUdp}, op::Connect{0, Address::inet("127.0.0.1", 5000)},
             op::Connect{0, Address::unspec()}}),
       0},
      {"OK_udp6_unspec_short_dissolve",
       prog({op::Socket{0, AF_INET6, kUdp}, op::Connect{0, Address::inet6("::1", 5000)},
             op::Connect{0, Address::unspec(sizeof(sa_family_t))}}),
       0},
      {"ENOENT_unix_missing_path",
       prog({op::Socket{0, AF_UNIX, kTcp}, op::Connect{0, Address::unix_path(missing)}}), ENOENT},
      // EPROTOTYPE needs a pathname socket: abstract names are looked up
      // together with the type, so a mismatch there is ECONNREFUSED.
      {"EPROTOTYPE_unix_stream_to_dgram_path",
       prog({op::Socket{1, AF_UNIX, kUdp}, op::Bind{1, Address::unix_path(dgram_path)},
             op::Socket{0, AF_UNIX, kTcp}, op::Connect{0, Address::unix_path(dgram_path)}}),
       EPROTOTYPE, Case::kSameAsLibc, nullptr, false, dgram_path},
      {"ECONNREFUSED_unix_stream_to_dgram_abstract",
       prog({op::Socket{1, AF_UNIX, kUdp}, op::Bind{1, Address::unix_abstract("cc-dgram")},
             op::Socket{0, AF_UNIX, kTcp}, op::Connect{0, Address::unix_abstract("cc-dgram")}}),
       ECONNREFUSED},
      {"ECONNREFUSED_unix_not_listening",
       prog({op::Socket{1, AF_UNIX, kTcp}, op::Bind{1, Address::unix_abstract("cc-bound")},
             op::Socket{0, AF_UNIX, kTcp}, op::Connect{0, Address::unix_abstract("cc-bound")}}),
       ECONNREFUSED},
      {"OK_unix_dgram_connect",
       prog({op::Socket{1, AF_UNIX, kUdp}, op::Bind{1, Address::unix_abstract("cc-peer")},
             op::Socket{0, AF_UNIX, kUdp}, op::Connect{0, Address::unix_abstract("cc-peer")}}),
       0},
      // The SYN-ACK from a loopback listener is processed only when connect()
      // releases the socket lock, after it has chosen EINPROGRESS.
      {"EINPROGRESS_nonblocking",
       prog({op::Socket{1, AF_INET, kTcp}, reuse(1), op::Bind{1, lo}, op::Listen{1, 8},
             op::Socket{0, AF_INET, kTcp | SOCK_NONBLOCK}, op::Connect{0, lo}}),
       EINPROGRESS, 0,
       "IORING_OP_CONNECT arms a poll and completes when the connection does, even on an "
       "O_NONBLOCK socket"},
      // 10.254.0.3 is on cc0's subnet but nobody answers ARP for it, so the
      // SYN stays pending and the second connect collides with it.
      {"EALREADY_pending",
       prog({op::Socket{0, AF_INET, kTcp | SOCK_NONBLOCK},
             op::Connect{0, Address::inet("10.254.0.3", 80)},
             op::Connect{0, Address::inet("10.254.0.3", 80)}}),
       EALREADY, Case::kNotRun,
       "io_uring waits for the first connect to finish, so no connect is ever pending when the "
       "second is issued"},
  };
}

class BackendAgreement : public ::testing::TestWithParam<Case> {};

TEST_P(BackendAgreement, AllBackendsGiveTheSameOutcome) {
  const Case& c = GetParam();
  ASSERT_EQ(validate(c.program), "");
  std::vector<Trace> traces;
  for (Backend b : kAllBackends) {
    if (!c.unlink_before.empty()) ::unlink(c.unlink_before.c_str());
    if (b == Backend::kIoUring && c.io_uring_errno != Case::kSameAsLibc) {
      if (c.io_uring_errno == Case::kNotRun) continue;
      // The known difference must still hold exactly; if io_uring starts
      // agreeing with libc, this fails and the exception can go.
      const Trace t = execute(c.program, {.backend = b});
      const Outcome& got = t.steps.back().outcome;
      if (c.io_uring_errno)
        EXPECT_THAT(got, FailsWith(c.io_uring_errno)) << c.io_uring_reason << "\n" << to_string(t);
      else
        EXPECT_THAT(got, Succeeds()) << c.io_uring_reason << "\n" << to_string(t);
      continue;
    }
    traces.push_back(execute(c.program, {.backend = b}));
  }
  const Outcome& want = traces[0].steps.back().outcome;
  if (c.expected_errno)
    EXPECT_THAT(want, FailsWith(c.expected_errno)) << to_string(traces[0]);
  else
    EXPECT_THAT(want, Succeeds()) << to_string(traces[0]);
  for (std::size_t i = 1; i < traces.size(); ++i) {
    Outcome got = traces[i].steps.back().outcome;
    if (traces[i].backend == Backend::kIoUring && c.io_uring_local_differs) {
      ASSERT_TRUE(got.post && want.post);
      EXPECT_NE(got.post->local, want.post->local)
          << "known difference gone: " << c.io_uring_reason;
      got.post->local = want.post->local;  // compare everything else
    }
    EXPECT_TRUE(got.same_as(want)) << backend_name(traces[i].backend) << " disagrees with libc:\n"
                                   << to_string(traces[i]) << "libc:\n"
                                   << to_string(traces[0]);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, BackendAgreement, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(BackendAgreementTable, HasAtLeastTwentyCases) { EXPECT_GE(cases().size(), 20u); }

// same_as is what the table relies on: show it can tell outcomes apart.
TEST(OutcomeComparison, DetectsDifferentErrnoAndPeer) {
  Outcome a;
  a.ret = -1;
  a.err = EISCONN;
  Outcome b = a;
  EXPECT_TRUE(a.same_as(b));
  b.err = EALREADY;
  EXPECT_FALSE(a.same_as(b));
  Outcome c;
  c.post = PostState{};
  Outcome d = c;
  d.post->peer.addr = {2, 0, 0, 80};
  EXPECT_FALSE(c.same_as(d));
  Outcome e = c;
  e.post->local.addr = {2, 0, 0x9c, 0x40, 127, 0, 0, 1};
  Outcome f = e;
  f.post->local.addr[2] = 0x11;  // another ephemeral port: masked by default
  EXPECT_TRUE(e.same_as(f));
  EXPECT_FALSE(e.same_as(f, /*mask_local_port=*/false));
}

}  // namespace
}  // namespace conncheck
