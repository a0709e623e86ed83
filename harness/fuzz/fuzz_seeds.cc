// Seeds from the conformance matrix (fuzz_input.h): the same Programs the
// matrix runs, encoded, so seeds and matrix cannot drift apart.
#include <set>

#include "conform/conform.h"
#include "fuzz/fuzz_input.h"
#include "fuzz_format.h"

namespace conncheck {
namespace {

std::string file_name(std::string_view case_name) {
  std::string s;
  for (char c : case_name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_';
    s += plain ? c : '_';
  }
  return s;
}

}  // namespace

std::vector<Seed> conform_seeds(FuzzTarget t) {
  // Only unix_dir matters to the cases; decoded paths use the same one.
  SandboxWorld w;
  w.unix_dir = fuzzfmt::unix_dir();
  std::vector<Seed> out;
  std::set<std::vector<std::uint8_t>> seen;
  for (const ConformCase& c : conform_cases(w, 0)) {
    Program p = c.program;
    if (t == FuzzTarget::kSockaddr) p.ops.resize(static_cast<std::size_t>(c.target) + 1);
    Seed s{file_name(c.name), {}, false};
    s.bytes = encode_input(t, p, &s.exact);
    if (seen.insert(s.bytes).second) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace conncheck
