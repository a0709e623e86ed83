// Replay driver for builds without libFuzzer (the plain preset): runs each
// file named on the command line (or each file in a named directory)
// through the target's LLVMFuzzerTestOneInput once, like libFuzzer's
// regression mode, so seeds and regressions replay without clang.
//
//   connect_sockaddr_fuzzer corpus/connect_sockaddr_fuzzer/* corpus/regressions/*
//
// Flags (arguments starting with '-') are accepted and ignored, so the
// command lines of the two builds are the same. A .json file that is not a
// Program, or a file that cannot be read, is skipped with one line.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "program/program.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// Why a .json file is not a replayable Program, or empty if it is one.
std::string json_problem(const std::vector<std::uint8_t>& bytes) {
  const auto j = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (j.is_discarded()) return "not valid JSON";
  try {
    const conncheck::Program p = j.get<conncheck::Program>();
    return conncheck::validate(p);
  } catch (const std::exception& e) {
    return std::string("not a Program: ") + e.what();
  }
}

std::vector<fs::path> inputs(int argc, char** argv) {
  std::vector<fs::path> out;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') continue;
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      std::vector<fs::path> dir;
      for (const auto& e : fs::directory_iterator(argv[i], ec))
        if (e.is_regular_file()) dir.push_back(e.path());
      std::sort(dir.begin(), dir.end());
      out.insert(out.end(), dir.begin(), dir.end());
    } else {
      out.emplace_back(argv[i]);
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  int ran = 0, skipped = 0;
  for (const fs::path& p : inputs(argc, argv)) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "skipping %s: cannot read it\n", p.c_str());
      ++skipped;
      continue;
    }
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                          std::istreambuf_iterator<char>()};
    if (p.extension() == ".json") {
      if (const std::string why = json_problem(bytes); !why.empty()) {
        std::fprintf(stderr, "skipping %s: %s\n", p.c_str(), why.c_str());
        ++skipped;
        continue;
      }
    }
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());  // aborts on a finding
    ++ran;
  }
  std::fprintf(stderr, "replayed %d inputs, skipped %d\n", ran, skipped);
  return 0;
}
