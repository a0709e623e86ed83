// The C reproducer against the harness: for every JSON Program under
// corpus/ and the conformance matrix's Programs, emit C, build it with `cc`
// alone, run it, and check it prints the same outcomes as execute().
//
// Compared per step: the return value and errno name (fd-returning ops only
// by success, since fd numbers differ between processes), and the call text
// with fd numbers masked. Not compared: post-state and elapsed time (the C
// program does not time calls, and kernel-chosen local ports differ between
// any two runs), and the argument text of getpeername/getsockname (it
// carries those ports).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "conform/conform.h"
#include "repro/emit_c.h"
#include "exec/executor.h"
#include "fuzz/fuzz_input.h"
#include "sandbox/sandbox.h"
#include "program/unix_dirs.h"

namespace conncheck {
namespace {

namespace fs = std::filesystem;

// A private directory for the C files and binaries, removed at the end.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& stem = "emit_c_test") {
    std::string t = (fs::temp_directory_path() / (stem + ".XXXXXX")).string();
    path = ::mkdtemp(t.data()) ? fs::path(t) : fs::path();
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct Run {
  int status = -1;  // exit status, or -1
  std::string out;
};

Run run_command(const std::string& cmd) {
  Run r;
  FILE* f = ::popen((cmd + " 2>&1").c_str(), "r");
  if (f == nullptr) return r;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) r.out.append(buf, n);
  const int st = ::pclose(f);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// A trace line split into its call text and its result ("-1 EINPROGRESS", "3", "?").
struct Line {
  std::string call, ret, err;
};

Line split(const std::string& line) {
  static const std::regex result(R"( = (-?\d+|\?)(?: (E[A-Z0-9]+))?)");
  Line l;
  std::smatch m;
  std::string::const_iterator from = line.begin();
  std::size_t at = std::string::npos;
  for (std::smatch x; std::regex_search(from, line.end(), x, result); from = x[0].second) {
    m = x;
    at = static_cast<std::size_t>(x[0].first - line.begin());
  }
  if (at == std::string::npos) return {line, "", ""};
  l.call = line.substr(0, at);
  l.ret = m[1];
  l.err = m[2];
  // fd numbers differ between processes: mask them.
  l.call = std::regex_replace(l.call, std::regex(R"(^(\w+)\(-?\d+)"), "$1(FD");
  l.call = std::regex_replace(l.call, std::regex(R"(fd=-?\d+)"), "fd=FD");
  return l;
}

bool returns_fd(const Op& op) {
  return std::holds_alternative<op::Socket>(op) || std::holds_alternative<op::NotSocket>(op) ||
         std::holds_alternative<op::Accept>(op);
}
bool shows_ports(const Op& op) {
  return std::holds_alternative<op::GetPeerName>(op) || std::holds_alternative<op::GetSockName>(op);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  std::string line;
  for (std::istringstream in(text); std::getline(in, line);)
    if (line.rfind("repro:", 0) != 0) v.push_back(line);  // stderr notes are not trace lines
  return v;
}

// Runs `p` in the harness and as emitted C; returns "" when they agree,
// else what differs.
std::string compare(const Program& recorded, Backend b, std::chrono::milliseconds bound, const std::string& origin,
                    const TempDir& dir, int n) {
  // A fresh AF_UNIX directory for every run, made as Sandbox::enter makes
  // its own (so of the same length): a path bound by an earlier Program in
  // this process stays taken, and the C program starts from an empty one.
  const TempDir unix_dir("conncheck");
  const Program p = rebase_unix_dirs(recorded, unix_dir.path.string());
  const Trace t = execute(p, {.backend = b, .bound = bound});
  EmitOptions o{.backend = b, .origin = origin, .bound = bound};
  for (const Step& s : t.steps) o.expected.push_back(s.outcome);
  const fs::path c = dir.path / fmt::format("r{}.c", n);
  const fs::path bin = dir.path / fmt::format("r{}", n);
  std::ofstream(c) << emit_c(p, o);
  // -Wall -Wextra -Werror: a reproducer a maintainer reads should build clean.
  if (Run cc = run_command(fmt::format("cc -Wall -Wextra -Werror -o {} {}", bin.string(), c.string()));
      cc.status != 0)
    return fmt::format("{}: cc failed:\n{}", origin, cc.out);
  const Run r = run_command(bin.string());
  const std::vector<std::string> got = lines_of(r.out);
  std::string diff;
  if (r.status != 0) diff += fmt::format("  exit status {} (0 = every step as recorded)\n", r.status);
  if (got.size() != t.steps.size()) diff += fmt::format("  {} lines for {} steps\n", got.size(), t.steps.size());
  for (std::size_t i = 0; i < std::min(got.size(), t.steps.size()); ++i) {
    const Step& s = t.steps[i];
    const Line want = split(step_to_string(s));
    const Line have = split(got[i]);
    const bool same_ret = returns_fd(s.op) && want.ret != "-1" && want.ret != "?"
                              ? have.ret != "-1" && have.ret != "?"
                              : have.ret == want.ret;
    if (!same_ret || have.err != want.err || (!shows_ports(s.op) && have.call != want.call))
      diff += fmt::format("  step {}:\n    harness: {}\n    C:       {}\n", i, step_to_string(s), got[i]);
  }
  return diff.empty() ? "" : fmt::format("{} [{}]:\n{}{}", origin, backend_name(b), diff, r.out);
}

std::vector<fs::path> corpus_programs() {
  std::vector<fs::path> v;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(CONNCHECK_SOURCE_DIR) / "corpus"))
    if (e.is_regular_file() && e.path().extension() == ".json") v.push_back(e.path());
  std::sort(v.begin(), v.end());
  return v;
}

