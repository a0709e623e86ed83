// Writes the seed corpora: OUTDIR/<target>/<case name>, one file per
// conformance case (conform_seeds in fuzz_input.h). corpus/ holds the
// committed output; the ctest fuzz.seeds_match_matrix regenerates it into a
// temporary directory and compares, so an edit to the matrix that is not
// followed by `conncheck_make_seeds corpus` fails.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "fuzz/fuzz_input.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: conncheck_make_seeds OUTDIR\n");
    return 2;
  }
  namespace fs = std::filesystem;
  for (conncheck::FuzzTarget t : conncheck::kAllFuzzTargets) {
    const fs::path dir = fs::path(argv[1]) / std::string(conncheck::target_name(t));
    std::error_code ec;
    fs::create_directories(dir, ec);
    // Stale seeds (a case renamed or removed) go; the directory is generated.
    for (const auto& e : fs::directory_iterator(dir, ec)) fs::remove(e.path(), ec);
    int exact = 0, n = 0;
    for (const conncheck::Seed& s : conncheck::conform_seeds(t)) {
      std::ofstream out(dir / s.name, std::ios::binary);
      out.write(reinterpret_cast<const char*>(s.bytes.data()),
                static_cast<std::streamsize>(s.bytes.size()));
      if (!out) {
        std::fprintf(stderr, "cannot write %s\n", (dir / s.name).c_str());
        return 3;
      }
      exact += s.exact;
      ++n;
    }
    std::printf("%s: %d seeds (%d decode back exactly)\n", dir.c_str(), n, exact);
  }
  return 0;
}
