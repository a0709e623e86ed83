// Runs the conformance cases: each (case, backend) in a forked child of the
// sandboxed process (it inherits the namespace), so set-ups that change the
// whole process stay in that child, and slow cases overlap. The child sends
// its outcomes back as JSON over a pipe; the parent judges them.
#include <fcntl.h>
#include <poll.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "conform/conform.h"
#include "exec/executor.h"
#include "exec/fd.h"
#include "exec/uring_connect.h"
#include "program/errors.h"

namespace conncheck {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

json name_to_json(const NameResult& n) {
  return {{"ret", n.ret}, {"err", n.err}, {"addr", n.addr}};
}
NameResult name_from_json(const json& j) {
  return {j.at("ret").get<int>(), j.at("err").get<int>(),
          j.at("addr").get<std::vector<std::uint8_t>>()};
}

json outcome_to_wire(const Outcome& o) {
  json j{{"ret", o.ret},
         {"err", o.err},
         {"ns", o.elapsed_ns},
         {"hung", o.hung},
         {"refused", o.refused}};
  if (o.post)
    j["post"] = {{"peer", name_to_json(o.post->peer)},
                 {"local", name_to_json(o.post->local)},
                 {"so_error", o.post->so_error}};
  return j;
}

Outcome outcome_from_wire(const json& j) {
  Outcome o;
  o.ret = j.at("ret");
  o.err = j.at("err");
  o.elapsed_ns = j.at("ns");
  o.hung = j.at("hung");
  o.refused = j.at("refused");
  if (j.contains("post"))
    o.post = PostState{name_from_json(j["post"]["peer"]), name_from_json(j["post"]["local"]),
                       j["post"]["so_error"]};
  return o;
}

void write_all(int fd, const std::string& s) {
  for (std::size_t off = 0; off < s.size();) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void child_main(const ConformCase& c, Backend b, int out) {
  json r;
  try {
    std::vector<FileDescriptor> keep;
    for (int fd : apply_setup(c)) keep.emplace_back(fd);
    if (b == Backend::kIoUring) uring_prepare();
    FdLeakCheck check;
    const Trace t = execute(c.program, {.backend = b, .bound = c.bound});
    json steps = json::array();
    std::vector<int> fds;
    for (const Step& s : t.steps) {
      steps.push_back(outcome_to_wire(s.outcome));
      fds.push_back(s.fd);
    }
    r["steps"] = steps;
    r["fds"] = fds;
    json leaked = json::array();
    for (const LeakedFd& l : check.leaked()) leaked.push_back({{"fd", l.fd}, {"target", l.target}});
    r["leaked"] = leaked;
  } catch (const EnvironmentError& e) {
    r["setup_error"] = e.what();
  }
  write_all(out, r.dump());
  ::_exit(0);
}

struct Running {
  std::size_t index;
  pid_t pid;
  FileDescriptor out;
  std::string buf;
  Clock::time_point start;
};

void finish(ConformReport& rep, CaseRun& run, const std::string& wire, int status,
            const ConformOptions&) {
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || wire.empty()) {
    run.setup_error = fmt::format("case child died (status {:#x}); no outcome", status);
    return;
  }
  const json j = json::parse(wire);
  if (j.contains("setup_error")) {
    run.setup_error = j["setup_error"].get<std::string>();
    return;
  }
  run.trace.backend = run.backend;
  const auto& steps = j.at("steps");
  for (std::size_t i = 0; i < steps.size(); ++i)
    run.trace.steps.push_back(
        {run.c->program.ops[i], j["fds"][i].get<int>(), outcome_from_wire(steps[i])});
  WorldFacts world;
  world.connect_hook_denies = run.c->setup == Setup::kBpfDenyConnect;
  world.ports_scarce = run.c->setup == Setup::kOnePort;
  world.backend = run.backend;
  world.kernel = rep.model_kernel;
  world.no_dac_override =
      run.c->setup == Setup::kUnixNoWrite || run.c->setup == Setup::kUnixNoSearch;
  run.verdicts = judge_trace(run.trace, world);
  std::vector<LeakedFd> leaked;
  for (const auto& l : j.at("leaked")) leaked.push_back({l.at("fd"), l.at("target")});
  run.leak = judge_leaks(leaked);
}

// Runs runs[first..] that pass `pick`, at most `jobs` at a time.
void run_batch(ConformReport& rep, const std::vector<std::size_t>& order, int jobs,
               const ConformOptions& opt) {
  std::vector<Running> live;
  std::size_t next = 0;
  while (next < order.size() || !live.empty()) {
    while (next < order.size() && static_cast<int>(live.size()) < jobs) {
      CaseRun& run = rep.runs[order[next]];
      int p[2];
      if (::pipe2(p, O_CLOEXEC) != 0) throw env_error("pipe2", errno);
      const pid_t pid = ::fork();
      if (pid < 0) throw env_error("fork", errno);
      if (pid == 0) {
        ::close(p[0]);
        child_main(*run.c, run.backend, p[1]);
      }
      ::close(p[1]);
      live.push_back({order[next], pid, FileDescriptor(p[0]), {}, Clock::now()});
      ++next;
    }
    std::vector<pollfd> pfds;
    for (const Running& r : live) pfds.push_back({r.out.get(), POLLIN, 0});
    if (::poll(pfds.data(), pfds.size(), -1) < 0 && errno != EINTR) throw env_error("poll", errno);
    for (std::size_t i = pfds.size(); i-- > 0;) {
      if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Running& r = live[i];
      char chunk[4096];
      const ssize_t n = ::read(r.out.get(), chunk, sizeof chunk);
      if (n > 0) {
        r.buf.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      int status = 0;
      ::waitpid(r.pid, &status, 0);
      CaseRun& run = rep.runs[r.index];
      run.seconds = std::chrono::duration<double>(Clock::now() - r.start).count();
      if (run.c->setup == Setup::kBpfDenyConnect) ::rmdir(cgroup_path_for(r.pid).c_str());
      finish(rep, run, r.buf, status, opt);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

}  // namespace

ConformReport run_conform(const ConformOptions& o) {
  const auto start = Clock::now();
  const SandboxWorld& w = Sandbox::enter();
  ConformReport rep;
  rep.model_kernel = running_kernel();
  for (Backend b : o.backends) {
    auto cases = conform_cases(w, static_cast<int>(b));
    for (auto& c : cases) rep.cases.push_back(std::move(c));
  }
  // runs point into rep.cases: fill it completely first.
  std::size_t per_backend = rep.cases.size() / o.backends.size();
  for (std::size_t i = 0; i < rep.cases.size(); ++i) {
    CaseRun r;
    r.c = &rep.cases[i];
    r.backend = o.backends[i / per_backend];
    rep.runs.push_back(std::move(r));
  }
  // Slow cases first so their waiting overlaps the rest; one-port cases
  // last and alone, since the port range is the whole namespace's.
  std::vector<std::size_t> slow, fast, one_port;
  for (std::size_t i = 0; i < rep.runs.size(); ++i) {
    const ConformCase& c = *rep.runs[i].c;
    (c.setup == Setup::kOnePort ? one_port : c.slow ? slow : fast).push_back(i);
  }
  slow.insert(slow.end(), fast.begin(), fast.end());
  run_batch(rep, slow, std::max(1, o.jobs), o);
  {
    LocalPortRange one(61000, 61000);
    run_batch(rep, one_port, 1, o);
  }
  utsname u{};
  ::uname(&u);
  rep.kernel = u.release;
  build_matrix(rep);
  rep.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return rep;
}

bool CaseRun::provoked() const {
  if (!setup_error.empty() || c->target >= static_cast<int>(trace.steps.size())) return false;
  const Outcome& o = trace.steps[c->target].outcome;
  if (o.hung || o.refused) return false;
  const int got = o.ret < 0 ? o.err : 0;
  if (got != c->want_err) return false;
  if (c->want_so_error >= 0 && (!o.post || o.post->so_error != c->want_so_error)) return false;
  for (const Verdict& v : verdicts)
    if (v.kind == VerdictKind::kViolation) return false;
  return true;
}

bool CaseRun::finding() const {
  if (leak.kind == VerdictKind::kLeak) return true;
  for (const Verdict& v : verdicts)
    if (v.finding()) return true;
  return false;
}

int ConformReport::findings() const {
  int n = 0;
  for (const CaseRun& r : runs) n += r.finding();
  return n;
}

}  // namespace conncheck