Program load(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in).get<Program>();
}

// In shards, like the seeds below: corpus/ grows with every regression, and
// one test per backend for all of it passed 53 s of ctest's 60 s timeout
// when three ran on two cores (issue 14).
constexpr int kCorpusShards = 4;
class EmitCBackend : public ::testing::TestWithParam<std::tuple<Backend, int>> {};

TEST_P(EmitCBackend, CorpusProgramsReplayIdentically) {
  const auto [backend, shard] = GetParam();
  TempDir dir;
  ASSERT_FALSE(dir.path.empty());
  const auto files = corpus_programs();
  ASSERT_FALSE(files.empty()) << "no JSON Program under corpus/";
  // The Programs run one after another here and each C reproducer in a fresh
  // namespace: a TIME_WAIT socket left by one must not hold the next's port.
  ASSERT_TRUE(Sandbox::drop_time_wait());
  for (std::size_t i = static_cast<std::size_t>(shard); i < files.size(); i += kCorpusShards) {
    const Program p = rebase_unix_dirs(load(files[i]), Sandbox::enter().unix_dir);
    if (const std::string d = compare(p, backend, std::chrono::milliseconds(2000), files[i].filename().string(), dir,
                                      static_cast<int>(i));
        !d.empty())
      ADD_FAILURE() << d;
  }
}

// The matrix's Programs, in shards so each test stays well inside ctest's
// timeout (io_uring cases wait out their bound, twice: harness and C).
constexpr int kShards = 3;
class EmitCConform : public ::testing::TestWithParam<std::tuple<Backend, int>> {};

TEST_P(EmitCConform, ConformanceProgramsReplayIdentically) {
  TempDir dir;
  ASSERT_FALSE(dir.path.empty());
  const auto [backend, shard] = GetParam();
  int n = 0, compared = 0;
  for (const ConformCase& c : conform_cases(Sandbox::enter(), static_cast<int>(backend))) {
    // Setups change the whole process (caps, cgroups, sysctls) and slow
    // cases wait on TCP timers for seconds; both are left to `conform`.
    if (c.setup != Setup::kNone || c.slow || n++ % kShards != shard) continue;
    const std::string d = compare(c.program, backend, c.bound, c.name, dir, n);
    if (!d.empty()) ADD_FAILURE() << d;
    ++compared;
  }
  EXPECT_GT(compared, 10);
  RecordProperty("compared", compared);
}

INSTANTIATE_TEST_SUITE_P(AllBackends, EmitCConform,
                         ::testing::Combine(::testing::ValuesIn(kAllBackends), ::testing::Range(0, kShards)),
                         [](const auto& info) {
                           return fmt::format("{}_shard{}", backend_name(std::get<0>(info.param)),
                                              std::get<1>(info.param));
                         });

