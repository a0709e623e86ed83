// The Model's fixes for what fuzzing found about addresses and routes, each
// shown able to fail: the kernel's real outcome is accepted, and the outcome the old Model wanted
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

// The Model gaps the fuzz targets found (corpus/regressions/), each shown
// to reject the outcome the model predicted before.
TEST(OracleFuzzFindings, OnLinkNeighbourNobodyHolds) {
  Scenario s;
  s.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  const Address onlink = Address::inet("10.254.0.77", 9);
  Outcome hung = fail(EINTR);
  hung.hung = true;
  EXPECT_EQ(kind(s, op::Connect{1, onlink}, hung), VerdictKind::kKnown);
  EXPECT_EQ(kind(s, op::Connect{1, onlink}, fail(EHOSTUNREACH)), VerdictKind::kKnown);
  EXPECT_EQ(kind(s, op::Connect{1, onlink}, fail(ECONNREFUSED)), VerdictKind::kViolation);
  EXPECT_EQ(kind(s, op::Connect{1, onlink}, ok()), VerdictKind::kViolation);
  Scenario u;
  u.run(op::Socket{1, AF_INET, SOCK_DGRAM}, ok());
  EXPECT_EQ(kind(u, op::Connect{1, onlink}, ok()), VerdictKind::kOk);
  EXPECT_EQ(kind(u, op::Connect{1, onlink}, hung), VerdictKind::kHang);
}

TEST(OracleFuzzFindings, LinkLocalNeedsScopeId) {
  for (int type : {SOCK_STREAM, SOCK_DGRAM}) {
    Scenario s;
    s.run(op::Socket{1, AF_INET6, type}, ok());
    EXPECT_EQ(kind(s, op::Connect{1, Address::inet6("fe80::1", 9)}, fail(EINVAL)),
              VerdictKind::kKnown);
    EXPECT_EQ(kind(s, op::Connect{1, Address::inet6("fe80::1", 9)}, fail(ENETUNREACH)),
              VerdictKind::kViolation);
  }
  Scenario t;
  t.run(op::Socket{1, AF_INET6, SOCK_STREAM}, ok());
  EXPECT_EQ(kind(t, op::Connect{1, Address::inet6("ff02::1", 9)}, fail(ENETUNREACH)),
            VerdictKind::kOk)
      << "TCP refuses multicast before it looks at the scope";
  EXPECT_EQ(kind(t, op::Connect{1, Address::inet6("ff02::1", 9)}, fail(EINVAL)),
            VerdictKind::kViolation);
}

TEST(OracleFuzzFindings, LoopbackSourceOffTheLoopbackDevice) {
  const Address bcast = Address::inet("10.254.0.255", 9);
  Scenario bound;
  bound.run(op::Socket{1, AF_INET, SOCK_DGRAM}, ok());
  bound.run(op::Bind{1, kL1}, ok());
  EXPECT_EQ(kind(bound, op::Connect{1, bcast}, fail(EINVAL)), VerdictKind::kKnown);
  EXPECT_EQ(kind(bound, op::Connect{1, bcast}, fail(EACCES)), VerdictKind::kViolation);
  // UDP keeps the source its first connect chose until AF_UNSPEC.
  Scenario s = connected_udp();
  EXPECT_EQ(kind(s, op::Connect{1, bcast}, fail(EINVAL)), VerdictKind::kKnown);
  EXPECT_EQ(kind(s, op::Connect{1, bcast}, fail(EACCES)), VerdictKind::kViolation);
  s.run(op::Connect{1, Address::unspec()}, ok());
  EXPECT_EQ(kind(s, op::Connect{1, bcast}, fail(EACCES)), VerdictKind::kOk);
  EXPECT_EQ(kind(s, op::Connect{1, bcast}, fail(EINVAL)), VerdictKind::kViolation);
}

// 10 minutes of connect_program_fuzzer (issue 14, FINDINGS 10): a bind()
// that failed after __inet6_bind() stored the scope id as the bound device.
TEST(OracleFuzzFindings, FailedScopedBindStillBindsTheDevice) {
  Address scoped = Address::inet6("ff02::1", 20001);
  scoped.bytes[24] = 0xfd;  // sin6_scope_id: an interface that does not exist
  scoped.bytes[25] = 0xfe;
  const auto after_bind = [&](int err) {
    Scenario s;
    s.run(op::Socket{1, AF_INET6, SOCK_DGRAM}, ok());
    s.run(op::Bind{1, scoped}, fail(err));
    return s;
  };
  Scenario nodev = after_bind(ENODEV);
  EXPECT_EQ(kind(nodev, op::Connect{1, Address::inet("10.255.1.1", 20003)}, fail(ENODEV)),
            VerdictKind::kKnown);
  EXPECT_EQ(kind(nodev, op::Connect{1, Address::inet6_v4mapped("127.0.0.1", 1)}, fail(ENODEV)),
            VerdictKind::kKnown);
  // Refused before the scope id is read: no device.
  Scenario early = after_bind(EINVAL);
  EXPECT_EQ(kind(early, op::Connect{1, Address::inet("10.255.1.1", 20003)}, fail(ENODEV)),
            VerdictKind::kViolation);
}

TEST(OracleFuzzFindings, AddressIsCopiedBeforeTheFileIsAskedIfItIsASocket) {
  Scenario s;
  s.run(op::NotSocket{1}, ok());
  const Address too_long = Address::inet("127.0.0.1", 9).with_addrlen(4096);
  EXPECT_EQ(kind(s, op::Connect{1, too_long}, fail(EINVAL)), VerdictKind::kKnown);
  EXPECT_EQ(kind(s, op::Connect{1, too_long}, fail(ENOTSOCK)), VerdictKind::kViolation);
  EXPECT_EQ(kind(s, op::Connect{1, kL1}, fail(ENOTSOCK)), VerdictKind::kOk);
}

