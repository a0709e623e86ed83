// The sandbox: only lo and our own veth pair, no default route, its own
// namespace; and the destination guard's rule for life outside it.
#include <sys/socket.h>
#include <sys/stat.h>

#include <gmock/gmock.h>

#include <gtest/gtest.h>

#include "exec/destination_guard.h"
#include "exec/executor.h"
#include "outcome_matchers.h"
#include "sandbox/sandbox.h"

namespace conncheck {
namespace {

TEST(Sandbox, OnlyLoopbackAndOurVethPairNoDefaultRoute) {
  const SandboxWorld& entered = Sandbox::enter();
  SandboxWorld w = Sandbox::inspect();
  w.host_netns_inode = entered.host_netns_inode;
  EXPECT_NE(w.netns_inode, w.host_netns_inode);
  std::set<std::string> names;
  for (const auto& i : w.interfaces) {
    names.insert(i.name);
    EXPECT_GE(i.peer_ifindex, 0) << i.name << " has a peer outside this namespace";
  }
  EXPECT_EQ(names, (std::set<std::string>{"lo", world::kVethA, world::kVethB}));
  for (const auto& r : w.routes) EXPECT_FALSE(r.is_default) << r.text;
  EXPECT_TRUE(Sandbox::isolation_problems(w).empty());
}

// isolation_problems is the proof sandbox-check prints: show it can fail.
TEST(Sandbox, IsolationCheckFlagsAWayOut) {
  SandboxWorld w = Sandbox::inspect();
  w.host_netns_inode = Sandbox::enter().host_netns_inode;
  SandboxWorld bad = w;
  bad.interfaces.push_back({"eth0", 99, true, "other", 0, {"192.168.1.5/24"}});
  bad.routes.push_back({"unicast default via 192.168.1.1 dev eth0", true});
  bad.interfaces.push_back({"cc9", 98, true, "veth", -1, {}});
  const auto p = Sandbox::isolation_problems(bad);
  ASSERT_EQ(p.size(), 4u);  // eth0, cc9 (not ours), cc9 (peer elsewhere), default route
  EXPECT_NE(p[0].find("unexpected interface eth0"), std::string::npos);
  SandboxWorld same_ns = w;
  same_ns.host_netns_inode = same_ns.netns_inode;
  EXPECT_EQ(Sandbox::isolation_problems(same_ns).size(), 1u);
}

// The filesystem half: a Program's bind() of a path outside the scratch
// tmpfs mounts is EROFS, and the isolation check says when it would not be.
TEST(Sandbox, FilesystemIsPrivateAndReadOnlyOutsideScratch) {
  const SandboxWorld& w = Sandbox::enter();
  SandboxWorld seen = Sandbox::inspect();
  seen.host_netns_inode = w.host_netns_inode;
  seen.host_mntns_inode = w.host_mntns_inode;
  EXPECT_NE(seen.mntns_inode, w.host_mntns_inode);
  EXPECT_TRUE(seen.root_read_only);
  EXPECT_THAT(seen.scratch_dirs, ::testing::Contains("/tmp"));
  EXPECT_TRUE(w.unix_dir.starts_with("/tmp/conncheck.")) << w.unix_dir;
  const auto bind_at = [](const std::string& path) {
    Program p{{op::Socket{0, AF_UNIX, SOCK_STREAM}, op::Bind{0, Address::unix_path(path)}}};
    return execute(p).steps.back().outcome;
  };
  EXPECT_THAT(bind_at("/conncheck-must-not-exist"), FailsWith(EROFS));
  EXPECT_THAT(bind_at("/tmp/conncheck-scratch"), Succeeds());
  EXPECT_TRUE(Sandbox::isolation_problems(seen).empty());

  SandboxWorld bad = seen;
  bad.host_mntns_inode = bad.mntns_inode;
  bad.scratch_dirs.clear();
  bad.root_read_only = false;
  const auto p = Sandbox::isolation_problems(bad);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NE(p[0].find("mount namespace"), std::string::npos);
  EXPECT_EQ(p[1], "/tmp is not a private tmpfs");
  EXPECT_EQ(p[2], "/ is writable");
}

// fresh_files(): what one backend's run made is gone before the next, the
// private AF_UNIX directory stays (empty).
TEST(Sandbox, FreshFilesEmptiesScratchKeepsUnixDir) {
  const std::string& dir = Sandbox::enter().unix_dir;
  Program p{{op::Socket{0, AF_UNIX, SOCK_STREAM}, op::Bind{0, Address::unix_path("/tmp/conncheck")},
             op::Socket{1, AF_UNIX, SOCK_STREAM}, op::Bind{1, Address::unix_path(dir + "/s")}}};
  const Trace t = execute(p);
  ASSERT_THAT(t.steps[1].outcome, Succeeds());
  ASSERT_THAT(t.steps[3].outcome, Succeeds());
  Sandbox::fresh_files();
  struct stat st;
  EXPECT_NE(::lstat("/tmp/conncheck", &st), 0);
  EXPECT_NE(::lstat((dir + "/s").c_str(), &st), 0);
  EXPECT_EQ(::lstat(dir.c_str(), &st), 0);
  EXPECT_THAT(execute(p).steps[1].outcome, Succeeds());  // the name is free again
}

TEST(Sandbox, RouteTypesGiveTheirErrnos) {
  const auto run = [](const Address& a) {
    Program p{{op::Socket{0, a.family(), SOCK_STREAM}, op::Connect{0, a}}};
    return execute(p).steps.back().outcome;
  };
  EXPECT_THAT(run(Address::inet(world::kNoRoute4, 1)), FailsWith(ENETUNREACH));
  EXPECT_THAT(run(Address::inet(world::kUnreachable4, 1)), FailsWith(EHOSTUNREACH));
  EXPECT_THAT(run(Address::inet(world::kProhibit4, 1)), FailsWith(EACCES));
  EXPECT_THAT(run(Address::inet(world::kBlackhole4, 1)), FailsWith(EINVAL));
  EXPECT_THAT(run(Address::inet6(world::kNoRoute6, 1)), FailsWith(ENETUNREACH));
  EXPECT_THAT(run(Address::inet6(world::kUnreachable6, 1)), FailsWith(EHOSTUNREACH));
  EXPECT_THAT(run(Address::inet6(world::kProhibit6, 1)), FailsWith(EACCES));
  EXPECT_THAT(run(Address::inet6(world::kBlackhole6, 1)), FailsWith(EINVAL));
}

TEST(Sandbox, LocalPortRangeIsSetAndRestored) {
  const auto before = LocalPortRange::current();
  {
    LocalPortRange one(40000, 40000);
    EXPECT_EQ(LocalPortRange::current(), std::make_pair(40000, 40000));
  }
  EXPECT_EQ(LocalPortRange::current(), before);
}

TEST(DestinationGuard, AllowsOnlyProvablyLocalOutsideTheSandbox) {
  for (const Address& ok : {Address::inet("127.0.0.1", 1), Address::inet("127.9.9.9", 1),
                            Address::inet("0.0.0.0", 1), Address::inet6("::1", 1),
                            Address::inet6_v4mapped("127.0.0.1", 1), Address::unix_path("/tmp/x"),
                            Address::unspec(), Address::inet("8.8.8.8", 53).at(Placement::kNull),
                            Address::inet("8.8.8.8", 53).with_addrlen(15)}) {
    EXPECT_EQ(refusal_outside_sandbox(ok), "") << to_string(ok);
  }
  for (const Address& bad :
       {Address::inet("8.8.8.8", 53), Address::inet("10.0.0.1", 1), Address::inet("192.168.1.1", 1),
        Address::inet6("2001:db8::1", 1), Address::inet6_v4mapped("10.0.0.1", 1),
        Address::raw(AF_VSOCK, std::vector<std::uint8_t>(14)),
        Address::raw(AF_INET, {0, 53, 8, 8}).with_addrlen(16),  // zeros follow: 8.8.0.0
        Address::inet("8.8.8.8", 53).at(Placement::kGuardEnd)}) {
    EXPECT_NE(refusal_outside_sandbox(bad), "") << to_string(bad);
  }
}

TEST(DestinationGuard, OnlySafeSocketDomains) {
  EXPECT_EQ(socket_domain_refusal(AF_INET), "");
  EXPECT_EQ(socket_domain_refusal(AF_UNIX), "");
  EXPECT_NE(socket_domain_refusal(AF_VSOCK), "");
  EXPECT_NE(socket_domain_refusal(AF_BLUETOOTH), "");
  // The executor does not create a refused domain: no fd, no syscall.
  const Trace t = execute(Program{{op::Socket{0, AF_VSOCK, SOCK_STREAM}}});
  EXPECT_TRUE(t.steps[0].outcome.refused);
}

}  // namespace
}  // namespace conncheck