INSTANTIATE_TEST_SUITE_P(AllBackends, EmitCBackend,
                         ::testing::Combine(::testing::ValuesIn(kAllBackends), ::testing::Range(0, kCorpusShards)),
                         [](const auto& info) {
                           return fmt::format("{}_shard{}", backend_name(std::get<0>(info.param)),
                                              std::get<1>(info.param));
                         });

// The fuzz targets' seed corpora (raw inputs, generated from the matrix's
// Programs), decoded as the target decodes them. One backend per target
// keeps the run short: sockaddr seeds through syscall, program seeds
// through libc, backend-diff seeds through io_uring (the odd one out).
// Twelve shards keep each test a few seconds of compiling and replaying:
// a seed that blocks costs its 2 s bound twice (harness and C), and `cc`
// per seed is slow on a loaded 2-core machine; ctest's timeout must stay
// far away however busy the machine is (issue 14).
constexpr int kSeedShards = 12;
class EmitCSeeds : public ::testing::TestWithParam<std::tuple<FuzzTarget, int>> {};

TEST_P(EmitCSeeds, SeedsReplayIdentically) {
  const auto [target, shard] = GetParam();
  const fs::path seeds = fs::path(CONNCHECK_SOURCE_DIR) / "corpus" / std::string(target_name(target));
  if (!fs::is_directory(seeds)) GTEST_SKIP() << "no seed corpus at " << seeds;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(seeds))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const Backend b = target == FuzzTarget::kSockaddr ? Backend::kSyscall
                    : target == FuzzTarget::kProgram ? Backend::kLibc
                                                     : Backend::kIoUring;
  TempDir dir;
  ASSERT_FALSE(dir.path.empty());
  // As in the fuzz targets (fuzz_run.cc) and the corpus replay above: the
  // seeds run one after another in this namespace and each C reproducer in
  // a fresh one, so no TIME_WAIT socket may carry a port (an explicit one,
  // or an ephemeral one chosen at random) from one seed into the next.
  ASSERT_TRUE(Sandbox::drop_time_wait());
  for (std::size_t i = static_cast<std::size_t>(shard); i < files.size(); i += kSeedShards) {
    std::ifstream in(files[i], std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const Program p = rebase_unix_dirs(decode_input(target, bytes), Sandbox::enter().unix_dir);
    ASSERT_EQ(validate(p), "") << files[i];
    const std::string d = compare(p, b, std::chrono::milliseconds(2000), files[i].filename().string(), dir,
                                  static_cast<int>(i));
    if (!d.empty()) ADD_FAILURE() << d;
  }
}

INSTANTIATE_TEST_SUITE_P(AllTargets, EmitCSeeds,
                         ::testing::Combine(::testing::ValuesIn(kAllFuzzTargets), ::testing::Range(0, kSeedShards)),
                         [](const auto& info) {
                           return fmt::format("{}_shard{}", target_name(std::get<0>(info.param)),
                                              std::get<1>(info.param));
                         });

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
    const Program p = every_op_kind(fmt::format("{}/listener-{}", Sandbox::enter().unix_dir, backend_name(b)));
    ASSERT_EQ(validate(p), "");
    const std::string d = compare(p, b, std::chrono::milliseconds(2000), "every-op", dir, static_cast<int>(b));
    if (!d.empty()) ADD_FAILURE() << d;
  }
}

TEST(EmitC, InterruptedConnectIsReplayed) {
  TempDir dir;
  Program p;
  // A full accept queue on loopback: the blocking connect waits until SIGUSR1.
  p.ops = {op::Socket{0, AF_INET, SOCK_STREAM, 0}, op::Bind{0, Address::inet("127.0.0.1", 4321)},
           op::Listen{0, 0}, op::Socket{1, AF_INET, SOCK_STREAM, 0},
           op::Connect{1, Address::inet("127.0.0.1", 4321)}, op::Socket{2, AF_INET, SOCK_STREAM, 0},
           op::Connect{2, Address::inet("127.0.0.1", 4321), 100}};
  if (const std::string d = compare(p, Backend::kSyscall, std::chrono::milliseconds(2000), "interrupt", dir, 0); !d.empty()) ADD_FAILURE() << d;
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
