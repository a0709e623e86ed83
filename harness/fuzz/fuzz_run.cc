// What each fuzz target checks about one Program (fuzz_input.h): the
// Oracle's verdict per step, hangs, leaked descriptors, and for the
// backend-diff target agreement of libc, syscall and io_uring.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "exec/destination_guard.h"
#include "exec/fd_leak.h"
#include "exec/uring_connect.h"
#include "fuzz/fuzz_input.h"
#include "fuzz_format.h"
#include "model/model.h"
#include "oracle/backend_compare.h"
#include "oracle/oracle.h"
#include "program/errors.h"
#include "sandbox/sandbox.h"

// From the sanitizer runtime when there is one (sanitizer/common_interface_defs.h).
extern "C" void __sanitizer_symbolize_pc(void* pc, const char* fmt, char* out, std::size_t size)
    __attribute__((weak));

namespace conncheck {
namespace {

// Short, because every expected block (a full backlog, a pending connect,
// an on-link neighbour that never answers) costs the whole bound and a
// corpus keeps such inputs; long next to loopback handshakes and immediate
// failures (microseconds, under ASan too). At 200 ms the 1% of inputs that
// block took most of the fuzzer's time.
constexpr std::chrono::milliseconds kBound{50};
// A full /proc/self/fd comparison every this many runs (see LeakGuard).
constexpr unsigned kFullLeakCheckEvery = 4096;

// The descriptors open before the first run: the full leak check's baseline.
const std::set<int>& baseline_fds() {
  static const std::set<int> fds = open_fds();
  return fds;
}

// The sanitizers symbolize through an external llvm-symbolizer, started at
// the first stack they print (libFuzzer's NEW_FUNC lines, from its first
// corpus pass on) and kept, with two pipe ends in this process. Started
// before the baseline, they are not taken for a leak of the 4096th run.
void start_symbolizer() {
  if (!__sanitizer_symbolize_pc) return;  // no sanitizer runtime in this build
  char buf[256];
  __sanitizer_symbolize_pc(reinterpret_cast<void*>(&start_symbolizer), "%f", buf, sizeof buf);
}

void prepare_world_once() {
  static const bool done = [] {
    start_symbolizer();
    // This thread's io_uring ring is made now, before the baseline, so it
    // is not taken for a leak. Without io_uring the backend-diff runs say so.
    try {
      uring_prepare();
    } catch (const EnvironmentError&) {
    }
    (void)baseline_fds();
    // No TIME_WAIT socket carries a port from one input to the next (bind
    // EADDRINUSE on the next input, or on the next backend of this one).
    return Sandbox::drop_time_wait();
  }();
  (void)done;
}

std::string fd_target(int fd) {
  char buf[256];
  const std::string link = fmt::format("/proc/self/fd/{}", fd);
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "?";
}

// Leak check: every fd an op created must be closed after the run (exact
// for the Program's own descriptors, and cheap: one fcntl each), and every
// kFullLeakCheckEvery runs the whole /proc/self/fd is compared with the
// first run's, for descriptors opened behind the executor's back.
std::vector<LeakedFd> leaked_after(const Trace& t) {
  static unsigned runs = 0;
  const std::set<int>& baseline = baseline_fds();
  std::vector<LeakedFd> out;
  for (const Step& s : t.steps) {
    const bool creates = std::holds_alternative<op::Socket>(s.op) ||
                         std::holds_alternative<op::NotSocket>(s.op) ||
                         std::holds_alternative<op::Accept>(s.op);
    if (!creates || s.outcome.ret < 0) continue;
    const int fd = static_cast<int>(s.outcome.ret);
    if (::fcntl(fd, F_GETFD) >= 0 && !baseline.count(fd))
      out.push_back({fd, "created by this run: " + fd_target(fd)});
  }
  if (out.empty() && ++runs % kFullLeakCheckEvery == 0)
    for (int fd : open_fds())
      if (!baseline.count(fd)) out.push_back({fd, "open since an earlier run: " + fd_target(fd)});
  return out;
}

// What a predicted wait is cut to. Loopback answers within the call (the
// handshake or the RST runs in the sender's softirq), so 1 ms already tells
// "blocked" from "completed"; the waits the Model predicts (a full backlog,
// a neighbour that never answers, an empty accept queue) would otherwise
// take all of kBound, and a corpus keeps such inputs. They were most of the
// fuzzers' time (docs/FUZZING.md, "Throughput").
constexpr std::chrono::milliseconds kPredictedWait{1};

// One run, judged while it runs: before each op the Model's expectation
// for it sets the op's bound (a predicted wait is cut to kPredictedWait),
// and after it the same expectation judges the outcome. A call the Model
// does not expect to block keeps kBound, so an unexpected block is still a
// hang finding, measured the same way; where the Model cannot classify the
// destination a block is not judged (oracle.cc), so it is cut too.
class JudgedRun {
 public:
  explicit JudgedRun(Backend b) : judge_(WorldFacts{.backend = b}) {}

