// The backend-diff target's comparison (backend_compare.h) on traces made
// by hand: each acceptance (a kernel's random choice, a difference the Model
// predicts, the io_uring limits) next to the near miss it must still report.
#include <errno.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

#include "oracle/backend_compare.h"

namespace conncheck {
namespace {

Outcome ok() { return Outcome{}; }
Outcome fail(int err) {
  Outcome o;
  o.ret = -1;
  o.err = err;
  return o;
}
Outcome with_names(Outcome o, std::vector<std::uint8_t> local,
                   std::vector<std::uint8_t> peer = {}) {
  o.post = PostState{};
  o.post->local.addr = std::move(local);
  o.post->peer.addr = std::move(peer);
  return o;
}
std::vector<std::uint8_t> inet(const char* ip, int port) { return Address::inet(ip, port).bytes; }
// unix_autobind()'s name: the family, a NUL, five hex digits.
std::vector<std::uint8_t> autobind(const char* hex5) {
  std::vector<std::uint8_t> v(8, 0);
  v[0] = AF_UNIX;
  std::copy_n(hex5, 5, v.begin() + 3);
  return v;
}

struct Ops {
  std::vector<Op> ops;
  Trace trace(Backend b, std::vector<Outcome> outcomes) const {
    Trace t{b, {}};
    for (std::size_t i = 0; i < ops.size(); ++i) t.steps.push_back({ops[i], 3, outcomes[i]});
    return t;
  }
};

const Address kLo = Address::inet("127.0.0.1", 5001);

// socket, connect: the two outcomes are (libc, other) for the connect.
BackendComparison compare_connect(int type, const Outcome& libc, const Outcome& sys,
                                  const Outcome& uring) {
  const Ops r{{op::Socket{0, AF_INET, type}, op::Connect{0, kLo}}};
  return compare_backends(r.trace(Backend::kLibc, {ok(), libc}),
                          r.trace(Backend::kSyscall, {ok(), sys}),
                          r.trace(Backend::kIoUring, {ok(), uring}));
}

TEST(BackendCompare, SameOutcomesAgree) {
  const auto c = compare_connect(SOCK_DGRAM, ok(), ok(), ok());
  EXPECT_FALSE(c.syscall);
  EXPECT_FALSE(c.uring);
  EXPECT_EQ(c.uring_upto, 2u);
}

TEST(BackendCompare, DifferentErrnoIsReportedWithTheStep) {
  const auto c = compare_connect(SOCK_DGRAM, fail(ENETUNREACH), fail(EACCES), fail(ENETUNREACH));
  ASSERT_TRUE(c.syscall);
  EXPECT_NE(c.syscall->find("step 1: libc and syscall disagree"), std::string::npos) << *c.syscall;
  EXPECT_FALSE(c.uring);
}

// Local ports are compared without the port anyway (Outcome::same_as); a
// peer's port is the kernel's choice when the peer was accepted from an
// unbound client (getpeername on the accepted socket).
TEST(BackendCompare, EphemeralPeerPortsAreTheKernelsChoice) {
  const Outcome a = with_names(ok(), inet("127.0.0.1", 5001), inet("127.0.0.1", 40001));
  const Outcome b = with_names(ok(), inet("127.0.0.1", 5001), inet("127.0.0.1", 51234));
  EXPECT_FALSE(compare_connect(SOCK_DGRAM, a, b, a).syscall);
}

TEST(BackendCompare, PeerPortsBelowTheEphemeralRangeMustAgree) {
  const Outcome a = with_names(ok(), inet("127.0.0.1", 5001), inet("127.0.0.1", 5002));
  const Outcome b = with_names(ok(), inet("127.0.0.1", 5001), inet("127.0.0.1", 5003));
  EXPECT_TRUE(compare_connect(SOCK_DGRAM, a, b, a).syscall);
}

TEST(BackendCompare, EphemeralPeerPortsOnDifferentAddressesDisagree) {
  const Outcome a = with_names(ok(), inet("127.0.0.1", 5001), inet("127.0.0.1", 40001));
  const Outcome b = with_names(ok(), inet("127.0.0.1", 5001), inet("127.0.0.2", 40001));
  EXPECT_TRUE(compare_connect(SOCK_DGRAM, a, b, a).syscall);
}

TEST(BackendCompare, AutobindNamesAreTheKernelsChoice) {
  PostState x, y;
  x.local.addr = autobind("0001a");
  y.local.addr = autobind("00f3c");
  mask_kernel_choices(x, y);
  EXPECT_EQ(x, y);
}

TEST(BackendCompare, OtherAbstractNamesMustAgree) {
  PostState x, y;
  x.local.addr = autobind("0001a");
  y.local.addr = autobind("0001z");  // not hex: the Program's own name
  mask_kernel_choices(x, y);
  EXPECT_NE(x, y);
}

// FINDINGS 8: io_uring copies the address before it looks the fd up, so an
// empty slot with an unreadable address is EFAULT there and EBADF elsewhere.
TEST(BackendCompare, DifferenceTheModelPredictsForUringIsAccepted) {
  const Ops r{{op::Connect{0, kLo.at(Placement::kNull)}}};
  const auto c = compare_backends(r.trace(Backend::kLibc, {fail(EBADF)}),
                                  r.trace(Backend::kSyscall, {fail(EBADF)}),
                                  r.trace(Backend::kIoUring, {fail(EFAULT)}));
  EXPECT_FALSE(c.uring);
}

TEST(BackendCompare, SameDifferenceFromTheSyscallBackendIsReported) {
  const Ops r{{op::Connect{0, kLo.at(Placement::kNull)}}};
  const auto c = compare_backends(r.trace(Backend::kLibc, {fail(EBADF)}),
                                  r.trace(Backend::kSyscall, {fail(EFAULT)}),
                                  r.trace(Backend::kIoUring, {fail(EBADF)}));
  EXPECT_TRUE(c.syscall);
}

TEST(BackendCompare, BothEndedByTheWatchdogAgree) {
  Outcome a = fail(EINTR), b = fail(ECANCELED);
  a.hung = b.hung = true;
  EXPECT_FALSE(compare_connect(SOCK_DGRAM, a, a, b).uring);
}

// A wait the Model predicts (a full AF_UNIX backlog) that outlasted its
// bound on one backend and completed on another: load decided which, so it
// is no disagreement, and that backend is compared no further (the runs now
// differ in state). Where the Model predicts no wait, the same split is one.
Ops full_backlog(int type) {
  const Address name = Address::unix_abstract("cc-split");
  return Ops{{op::Socket{1, AF_UNIX, type}, op::Bind{1, name}, op::Listen{1, 0},
              op::Socket{0, AF_UNIX, type}, op::Connect{0, name}, op::Socket{2, AF_UNIX, type},
              op::Connect{2, name}, op::GetPeerName{2}}};
}

TEST(BackendCompare, PredictedWaitCutOnOneBackendOnlyIsATimingSplit) {
  const Ops r = full_backlog(SOCK_STREAM);
  Outcome hung = fail(EINTR);
  hung.hung = true;
  const std::vector<Outcome> cut{ok(), ok(), ok(), ok(), ok(), ok(), hung, fail(ENOTCONN)};
  const std::vector<Outcome> done{ok(), ok(), ok(),        ok(),
                                  ok(), ok(), fail(EINTR), fail(ENOTCONN)};  // not hung
  auto c = compare_backends(r.trace(Backend::kLibc, cut), r.trace(Backend::kSyscall, done),
                            r.trace(Backend::kIoUring, cut));
  EXPECT_FALSE(c.syscall) << *c.syscall;
  EXPECT_EQ(c.syscall_upto, 7u);
  EXPECT_EQ(c.uring_upto, 8u);
  c = compare_backends(r.trace(Backend::kLibc, cut), r.trace(Backend::kSyscall, cut),
                       r.trace(Backend::kIoUring, done));
  EXPECT_FALSE(c.uring) << *c.uring;
  EXPECT_EQ(c.uring_upto, 7u);
  EXPECT_EQ(c.syscall_upto, 8u);
}

TEST(BackendCompare, HangWhereTheModelPredictsNoWaitIsADisagreement) {
  Outcome hung = fail(EINTR);
  hung.hung = true;
  auto c = compare_connect(SOCK_STREAM, fail(ECONNREFUSED), hung,
                           fail(ECONNREFUSED));  // no listener: refused at once
  EXPECT_TRUE(c.syscall);
  // A split whose completed outcome the Model does not allow there is one too.
  const Ops r = full_backlog(SOCK_STREAM);
  const std::vector<Outcome> cut{ok(), ok(), ok(), ok(), ok(), ok(), hung, fail(ENOTCONN)};
  const std::vector<Outcome> odd{ok(), ok(), ok(), ok(), ok(), ok(), fail(EACCES), fail(ENOTCONN)};
  c = compare_backends(r.trace(Backend::kLibc, cut), r.trace(Backend::kSyscall, odd),
                       r.trace(Backend::kIoUring, cut));
  EXPECT_TRUE(c.syscall);
}

// io_uring waits for the handshake of a non-blocking connect (FINDINGS 2):
// it is held to the steps before it only.
TEST(BackendCompare, UringStopsBeforeANonBlockingStreamConnect) {
  const Ops r{{op::Socket{0, AF_INET, SOCK_STREAM | SOCK_NONBLOCK}, op::Connect{0, kLo}}};
  const auto c = compare_backends(r.trace(Backend::kLibc, {ok(), fail(EINPROGRESS)}),
                                  r.trace(Backend::kSyscall, {ok(), fail(EINPROGRESS)}),
                                  r.trace(Backend::kIoUring, {ok(), fail(ECONNREFUSED)}));
  EXPECT_EQ(c.uring_upto, 1u);
  EXPECT_FALSE(c.uring);
}

// A failed stream connect: io_uring keeps the source address (FINDINGS 3),
// so the step is compared without it, and its errno still must agree.
TEST(BackendCompare, FailedStreamConnectIsComparedWithoutTheLocalAddress) {
  const Outcome a = with_names(fail(ECONNREFUSED), inet("0.0.0.0", 0));
  const Outcome kept = with_names(fail(ECONNREFUSED), inet("127.0.0.1", 40001));
  auto c = compare_connect(SOCK_STREAM, a, a, kept);
  EXPECT_EQ(c.uring_upto, 2u);
  EXPECT_FALSE(c.uring);
  c = compare_connect(SOCK_STREAM, a, a, with_names(fail(ETIMEDOUT), inet("127.0.0.1", 40001)));
  EXPECT_TRUE(c.uring);
}

}  // namespace
}  // namespace conncheck
