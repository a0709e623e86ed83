// The C reproducer's own cases: every op kind and placement, an interrupted
// connect, only the set-up a Program needs; and the AF_UNIX path rebasing
// that replays a recorded run's paths in this run's private directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "conform/conform.h"
#include "emit_c_replay.h"
#include "exec/executor.h"
#include "fuzz/fuzz_input.h"
#include "program/unix_dirs.h"
#include "repro/emit_c.h"
#include "sandbox/sandbox.h"

namespace conncheck {
namespace {

using namespace emit_c_test;

// Every op kind and every placement, in one Program.
Program every_op_kind(const std::string& listener) {
  Program p;
  p.ops = {
      op::Socket{0, AF_INET, SOCK_STREAM, 0},
      op::Connect{0, Address::inet("127.0.0.1", 1).at(Placement::kNull)},
      op::Connect{0, Address::inet("127.0.0.1", 1).at(Placement::kUnmapped)},
      op::Connect{0, Address::inet("127.0.0.1", 1).with_addrlen(17).at(Placement::kGuardEnd)},
      op::Connect{0, Address::inet("127.0.0.1", 1).with_addrlen(8)},
      op::Connect{0, Address::raw(AF_INET, {0x00, 0x50}).with_addrlen(64)},
      op::Socket{1, AF_UNIX, SOCK_STREAM, 0},
      op::Bind{1, Address::unix_path(listener)},
      op::Listen{1, 1},
      op::Socket{2, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0},
      op::Connect{2, Address::unix_path(listener)},
      op::Accept{1, 3},
      op::Send{2, 3},
      op::Recv{3},
      op::GetPeerName{2},
      op::GetSockName{2},
      op::Shutdown{2, SHUT_WR},
      op::Socket{4, AF_INET, SOCK_DGRAM, 0},
      op::SetSockOpt{4, SOL_SOCKET, SO_BROADCAST, 0},
      op::SendTo{4, Address::inet(world::kBroadcast4, 9)},
      op::Connect{4, Address::inet(world::kUnreachable4, 9)},
      op::Connect{4, Address::inet(world::kProhibit4, 9)},
      op::Connect{4, Address::unspec()},
      op::SetNonblock{4, true},
      op::PollOut{4, 10},
      op::GetSoError{4},
      op::Socket{5, AF_UNIX, SOCK_DGRAM, 0},
      op::Connect{5, Address::unix_abstract("conncheck-emit-c")},
      op::Socket{6, 40 /* AF_VSOCK: refused by the harness */, SOCK_STREAM, 0},
      op::NotSocket{7},
      op::Connect{7, Address::inet("127.0.0.1", 1)},
      op::Close{7},
      op::Close{7},
  };
  return p;
}

TEST(EmitC, EveryOpKindAndPlacement) {
  TempDir dir;
  for (Backend b : kAllBackends) {
    // A listener path per backend: a bound AF_UNIX path stays taken after close.
    const Program p =
        every_op_kind(fmt::format("{}/listener-{}", Sandbox::enter().unix_dir, backend_name(b)));
    ASSERT_EQ(validate(p), "");
    const std::string d =
        compare(p, b, std::chrono::milliseconds(2000), "every-op", dir, static_cast<int>(b));
    if (!d.empty()) ADD_FAILURE() << d;
  }
}

TEST(EmitC, InterruptedConnectIsReplayed) {
  TempDir dir;
  Program p;
  // A full accept queue on loopback: the blocking connect waits until SIGUSR1.
  p.ops = {op::Socket{0, AF_INET, SOCK_STREAM, 0},
           op::Bind{0, Address::inet("127.0.0.1", 4321)},
           op::Listen{0, 0},
           op::Socket{1, AF_INET, SOCK_STREAM, 0},
           op::Connect{1, Address::inet("127.0.0.1", 4321)},
           op::Socket{2, AF_INET, SOCK_STREAM, 0},
           op::Connect{2, Address::inet("127.0.0.1", 4321), 100}};
  if (const std::string d =
          compare(p, Backend::kSyscall, std::chrono::milliseconds(2000), "interrupt", dir, 0);
      !d.empty())
    ADD_FAILURE() << d;
}

TEST(EmitC, SetsUpOnlyWhatTheProgramNeeds) {
  Program lo;
  lo.ops = {op::Socket{0, AF_INET, SOCK_STREAM, 0}, op::Connect{0, Address::inet("127.0.0.1", 1)}};
  EmitNeeds n = emit_needs(lo, Backend::kLibc);
  EXPECT_FALSE(n.world);
  EXPECT_FALSE(n.unix_dir);
  EXPECT_FALSE(n.io_uring);
  const std::string c = emit_c(lo, {});
  EXPECT_EQ(c.find("build_world();\n  arena"), std::string::npos);
  EXPECT_NE(c.find("enter_sandbox();"), std::string::npos);

  Program w = lo;
  w.ops.push_back(op::Connect{0, Address::inet(world::kBlackhole4, 1)});
  EXPECT_TRUE(emit_needs(w, Backend::kIoUring).world);
  EXPECT_TRUE(emit_needs(w, Backend::kIoUring).io_uring);
  // A NULL placement never reads the bytes: no world for it.
  Program nul = lo;
  nul.ops.push_back(op::Connect{0, Address::inet(world::kBlackhole4, 1).at(Placement::kNull)});
  EXPECT_FALSE(emit_needs(nul, Backend::kLibc).world);
}

// The world is built for the addresses world/world.h's table routes (the
// veth subnets, the typed routes), and not for their neighbours outside
// it, which are ENETUNREACH with or without the world.
TEST(EmitC, NeedsTheWorldForTheWorldTableOnly) {
  auto needs = [](const Address& a) {
    Program p;
    p.ops = {op::Socket{0, a.family(), SOCK_STREAM, 0}, op::Connect{0, a}};
    return emit_needs(p, Backend::kLibc).world;
  };
  for (const world::TypedRoute& r : world::kTypedRoutes) {
    EXPECT_TRUE(needs(Address::inet(r.example4, 1))) << r.example4;
    EXPECT_TRUE(needs(Address::inet6(r.example6, 1))) << r.example6;
    EXPECT_TRUE(needs(Address::inet6_v4mapped(r.example4, 1))) << r.example4;
  }
  for (const char* a : {world::kVethAddr4, world::kVethPeer4, world::kBroadcast4})
    EXPECT_TRUE(needs(Address::inet(a, 1))) << a;
  EXPECT_TRUE(needs(Address::inet6(world::kVethPeer6, 1)));
  EXPECT_TRUE(needs(Address::inet("255.255.255.255", 1)));
  // Beside the table: the /24s and /48s next to the routes, past the veth's /24 and /64.
  for (const char* a : {"10.255.4.1", "10.255.0.1", "10.254.1.1", world::kNoRoute4})
    EXPECT_FALSE(needs(Address::inet(a, 1))) << a;
  for (const char* a : {"fd00:255:4::1", "fd00:254:0:1::1", world::kNoRoute6})
    EXPECT_FALSE(needs(Address::inet6(a, 1))) << a;
}

TEST(UnixDirs, RebaseKeepsLengthAndOtherBytes) {
  Program p;
  p.ops = {op::Socket{0, AF_UNIX, SOCK_STREAM, 0},
           op::Connect{0, Address::unix_path("/tmp/conncheck.AbC123/b0-1")},
           op::Connect{0, Address::unix_path("/elsewhere/conncheck.x/b")},
           op::Bind{0, Address::unix_path("/tmp/conncheck.Zz9999")}};
  const auto refs = unix_dir_refs(p);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].dir, "/tmp/conncheck.AbC123");
  const Program q = rebase_unix_dirs(p, "/tmp/conncheck.qqqqqq");
  EXPECT_EQ(std::get<op::Connect>(q.ops[1]).addr, Address::unix_path("/tmp/conncheck.qqqqqq/b0-1"));
  EXPECT_EQ(std::get<op::Connect>(q.ops[2]).addr, std::get<op::Connect>(p.ops[2]).addr);
  EXPECT_EQ(std::get<op::Bind>(q.ops[3]).addr, Address::unix_path("/tmp/conncheck.qqqqqq"));
  // Another length would change addrlen: left alone.
  EXPECT_EQ(nlohmann::json(rebase_unix_dirs(p, "/var/tmp/conncheck.qqqqqq")), nlohmann::json(p));
}

}  // namespace
}  // namespace conncheck