  Trace run(const Program& p, bool post_state) {
    // The files an earlier run or backend made (its AF_UNIX binds, in the
    // private directory or a truncated path like /tmp/conncheck) are gone.
    Sandbox::fresh_files();
    verdicts_.clear();
    verdicts_.reserve(p.ops.size());
    // The hook holds a pointer, not a copy: the Model stays here.
    Trace t = execute(p, {.backend = judge_.model().world.backend,
                          .bound = kBound,
                          .post_state = post_state,
                          .timing = false,
                          .bound_for = [this](const std::vector<Step>& so_far, const Op& next) {
                            return bound_for(so_far, next);
                          }});
    settle(t.steps);
    return t;
  }
  const std::vector<Verdict>& verdicts() const { return verdicts_; }
  std::vector<Verdict> take_verdicts() { return std::move(verdicts_); }

 private:
  std::chrono::milliseconds bound_for(const std::vector<Step>& so_far, const Op& next) {
    settle(so_far);
    return predicts_wait(judge_.before(next), next) ? kPredictedWait : std::chrono::milliseconds{0};
  }
  // Judges the step the executor finished since the last call.
  void settle(const std::vector<Step>& so_far) {
    if (verdicts_.size() < so_far.size()) verdicts_.push_back(judge_.after(so_far.back().outcome));
  }
  bool predicts_wait(const Expectation& e, const Op& next) const {
    if (std::holds_alternative<op::Connect>(next)) return e.may_block || e.open;
    if (const auto* a = std::get_if<op::Accept>(&next)) {
      const SlotModel& l = judge_.model().slots[a->slot];
      return l.state == SockState::kListening && l.queued == 0 && !l.nonblock;
    }
    // poll(POLLOUT) waits only on a listener (never writable) or a connect
    // still in flight; what loopback delivers is there at once.
    return std::holds_alternative<op::PollOut>(next);
  }

  TraceJudge judge_;
  std::vector<Verdict> verdicts_;  // one per step run so far
};

// libFuzzer's -timeout arms a process-wide SIGALRM every timeout/2+1 s,
// installed without SA_RESTART: landing on a blocked connect, accept or
// poll it makes an EINTR the Program never asked for (and the backends
// disagree on it). Blocked in this thread while a Program runs, it goes to
// libFuzzer's RSS thread, or waits for the run's end, where it is handled.
class AlarmBlocked {
 public:
  AlarmBlocked() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    ::pthread_sigmask(SIG_BLOCK, &s, &saved_);
  }
  ~AlarmBlocked() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  AlarmBlocked(const AlarmBlocked&) = delete;
  AlarmBlocked& operator=(const AlarmBlocked&) = delete;

 private:
  sigset_t saved_;
};

void set_finding(TargetResult& r, std::string kind, std::string why) {
  if (r.finding) return;  // the first finding is the one reported
  r.finding = true;
  r.kind = std::move(kind);
  r.report = std::move(why);
}

// The findings among a run's first `upto` verdicts; with only_hangs,
// violations are not findings (the backend-diff target leaves those to
// the program target).
void report_verdicts(const Trace& t, const std::vector<Verdict>& verdicts, std::size_t upto,
                     bool only_hangs, TargetResult& r) {
  for (std::size_t i = 0; i < verdicts.size() && i < upto; ++i) {
    const Verdict& v = verdicts[i];
    if (!v.finding()) continue;
    if (only_hangs && v.kind != VerdictKind::kHang) continue;
    set_finding(r, std::string(verdict_name(v.kind)),
                fmt::format("step {} ({}): {}", i, backend_name(t.backend), explain(v)));
  }
}

void check_leaks(const Trace& t, TargetResult& r) {
  if (auto leaked = leaked_after(t); !leaked.empty())
    set_finding(r, "leak", fmt::format("{}: {}", backend_name(t.backend), describe(leaked)));
}

}  // namespace

TargetResult run_target(FuzzTarget t, const Program& p) {
  prepare_world_once();
  TargetResult r;
  const AlarmBlocked no_alarm;
  if (t != FuzzTarget::kBackendDiff) {
    // libc: the path a caller (or an LD_PRELOAD'd shim) really takes.
    JudgedRun run(Backend::kLibc);
    r.traces.push_back(run.run(p, /*post_state=*/false));
    report_verdicts(r.traces[0], run.verdicts(), r.traces[0].steps.size(), false, r);
    check_leaks(r.traces[0], r);
  } else {
    std::vector<std::vector<Verdict>> verdicts;
    for (Backend b : kAllBackends) {
      JudgedRun run(b);
      r.traces.push_back(run.run(p, /*post_state=*/true));
      verdicts.push_back(run.take_verdicts());
      check_leaks(r.traces.back(), r);
    }
    const BackendComparison c = compare_backends(r.traces[0], r.traces[1], r.traces[2]);
    const std::size_t upto[] = {r.traces[0].steps.size(), r.traces[1].steps.size(), c.uring_upto};
    for (std::size_t i = 0; i < r.traces.size(); ++i)
      report_verdicts(r.traces[i], verdicts[i], upto[i], true, r);
    if (c.syscall) set_finding(r, "backend-disagreement", *c.syscall);
    if (c.uring) set_finding(r, "backend-disagreement", *c.uring);
  }
  if (r.finding) {
    std::string traces;
    for (const Trace& tr : r.traces)
      traces += fmt::format("--- {}\n{}", backend_name(tr.backend), to_string(tr));
    r.report = fmt::format("{} finding ({}): {}\n{}", target_name(t), r.kind, r.report, traces);
  }
  return r;
}

}  // namespace conncheck
