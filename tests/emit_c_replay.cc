// The emitted-C tests' replay: a Program run in the harness and as its C
// reproducer built with `cc` alone, compared step by step.
//
// Compared per step: the return value and errno name (fd-returning ops only
// by success, since fd numbers differ between processes), and the call text
// with fd numbers masked. Not compared: post-state and elapsed time (the C
// program does not time calls, and kernel-chosen local ports differ between
// any two runs), and the argument text of getpeername/getsockname (it
// carries those ports).
#include "emit_c_replay.h"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "program/unix_dirs.h"
#include "repro/emit_c.h"

namespace conncheck::emit_c_test {
namespace {

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

}  // namespace

// Runs `p` in the harness and as emitted C; returns "" when they agree,
// else what differs.
std::string compare(const Program& recorded, Backend b, std::chrono::milliseconds bound,
                    const std::string& origin, const TempDir& dir, int n) {
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
  if (Run cc =
          run_command(fmt::format("cc -Wall -Wextra -Werror -o {} {}", bin.string(), c.string()));
      cc.status != 0)
    return fmt::format("{}: cc failed:\n{}", origin, cc.out);
  const Run r = run_command(bin.string());
  const std::vector<std::string> got = lines_of(r.out);
  std::string diff;
  if (r.status != 0)
    diff += fmt::format("  exit status {} (0 = every step as recorded)\n", r.status);
  if (got.size() != t.steps.size())
    diff += fmt::format("  {} lines for {} steps\n", got.size(), t.steps.size());
  for (std::size_t i = 0; i < std::min(got.size(), t.steps.size()); ++i) {
    const Step& s = t.steps[i];
    const Line want = split(step_to_string(s));
    const Line have = split(got[i]);
    const bool same_ret = returns_fd(s.op) && want.ret != "-1" && want.ret != "?"
                              ? have.ret != "-1" && have.ret != "?"
                              : have.ret == want.ret;
    if (!same_ret || have.err != want.err || (!shows_ports(s.op) && have.call != want.call))
      diff += fmt::format("  step {}:\n    harness: {}\n    C:       {}\n", i, step_to_string(s),
                          got[i]);
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

}  // namespace conncheck::emit_c_test
