// The C reproducer against the harness, for every Program it will meet:
// each JSON Program under corpus/, the conformance matrix's Programs and
// the fuzz seeds, under each backend, emitted, built with `cc` alone, run,
// and held to the same outcomes as execute() (emit_c_replay.h).
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
    if (const std::string d = compare(p, backend, std::chrono::milliseconds(2000),
                                      files[i].filename().string(), dir, static_cast<int>(i));
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
                         ::testing::Combine(::testing::ValuesIn(kAllBackends),
                                            ::testing::Range(0, kShards)),
                         [](const auto& info) {
                           return fmt::format("{}_shard{}", backend_name(std::get<0>(info.param)),
                                              std::get<1>(info.param));
                         });

INSTANTIATE_TEST_SUITE_P(AllBackends, EmitCBackend,
                         ::testing::Combine(::testing::ValuesIn(kAllBackends),
                                            ::testing::Range(0, kCorpusShards)),
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
  const fs::path seeds =
      fs::path(CONNCHECK_SOURCE_DIR) / "corpus" / std::string(target_name(target));
  if (!fs::is_directory(seeds)) GTEST_SKIP() << "no seed corpus at " << seeds;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(seeds))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const Backend b = target == FuzzTarget::kSockaddr  ? Backend::kSyscall
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
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                          std::istreambuf_iterator<char>()};
    const Program p = rebase_unix_dirs(decode_input(target, bytes), Sandbox::enter().unix_dir);
    ASSERT_EQ(validate(p), "") << files[i];
    const std::string d = compare(p, b, std::chrono::milliseconds(2000),
                                  files[i].filename().string(), dir, static_cast<int>(i));
    if (!d.empty()) ADD_FAILURE() << d;
  }
}

INSTANTIATE_TEST_SUITE_P(AllTargets, EmitCSeeds,
                         ::testing::Combine(::testing::ValuesIn(kAllFuzzTargets),
                                            ::testing::Range(0, kSeedShards)),
                         [](const auto& info) {
                           return fmt::format("{}_shard{}", target_name(std::get<0>(info.param)),
                                              std::get<1>(info.param));
                         });

}  // namespace
}  // namespace conncheck
