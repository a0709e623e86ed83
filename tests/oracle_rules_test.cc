// Every oracle rule shown able to fail: a wrong outcome, fed by hand after
// a model state reached by right ones, must be a violation (and the right
// outcome, in the same place, must not be).
#include <errno.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>
#include <string_view>

#include "oracle/oracle.h"
#include "oracle_scenarios.h"

namespace conncheck {
namespace {

using namespace oracle_test;

TEST(OracleRules, StreamConnectsOnce) {
  EXPECT_EQ(kind(connected_tcp(), op::Connect{1, kL2}, ok()), VerdictKind::kViolation);
  EXPECT_EQ(kind(connected_tcp(), op::Connect{1, kL2}, fail(ECONNREFUSED)),
            VerdictKind::kViolation);
  EXPECT_EQ(kind(connected_tcp(), op::Connect{1, kL2}, fail(EISCONN)), VerdictKind::kOk);
  const Verdict v = connected_tcp().j.step(op::Connect{1, kL1}, ok());
  EXPECT_NE(explain(v).find("stream connects once"), std::string::npos) << explain(v);
}

TEST(OracleRules, DatagramReconnectChangesPeer) {
  EXPECT_EQ(kind(connected_udp(), op::Connect{1, kL2}, fail(EISCONN)), VerdictKind::kViolation);
  EXPECT_EQ(kind(connected_udp(), op::Connect{1, kL2}, ok()), VerdictKind::kOk);
  Scenario s = connected_udp();
  s.run(op::Connect{1, kL2}, ok());
  EXPECT_EQ(kind(s, op::GetPeerName{1}, peer_is(kL1)), VerdictKind::kViolation)
      << "stale peer reported";
  EXPECT_EQ(kind(s, op::GetPeerName{1}, peer_is(kL2)), VerdictKind::kOk);
}

TEST(OracleRules, UnspecDissolvesDatagramAssociation) {
  EXPECT_EQ(kind(connected_udp(), op::Connect{1, Address::unspec()}, fail(EAFNOSUPPORT)),
            VerdictKind::kViolation)
      << "the FreeBSD answer is a violation on Linux";
  Scenario s = connected_udp();
  s.run(op::Connect{1, Address::unspec()}, ok());
  EXPECT_EQ(kind(s, op::GetPeerName{1}, peer_is(kL1)), VerdictKind::kViolation);
  EXPECT_EQ(kind(s, op::GetPeerName{1}, fail(ENOTCONN)), VerdictKind::kOk);
  EXPECT_EQ(kind(s, op::Send{1}, ok()), VerdictKind::kViolation)
      << "send after dissolve must need an address";
  EXPECT_EQ(kind(s, op::Send{1}, fail(EDESTADDRREQ)), VerdictKind::kOk);
}

Scenario pending_tcp() {
  Scenario s;
  s.run(op::Socket{0, AF_INET, SOCK_STREAM}, ok());
  s.run(op::Bind{0, kL1}, ok());
  s.run(op::Listen{0, 8}, ok());
  s.run(op::Socket{1, AF_INET, SOCK_STREAM | SOCK_NONBLOCK}, ok());
  s.run(op::Connect{1, kL1}, fail(EINPROGRESS));
  return s;
}

TEST(OracleRules, NonblockingInProgressThenSoError) {
  Scenario s;
  s.run(op::Socket{0, AF_INET, SOCK_STREAM}, ok());
  s.run(op::Bind{0, kL1}, ok());
  s.run(op::Listen{0, 8}, ok());
  s.run(op::Socket{1, AF_INET, SOCK_STREAM | SOCK_NONBLOCK}, ok());
  EXPECT_EQ(kind(s, op::Connect{1, kL1}, ok()), VerdictKind::kViolation)
      << "libc: must be EINPROGRESS";
  EXPECT_EQ(kind(s, op::Connect{1, kL1}, fail(EINPROGRESS)), VerdictKind::kOk);
  EXPECT_EQ(kind(pending_tcp(), op::GetSoError{1}, so_error(EIO)), VerdictKind::kViolation);
  EXPECT_EQ(kind(pending_tcp(), op::GetSoError{1}, so_error(ECONNREFUSED)), VerdictKind::kOk);
  EXPECT_EQ(kind(pending_tcp(), op::GetSoError{1}, so_error(0)), VerdictKind::kOk);
}

TEST(OracleRules, AlreadyWhilePending) {
  EXPECT_EQ(kind(pending_tcp(), op::Connect{1, kL1}, fail(EINPROGRESS)), VerdictKind::kViolation);
  EXPECT_EQ(kind(pending_tcp(), op::Connect{1, kL1}, fail(EALREADY)), VerdictKind::kOk);
}

TEST(OracleTiers, DocumentedKnownAndOutside) {
  Scenario s;
  s.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  EXPECT_EQ(kind(s, op::Connect{1, Address::inet("192.0.2.1", 9)}, fail(ENETUNREACH)),
            VerdictKind::kOk);
  EXPECT_EQ(kind(s, op::Connect{1, Address::inet("192.0.2.1", 9)}, fail(EHOSTUNREACH)),
            VerdictKind::kViolation);
  EXPECT_EQ(kind(s, op::Connect{1, Address::inet("10.255.3.1", 9)}, fail(EINVAL)),
            VerdictKind::kKnown);
  EXPECT_EQ(kind(s, op::Connect{1, Address::inet("10.255.3.1", 9)}, ok()), VerdictKind::kViolation);
  EXPECT_EQ(kind(s, op::Connect{1, Address::inet("127.0.0.1", 9).with_addrlen(8)}, fail(EINVAL)),
            VerdictKind::kKnown);
  EXPECT_EQ(
      kind(s, op::Connect{1, Address::inet("127.0.0.1", 9).at(Placement::kNull)}, fail(EFAULT)),
      VerdictKind::kOk);
  EXPECT_EQ(kind(s, op::Connect{7, Address::inet("127.0.0.1", 9)}, fail(EBADF)), VerdictKind::kOk);
  EXPECT_EQ(kind(s, op::Connect{7, Address::inet("127.0.0.1", 9)}, fail(ENOTSOCK)),
            VerdictKind::kViolation);
}

TEST(OracleTiers, OpenSituationsFallBackToTheSpecTables) {
  Scenario s;
  s.run(op::Socket{1, AF_INET, SOCK_DGRAM}, ok());
  const Address mcast =
      Address::inet("224.0.0.1", 9);  // UDP multicast routes: the model does not guess
  EXPECT_EQ(kind(s, op::Connect{1, mcast}, fail(EHOSTUNREACH)), VerdictKind::kKnown);
  EXPECT_EQ(kind(s, op::Connect{1, mcast}, fail(ETIMEDOUT)), VerdictKind::kOk);
  EXPECT_EQ(kind(s, op::Connect{1, mcast}, fail(EIO)), VerdictKind::kViolation);
  // Blocking there is not judged either way; where the model knows nothing
  // blocks, it is a hang (OracleHangAndLeak).
  Outcome hung = fail(EINTR);
  hung.hung = true;
  EXPECT_EQ(kind(s, op::Connect{1, mcast}, hung), VerdictKind::kNotJudged);
}

TEST(OracleHangAndLeak, AreFindings) {
  Scenario s;
  s.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  Outcome hung = fail(EINTR);
  hung.hung = true;
  EXPECT_EQ(kind(s, op::Connect{1, Address::inet("192.0.2.1", 9)}, hung), VerdictKind::kHang);
  EXPECT_EQ(judge_leaks({{5, "socket:[1]"}}).kind, VerdictKind::kLeak);
  EXPECT_EQ(judge_leaks({}).kind, VerdictKind::kOk);
}

// The two halves the fuzz targets use (the expectation sets the op's wait
// before the op runs) judge as step() does: the EISCONN rule still fails.
TEST(OracleTwoPhase, BeforeAndAfterJudgeLikeStep) {
  Scenario split = connected_tcp();
  const op::Connect again{1, kL2};
  const Expectation& e = split.j.before(again);
  EXPECT_TRUE(e.find(EISCONN));
  EXPECT_FALSE(e.may_block);
  const Verdict v = split.j.after(ok());
  EXPECT_EQ(v.kind, VerdictKind::kViolation) << explain(v);
  EXPECT_EQ(v.kind, kind(connected_tcp(), again, ok()));
  EXPECT_EQ(kind(connected_tcp(), again, fail(EISCONN)), VerdictKind::kOk);
  // Each after() judges the op of one before(); a second has nothing to judge.
  EXPECT_THROW(split.j.after(ok()), std::logic_error);
}

}  // namespace
}  // namespace conncheck
