// Fuzz input format (fuzz_input.h): every byte string decodes to a valid
// Program, decoding is deterministic, encoding is its inverse, and the
// seeds made from the conformance matrix decode to valid Programs.
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_input.h"

namespace conncheck {
namespace {

std::vector<std::vector<std::uint8_t>> random_inputs(int n) {
  std::mt19937 rng(12345);  // fixed: the same inputs on every run
  std::vector<std::vector<std::uint8_t>> out{{}};
  for (int i = 0; i < n; ++i) {
    std::vector<std::uint8_t> b(rng() % 400);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    out.push_back(std::move(b));
  }
  return out;
}

TEST(FuzzInput, EveryInputDecodesToAValidProgramTheSameWayTwice) {
  for (FuzzTarget t : kAllFuzzTargets) {
    for (const auto& in : random_inputs(3000)) {
      const Program p = decode_input(t, in);
      ASSERT_EQ(validate(p), "") << target_name(t);
      ASSERT_EQ(nlohmann::json(p), nlohmann::json(decode_input(t, in)));
      if (t != FuzzTarget::kSockaddr) {
        ASSERT_LE(p.ops.size(), 16u);
      }
    }
  }
}

TEST(FuzzInput, SockaddrInputsEndInOneConnectOnSlotZero) {
  for (const auto& in : random_inputs(500)) {
    const Program p = decode_input(FuzzTarget::kSockaddr, in);
    ASSERT_FALSE(p.ops.empty());
    const auto* c = std::get_if<op::Connect>(&p.ops.back());
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->slot, 0);
  }
}

// print(parse(print(p))) == print(p), for the program format: encoding a
// decoded Program gives bytes that decode to it again.
TEST(FuzzInput, EncodeInvertsDecodeForPrograms) {
  for (FuzzTarget t : {FuzzTarget::kProgram, FuzzTarget::kBackendDiff}) {
    for (const auto& in : random_inputs(2000)) {
      const Program p = decode_input(t, in);
      bool exact = false;
      const auto bytes = encode_input(t, p, &exact);
      ASSERT_TRUE(exact) << nlohmann::json(p).dump();
      ASSERT_EQ(nlohmann::json(decode_input(t, bytes)), nlohmann::json(p));
    }
  }
}

TEST(FuzzInput, OnlySandboxSafeSocketDomains) {
  for (const auto& in : random_inputs(2000))
    for (const Op& o : decode_input(FuzzTarget::kProgram, in).ops)
      if (const auto* s = std::get_if<op::Socket>(&o)) {
        EXPECT_TRUE(s->domain == AF_INET || s->domain == AF_INET6 || s->domain == AF_UNIX)
            << s->domain;
      }
}

TEST(FuzzInput, SeedsComeFromTheMatrixAndDecode) {
  for (FuzzTarget t : kAllFuzzTargets) {
    const auto seeds = conform_seeds(t);
    EXPECT_GE(seeds.size(), 100u) << target_name(t);
    int exact = 0;
    for (const Seed& s : seeds) {
      EXPECT_EQ(validate(decode_input(t, s.bytes)), "") << s.name;
      exact += s.exact;
    }
    // The program format expresses the matrix's Programs; the sockaddr
    // format keeps only the last connect and approximates its prior state.
    if (t != FuzzTarget::kSockaddr) {
      EXPECT_GE(exact * 100, static_cast<int>(seeds.size()) * 90) << target_name(t);
    }
  }
}

TEST(FuzzInput, TargetNamesParse) {
  for (FuzzTarget t : kAllFuzzTargets) {
    FuzzTarget back{};
    ASSERT_TRUE(parse_target(target_name(t), &back));
    EXPECT_EQ(back, t);
  }
  FuzzTarget t{};
  EXPECT_TRUE(parse_target("backend_diff", &t));
  EXPECT_EQ(t, FuzzTarget::kBackendDiff);
  EXPECT_FALSE(parse_target("nope", &t));
}

TEST(FuzzInput, JsonProgramsAreTakenAsPrograms) {
  Program p;
  p.ops.push_back(op::Socket{0, AF_INET, SOCK_STREAM, 0});
  p.ops.push_back(op::Connect{0, Address::inet("127.0.0.1", 1)});
  const std::string text = nlohmann::json(p).dump();
  bool was_json = false;
  const Program q =
      input_program(FuzzTarget::kProgram,
                    {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, &was_json);
  EXPECT_TRUE(was_json);
  EXPECT_EQ(nlohmann::json(q), nlohmann::json(p));
  const std::string broken = "[{\"op\": \"frob\"}]";
  input_program(FuzzTarget::kProgram,
                {reinterpret_cast<const std::uint8_t*>(broken.data()), broken.size()}, &was_json);
  EXPECT_FALSE(was_json);
}

TEST(FuzzInput, CleanRunsAreNotFindingsAndLeaveNothingOpen) {
  for (FuzzTarget t : kAllFuzzTargets) {
    const auto seeds = conform_seeds(t);
    for (std::size_t i = 0; i < seeds.size(); i += 10) {
      const TargetResult r = run_target(t, decode_input(t, seeds[i].bytes));
      EXPECT_FALSE(r.finding) << seeds[i].name << "\n" << r.report;
    }
  }
}

}  // namespace
}  // namespace conncheck
