// What the emitted-C tests share: build and run a Program's reproducer and
// compare its lines with the harness's run of the same Program (compare()).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "exec/executor.h"
#include "program/backend_kind.h"
#include "program/program.h"

namespace conncheck::emit_c_test {

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

// Runs `recorded` in the harness and as emitted C (file number `n` in
// `dir`); returns "" when they agree, else what differs.
std::string compare(const Program& recorded, Backend b, std::chrono::milliseconds bound,
                    const std::string& origin, const TempDir& dir, int n);

// The JSON Programs under corpus/, sorted; one of them, parsed.
std::vector<fs::path> corpus_programs();
Program load(const fs::path& p);

}  // namespace conncheck::emit_c_test
