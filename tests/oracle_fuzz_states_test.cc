// The Model's fixes for what fuzzing found in socket states (a former
// listener, a reset after FIN, a self-connect, a failed socket(), what bind
// and a first attempt leave), each shown able to fail: the
// kernel's real outcome is accepted, and the outcome the old Model wanted
// (or another wrong one) is a violation. Each names its regression under
// corpus/regressions/ or its FINDINGS entry.
#include <errno.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "oracle/oracle.h"
#include "oracle_scenarios.h"

namespace conncheck {
namespace {

using namespace oracle_test;

// Found by prop.StatefulModel.ModelPredictsEveryOutcome for most random
// seeds (issue 14; corpus/regressions/tcp-former-listener-*.json): a TCP
// socket that listened and was stopped by shutdown(SHUT_RD) or AF_UNSPEC
// gets EINVAL from a connect to its own address, where the Model allowed
// only the self-connect's 0 or ECONNREFUSED, and from any other
// destination past the route lookup too.
TEST(OracleFuzzFindings, FormerListenerConnectIsEinval) {
  const Address self4 = Address::inet("127.0.0.1", 1), self6 = Address::inet6("::1", 1);
  Scenario shut;
  shut.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  shut.run(op::SetSockOpt{1, SOL_SOCKET, SO_REUSEADDR, 1}, ok());
  shut.run(op::Bind{1, self4}, ok());
  shut.run(op::Listen{1, 8}, ok());
  shut.run(op::Shutdown{1, SHUT_RD}, ok());
  EXPECT_EQ(kind(shut, op::Connect{1, self4}, fail(EINVAL)), VerdictKind::kKnown);
  EXPECT_EQ(kind(shut, op::Connect{1, self4}, ok()), VerdictKind::kViolation);
  EXPECT_EQ(kind(shut, op::Connect{1, self4}, fail(ECONNREFUSED)), VerdictKind::kViolation);
  EXPECT_EQ(kind(shut, op::Connect{1, Address::inet("127.0.0.1", 2)}, fail(EINVAL)),
            VerdictKind::kKnown);
  // The route comes first.
  EXPECT_EQ(kind(shut, op::Connect{1, Address::inet("10.255.0.1", 80)}, fail(ENETUNREACH)),
            VerdictKind::kOk);
  EXPECT_EQ(kind(shut, op::Connect{1, Address::inet("10.255.0.1", 80)}, fail(EINVAL)),
            VerdictKind::kViolation);
  Scenario unspec;
  unspec.run(op::Socket{1, AF_INET6, SOCK_STREAM}, ok());
  unspec.run(op::SetSockOpt{1, SOL_SOCKET, SO_REUSEADDR, 1}, ok());
  unspec.run(op::Bind{1, self6}, ok());
  unspec.run(op::Listen{1, 0}, ok());
  unspec.run(op::Connect{1, Address::unspec()}, ok());
  EXPECT_EQ(kind(unspec, op::Connect{1, self6}, fail(EINVAL)), VerdictKind::kKnown);
  EXPECT_EQ(kind(unspec, op::Connect{1, self6}, ok()), VerdictKind::kViolation);
  // Never listened: the self-connect's simultaneous open, as before.
  Scenario fresh;
  fresh.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  fresh.run(op::SetSockOpt{1, SOL_SOCKET, SO_REUSEADDR, 1}, ok());
  fresh.run(op::Bind{1, self4}, ok());
  EXPECT_EQ(kind(fresh, op::Connect{1, self4}, ok()), VerdictKind::kKnown);
  EXPECT_EQ(kind(fresh, op::Connect{1, self4}, fail(EINVAL)), VerdictKind::kViolation);
}

// 300-seed exploration (issue 14): a listener whose sk_shutdown holds
// SEND_SHUTDOWN (shutdown(SHUT_RDWR) answered ENOTCONN yet set it) passes
// it to its children, which send a FIN; closed, it resets them, and the
// pending client, in CLOSE_WAIT, reads EPIPE.
TEST(OracleFuzzFindings, PendingConnectResetAfterFinIsEpipe) {
  const Address l = Address::inet("127.0.0.1", 1);
  const auto pending_on = [&](bool shut_wr) {
    Scenario s;
    s.run(op::Socket{0, AF_INET, SOCK_STREAM}, ok());
    s.run(op::Bind{0, l}, ok());
    s.run(op::Listen{0, 0}, ok());
    s.run(op::Shutdown{0, SHUT_RD}, ok());
    if (shut_wr) s.run(op::Shutdown{0, SHUT_RDWR}, fail(ENOTCONN));
    s.run(op::Listen{0, 0}, ok());
    s.run(op::Socket{1, AF_INET, SOCK_STREAM | SOCK_NONBLOCK}, ok());
    s.run(op::Connect{1, l}, fail(EINPROGRESS));
    s.run(op::Close{0}, ok());
    return s;
  };
  Scenario fin = pending_on(true);
  EXPECT_EQ(kind(fin, op::Connect{1, l}, fail(EPIPE)), VerdictKind::kKnown);
  EXPECT_EQ(kind(fin, op::Connect{1, l}, fail(ECONNRESET)), VerdictKind::kKnown);
  Scenario no_fin = pending_on(false);
  EXPECT_EQ(kind(no_fin, op::Connect{1, l}, fail(EPIPE)), VerdictKind::kViolation);
}

// CONNCHECK_CHECK stopped connect_program_fuzzer here (issue 14): the
// Model allowed ECONNABORTED for a self-connect after SHUT_WR with no Spec
// entry behind it (the assert was compiled out).
TEST(OracleFuzzFindings, SelfConnectAfterShutWrIsAborted) {
  const Address self4 = Address::inet("127.0.0.1", 20000);
  const auto bound = [&](bool shut_wr) {
    Scenario s;
    s.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
    s.run(op::SetSockOpt{1, SOL_SOCKET, SO_REUSEADDR, 1}, ok());
    s.run(op::Bind{1, self4}, ok());
    if (shut_wr) s.run(op::Shutdown{1, SHUT_WR}, fail(ENOTCONN));
    return s;
  };
  Scenario shut = bound(true);
  EXPECT_EQ(kind(shut, op::Connect{1, self4}, fail(ECONNABORTED)), VerdictKind::kKnown);
  Scenario open = bound(false);
  EXPECT_EQ(kind(open, op::Connect{1, self4}, fail(ECONNABORTED)), VerdictKind::kViolation);
}

// Exploration (issue 14): a negative backlog is capped to somaxconn.
TEST(OracleFuzzFindings, NegativeBacklogIsNotAFullQueue) {
  const Address path = Address::unix_path("/tmp/conncheck.fuzz00/b0");
  const auto listening = [&](int backlog) {
    Scenario s;
    s.run(op::Socket{0, AF_UNIX, SOCK_STREAM}, ok());
    s.run(op::Bind{0, path}, ok());
    s.run(op::Listen{0, backlog}, ok());
    s.run(op::Socket{1, AF_UNIX, SOCK_STREAM}, ok());
    return s;
  };
  Scenario negative = listening(-52993);
  EXPECT_EQ(kind(negative, op::Connect{1, path}, ok()), VerdictKind::kOk);
  Scenario zero = listening(0);  // backlog 0 holds one: still a success
  EXPECT_NE(kind(zero, op::Connect{1, path}, ok()), VerdictKind::kViolation);
}

TEST(OracleFuzzFindings, Tcp6AfterAMappedConnectMayWait) {
  const Address mapped = Address::inet6("::ffff:127.0.0.1", 9), native = Address::inet6("::1", 9);
  Outcome hung = fail(EINTR);
  hung.hung = true;
  Scenario fresh;
  fresh.run(op::Socket{1, AF_INET6, SOCK_STREAM}, ok());
  EXPECT_EQ(kind(fresh, op::Connect{1, native}, hung), VerdictKind::kHang);
  Scenario s = fresh;
  s.run(op::Connect{1, mapped}, fail(ECONNREFUSED));
  EXPECT_EQ(kind(s, op::Connect{1, native}, hung), VerdictKind::kKnown);
  EXPECT_EQ(kind(s, op::Connect{1, native}, fail(ETIMEDOUT)), VerdictKind::kKnown);
  EXPECT_EQ(kind(s, op::Connect{1, native}, fail(ECONNREFUSED)), VerdictKind::kOk)
      << "a fixed kernel passes";
  EXPECT_EQ(kind(s, op::Connect{1, native}, ok()), VerdictKind::kViolation)
      << "nobody listens there";
  Scenario early = fresh;  // refused before any SYN: the ops are restored
  early.run(op::Connect{1, Address::inet6("::ffff:192.0.2.1", 9)}, fail(ENETUNREACH));
  EXPECT_EQ(kind(early, op::Connect{1, native}, hung), VerdictKind::kHang);
}

TEST(OracleFuzzFindings, AFailedSocketLeavesTheSlotEmpty) {
  Scenario s;
  s.run(op::Socket{1, AF_INET, SOCK_DGRAM}, ok());
  s.run(op::Socket{1, AF_INET, SOCK_STREAM, IPPROTO_UDP}, fail(EPROTONOSUPPORT));
  EXPECT_EQ(kind(s, op::Connect{1, kL1}, fail(EBADF)), VerdictKind::kOk);
  EXPECT_EQ(kind(s, op::Connect{1, kL1}, ok()), VerdictKind::kViolation);
}

// The slot takes the result of socket() and open(): its old socket is
// closed even when the call fails, and a listener closed with a connection
// still queued resets it (inet_csk_listen_stop()).
TEST(OracleFuzzFindings, AFailedSocketClosesTheSlotsListener) {
  for (const bool not_socket : {false, true}) {
    Scenario s = connected_tcp();  // slot 1's connection waits in slot 0's queue
    if (not_socket)
      s.run(op::NotSocket{0}, ok());
    else
      s.run(op::Socket{0, AF_INET, SOCK_STREAM, IPPROTO_UDP}, fail(EPROTONOSUPPORT));
    EXPECT_EQ(kind(s, op::GetPeerName{1}, fail(ENOTCONN)), VerdictKind::kKnown)
        << "open() in the slot: " << not_socket;
  }
}

TEST(OracleFuzzFindings, WhatBindAndAFirstAttemptLeave) {
  Scenario port0;  // a listener bound to port 0 is at an ephemeral port, not at 0
  port0.run(op::Socket{0, AF_INET, SOCK_STREAM}, ok());
  port0.run(op::Bind{0, Address::inet("127.0.0.1", 0)}, ok());
  port0.run(op::Listen{0, 8}, ok());
  port0.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  EXPECT_EQ(kind(port0, op::Connect{1, Address::inet("127.0.0.1", 0)}, fail(ECONNREFUSED)),
            VerdictKind::kOk);
  EXPECT_EQ(kind(port0, op::Connect{1, Address::inet("127.0.0.1", 0)}, ok()),
            VerdictKind::kViolation);

  Scenario unix_name;  // bind() with only sun_family on a named socket changes nothing
  const Address name = Address::raw(AF_UNIX, {0, 'c', 'c', '-', 't'});
  unix_name.run(op::Socket{1, AF_UNIX, SOCK_DGRAM}, ok());
  unix_name.run(op::Bind{1, name}, ok());
  unix_name.run(op::Bind{1, Address::raw(AF_UNIX, {})}, ok());
  EXPECT_EQ(kind(unix_name, op::Connect{1, name}, ok()), VerdictKind::kOk);
  EXPECT_EQ(kind(unix_name, op::Connect{1, name}, fail(ECONNREFUSED)), VerdictKind::kViolation);

  Scenario bcast;  // bound to a broadcast address: the first attempt's source (127.0.0.1) stays
  bcast.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  bcast.run(op::Bind{1, Address::inet("10.254.0.255", 5003)}, ok());
  bcast.run(op::Connect{1, kL2}, fail(ECONNREFUSED));
  EXPECT_EQ(kind(bcast, op::Connect{1, Address::inet("10.254.0.255", 5003)}, fail(EINVAL)),
            VerdictKind::kKnown);
  EXPECT_EQ(kind(bcast, op::Connect{1, Address::inet("10.254.0.255", 5003)}, fail(ENETUNREACH)),
            VerdictKind::kViolation);

  Scenario tcp6;  // tcp_v6_connect() refuses multicast before the mapped-source check
  tcp6.run(op::Socket{1, AF_INET6, SOCK_STREAM}, ok());
  tcp6.run(op::Bind{1, Address::inet6("::ffff:127.0.0.1", 0)}, ok());
  EXPECT_EQ(kind(tcp6, op::Connect{1, Address::inet6("ff0e::1", 9)}, fail(ENETUNREACH)),
            VerdictKind::kOk);
  EXPECT_EQ(kind(tcp6, op::Connect{1, Address::inet6("ff0e::1", 9)}, fail(EAFNOSUPPORT)),
            VerdictKind::kViolation);
}

}  // namespace
}  // namespace conncheck