TEST(OracleFuzzFindings, SourcesTheRouteLookupRefuses) {
  Scenario v6only;
  v6only.run(op::Socket{1, AF_INET6, SOCK_DGRAM}, ok());
  v6only.run(op::SetSockOpt{1, IPPROTO_IPV6, IPV6_V6ONLY, 1}, ok());
  EXPECT_EQ(kind(v6only, op::Connect{1, kL1}, fail(EAFNOSUPPORT)), VerdictKind::kOk);
  EXPECT_EQ(kind(v6only, op::Connect{1, kL1}, ok()), VerdictKind::kViolation);
  for (const char* src : {"::ffff:255.255.255.255", "::ffff:10.254.0.255"}) {
    Scenario s;
    s.run(op::Socket{1, AF_INET6, SOCK_DGRAM}, ok());
    s.run(op::Bind{1, Address::inet6(src, 5003)}, ok());
    const int err = std::string_view(src).ends_with("255.255.255.255") ? EINVAL : ENETUNREACH;
    EXPECT_NE(kind(s, op::Connect{1, kL1}, fail(err)), VerdictKind::kViolation) << src;
    EXPECT_EQ(kind(s, op::Connect{1, kL1}, ok()), VerdictKind::kViolation) << src;
  }
  Scenario
      v4;  // inet_bind() leaves a broadcast source to the route: the first connect fixes 127.0.0.1
  v4.run(op::Socket{1, AF_INET, SOCK_DGRAM}, ok());
  v4.run(op::Bind{1, Address::inet("255.255.255.255", 5003)}, ok());
  v4.run(op::Connect{1, kL1}, ok());
  EXPECT_EQ(kind(v4, op::Connect{1, Address::inet("10.254.0.255", 9)}, fail(EINVAL)),
            VerdictKind::kKnown);
  EXPECT_EQ(kind(v4, op::Connect{1, Address::inet("10.254.0.255", 9)}, fail(EACCES)),
            VerdictKind::kViolation);
}

// Found by the soak (each has its shrunk case in corpus/regressions/): where
// a connect goes when its destination is a wildcard, and what a bind or a
// first attempt leaves behind.
TEST(OracleFuzzFindings, WildcardDestinationIsTheSocketsOwnSource) {
  Scenario v4;  // 0.0.0.0 is the bound source: a self-connect
  v4.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  v4.run(op::Bind{1, Address::inet("10.254.0.2", 5003)}, ok());
  EXPECT_NE(kind(v4, op::Connect{1, Address::inet("0.0.0.0", 5003)}, ok()),
            VerdictKind::kViolation);
  EXPECT_EQ(kind(v4, op::Connect{1, Address::inet("0.0.0.0", 5003)}, fail(EHOSTUNREACH)),
            VerdictKind::kViolation);
  Scenario mapped;  // :: from ::ffff:127.0.0.1 is ::ffff:127.0.0.1
  mapped.run(op::Socket{1, AF_INET6, SOCK_STREAM}, ok());
  mapped.run(op::Bind{1, Address::inet6("::ffff:127.0.0.1", 5003)}, ok());
  EXPECT_NE(kind(mapped, op::Connect{1, Address::inet6("::", 5003)}, ok()),
            VerdictKind::kViolation);
  Scenario bad;  // ... and so an IPv4 destination from a refused source
  bad.run(op::Socket{1, AF_INET6, SOCK_STREAM}, ok());
  bad.run(op::Bind{1, Address::inet6("::ffff:10.254.0.255", 5003)}, ok());
  EXPECT_EQ(kind(bad, op::Connect{1, Address::inet6("::", 5003)}, fail(ENETUNREACH)),
            VerdictKind::kOk);
  EXPECT_EQ(kind(bad, op::Connect{1, Address::inet6("::", 5003)}, ok()), VerdictKind::kViolation);
}

TEST(OracleFuzzFindings, SendOnUdp6Quirks) {
  Scenario port0;  // port 0 of a v4-mapped peer is EINVAL before shutdown's EPIPE
  port0.run(op::Socket{1, AF_INET6, SOCK_DGRAM}, ok());
  port0.run(op::Connect{1, Address::inet("127.0.0.1", 0)}, ok());
  port0.run(op::Shutdown{1, SHUT_RDWR}, ok());
  EXPECT_EQ(kind(port0, op::Send{1}, fail(EINVAL)), VerdictKind::kKnown);
  EXPECT_EQ(kind(port0, op::Send{1}, fail(EPIPE)), VerdictKind::kViolation);
  Scenario device;  // a made-up sin6_scope_id binds the socket to no device
  device.run(op::Socket{1, AF_INET6, SOCK_DGRAM}, ok());
  device.run(op::Connect{1, Address::inet6("::1", 5001)}, ok());
  Address ll = Address::inet6("ff02::1", 9, 0, 3503345872u);
  device.run(op::Connect{1, ll}, fail(ENETUNREACH));
  EXPECT_EQ(kind(device, op::Send{1}, fail(ENETUNREACH)), VerdictKind::kKnown);
  EXPECT_EQ(kind(device, op::Send{1}, fail(ENODEV)), VerdictKind::kKnown);
  EXPECT_EQ(kind(device, op::Send{1}, fail(EBADF)), VerdictKind::kViolation);  // the fd is there
}

}  // namespace
}  // namespace conncheck
