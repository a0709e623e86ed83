// What each fuzz target checks about one Program (fuzz_input.h): the
// Oracle's verdict per step, hangs, leaked descriptors, and for the
// backend-diff target agreement of libc, syscall and io_uring.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "conncheck/destination_guard.h"
#include "conncheck/errors.h"
#include "conncheck/fd_leak.h"
#include "conncheck/fuzz_input.h"
#include "conncheck/model.h"
#include "conncheck/oracle.h"
#include "conncheck/uring_connect.h"
#include "fuzz_format.h"

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

// Run-to-run state the sandbox would otherwise carry from one input to the
// next: TIME_WAIT sockets holding a port (bind EADDRINUSE on the next input,
// or on the next backend of the same input). The sysctl is the sandbox
// namespace's own; a failure only costs determinism, so it is not fatal.
// The descriptors open before the first run: the full leak check's baseline.
const std::set<int>& baseline_fds() {
  static const std::set<int> fds = open_fds();
  return fds;
}

void prepare_world_once() {
  static const bool done = [] {
    // This thread's io_uring ring is made now, before the baseline, so it
    // is not taken for a leak. Without io_uring the backend-diff runs say so.
    try {
      uring_prepare();
    } catch (const EnvironmentError&) {
    }
    (void)baseline_fds();
    if (!in_sandbox()) return false;
    const int fd = ::open("/proc/sys/net/ipv4/tcp_max_tw_buckets", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      (void)!::write(fd, "0", 1);
      ::close(fd);
    }
    return true;
  }();
  (void)done;
}

// The AF_UNIX files a run's binds left in the private directory: removed so
// the next run (or backend) finds the names free, as the first did.
void remove_bound_paths(const Trace& t) {
  const std::string dir = fuzzfmt::unix_dir() + "/";
  constexpr std::size_t kPath = offsetof(sockaddr_un, sun_path);
  for (const Step& s : t.steps) {
    const auto* b = std::get_if<op::Bind>(&s.op);
    if (!b || s.outcome.ret != 0 || b->addr.family() != AF_UNIX || b->addr.bytes.size() <= kPath) continue;
    const auto& bytes = b->addr.bytes;
    std::string path(bytes.begin() + kPath, bytes.begin() + std::min<std::size_t>(bytes.size(), b->addr.addrlen));
    path = path.c_str();  // a pathname ends at its first NUL
    if (path.starts_with(dir)) ::unlink(path.c_str());
  }
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
    const bool creates = std::holds_alternative<op::Socket>(s.op) || std::holds_alternative<op::NotSocket>(s.op) ||
                         std::holds_alternative<op::Accept>(s.op);
    if (!creates || s.outcome.ret < 0) continue;
    const int fd = static_cast<int>(s.outcome.ret);
    if (::fcntl(fd, F_GETFD) >= 0 && !baseline.count(fd)) out.push_back({fd, "created by this run: " + fd_target(fd)});
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

// The bound for the next op, from the Model advanced over the steps so far.
// A call the Model does not expect to block keeps kBound, so an unexpected
// block is still a hang finding, measured the same way; where the Model
// cannot classify the destination a block is not judged, so it is cut too.
class WaitPredictor {
 public:
  explicit WaitPredictor(Backend b) { model_.world.backend = b; }
  std::chrono::milliseconds operator()(const std::vector<Step>& so_far, const Op& next) {
    for (; seen_ < so_far.size(); ++seen_) apply(model_, so_far[seen_].op, so_far[seen_].outcome);
    return predicts_wait(next) ? kPredictedWait : std::chrono::milliseconds{0};
  }

 private:
  bool predicts_wait(const Op& next) const {
    if (const auto* c = std::get_if<op::Connect>(&next)) {
      // An open expectation does not judge a block either (oracle.cc).
      const Expectation e = expect(model_, *c);
      return e.may_block || e.open;
    }
    if (const auto* a = std::get_if<op::Accept>(&next)) {
      const SlotModel& l = model_.slots[a->slot];
      return l.state == SockState::kListening && l.queued == 0 && !l.nonblock;
    }
    // poll(POLLOUT) waits only on a listener (never writable) or a connect
    // still in flight; what loopback delivers is there at once.
    return std::holds_alternative<op::PollOut>(next);
  }

  SocketModel model_;
  std::size_t seen_ = 0;
};

Trace run_once(const Program& p, Backend b, bool post_state) {
  Trace t = execute(p, {.backend = b, .bound = kBound, .post_state = post_state, .timing = false,
                        .bound_for = WaitPredictor(b)});
  remove_bound_paths(t);
  return t;
}

void set_finding(TargetResult& r, std::string kind, std::string why) {
  if (r.finding) return;  // the first finding is the one reported
  r.finding = true;
  r.kind = std::move(kind);
  r.report = std::move(why);
}

// Judges steps [0, upto) of t; with only_hangs, violations are not findings
// (the backend-diff target leaves those to the program target).
void judge(const Trace& t, std::size_t upto, bool only_hangs, TargetResult& r) {
  WorldFacts world;
  world.backend = t.backend;
  TraceJudge j(world);
  for (std::size_t i = 0; i < t.steps.size() && i < upto; ++i) {
    const Step& s = t.steps[i];
    const Verdict v = j.step(s.op, s.outcome);
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

// Where io_uring may differ, by docs/FINDINGS.md and uring_connect.h:
//   - a connect on a non-blocking IP stream socket: io_uring waits for the
//     handshake instead of giving EINPROGRESS/EALREADY (finding 2), so its
//     socket state differs from then on;
//   - a connect with interrupt_ms: IORING_OP_CONNECT is not interrupted by
//     a signal (no EINTR), it waits until completion or the bound;
//   - a failed IP stream connect: io_uring keeps the source address that
//     connect(2) resets (finding 3): compared without the local address,
//     and nothing after it.
// Returns how many leading steps io_uring is held to; *masked: the last of
// them is compared without the local address.
std::size_t uring_comparable(const Trace& ref, bool* masked) {
  TraceJudge j;
  *masked = false;
  for (std::size_t i = 0; i < ref.steps.size(); ++i) {
    const Step& s = ref.steps[i];
    if (const auto* c = std::get_if<op::Connect>(&s.op)) {
      const SlotModel& m = j.model().slots[c->slot];
      const bool ip_stream = (m.domain == AF_INET || m.domain == AF_INET6) && m.type == SOCK_STREAM &&
                             m.state != SockState::kClosed && m.state != SockState::kEmpty;
      if ((ip_stream && m.nonblock) || c->interrupt_ms > 0) return i;
      if (ip_stream && s.outcome.ret < 0) { *masked = true; return i + 1; }
    }
    j.step(s.op, s.outcome);
  }
  return ref.steps.size();
}

// A difference the Model itself predicts for b's backend: b's outcome is
// allowed in b's world and not in a's (io_uring checking the address before
// the fd, FINDINGS 8). Both worlds judge the same model state.
bool predicted_difference(const SocketModel& m, const Op& op, Backend a, Backend b, const Outcome& y) {
  if (y.ret >= 0 || y.hung) return false;
  SocketModel in_a = m, in_b = m;
  in_a.world.backend = a;
  in_b.world.backend = b;
  const Expectation ea = expect(in_a, op), eb = expect(in_b, op);
  return !ea.open && !eb.open && eb.find(y.err) && !ea.find(y.err);
}

// An autobind name (unix_autobind(): "\0" and five hex digits) is drawn at
// random, so each backend's run gets another one: not a difference.
bool autobound(const NameResult& n) {
  const auto& v = n.addr;
  return n.ret == 0 && v.size() == 8 && v[0] == (AF_UNIX & 0xff) && v[1] == 0 && v[2] == 0 &&
         std::all_of(v.begin() + 3, v.end(), [](std::uint8_t c) { return std::isxdigit(c) != 0; });
}

// Likewise an ephemeral port (ip_local_port_range, 32768-60999 here) the
// kernel picked: same family and address, both ports in the range.
bool ephemeral_twins(const NameResult& x, const NameResult& y) {
  const auto& a = x.addr;
  const auto& b = y.addr;
  if (x.ret != 0 || y.ret != 0 || a.size() != b.size() || a.size() < 8 || a[0] != b[0] || a[1] != b[1]) return false;
  const int fam = a[0] | (a[1] << 8);
  if (fam != AF_INET && fam != AF_INET6) return false;
  auto port = [](const std::vector<std::uint8_t>& v) { return (v[2] << 8) | v[3]; };
  if (port(a) < 32768 || port(b) < 32768) return false;
  return std::equal(a.begin() + 4, a.end(), b.begin() + 4);
}

void mask_kernel_choices(const PostState& x, PostState& y) {
  if ((autobound(x.local) && autobound(y.local)) || ephemeral_twins(x.local, y.local)) y.local = x.local;
  if ((autobound(x.peer) && autobound(y.peer)) || ephemeral_twins(x.peer, y.peer)) y.peer = x.peer;
}

void compare(const Trace& a, const Trace& b, std::size_t upto, bool mask_last_local, TargetResult& r) {
  SocketModel m;  // advanced over a's outcomes, where a and b agree
  m.world.backend = a.backend;
  for (std::size_t i = 0; i < a.steps.size() && i < upto; ++i) {
    Outcome x = a.steps[i].outcome, y = b.steps[i].outcome;
    const Op& op = a.steps[i].op;
    if (mask_last_local && i + 1 == upto && x.post && y.post) y.post->local = x.post->local;
    if (x.post && y.post) mask_kernel_choices(*x.post, *y.post);
    const bool agree = x.same_as(y) || (x.hung && y.hung) ||
                       (x.ret < 0 && predicted_difference(m, op, a.backend, b.backend, y));
    apply(m, op, x);
    // Both ended by the watchdog: how it ends a call differs per backend
    // (a signal gives EINTR, io_uring a cancel gives ECANCELED).
    if (agree) continue;
    set_finding(r, "backend-disagreement",
                fmt::format("step {}: {} and {} disagree:\n  {}: {}\n  {}: {}", i, backend_name(a.backend),
                            backend_name(b.backend), backend_name(a.backend), step_to_string(a.steps[i]),
                            backend_name(b.backend), step_to_string(b.steps[i])));
    return;
  }
}

}  // namespace

TargetResult run_target(FuzzTarget t, const Program& p) {
  prepare_world_once();
  TargetResult r;
  if (t != FuzzTarget::kBackendDiff) {
    // libc: the path a caller (or an LD_PRELOAD'd shim) really takes.
    r.traces.push_back(run_once(p, Backend::kLibc, /*post_state=*/false));
    judge(r.traces[0], r.traces[0].steps.size(), false, r);
    check_leaks(r.traces[0], r);
  } else {
    for (Backend b : kAllBackends) {
      r.traces.push_back(run_once(p, b, /*post_state=*/true));
      check_leaks(r.traces.back(), r);
    }
    const Trace& ref = r.traces[0];
    bool masked = false;
    const std::size_t uring_upto = uring_comparable(ref, &masked);
    judge(ref, ref.steps.size(), true, r);
    judge(r.traces[1], r.traces[1].steps.size(), true, r);
    judge(r.traces[2], uring_upto, true, r);
    compare(ref, r.traces[1], ref.steps.size(), false, r);
    compare(ref, r.traces[2], uring_upto, masked, r);
  }
  if (r.finding) {
    std::string traces;
    for (const Trace& tr : r.traces) traces += fmt::format("--- {}\n{}", backend_name(tr.backend), to_string(tr));
    r.report = fmt::format("{} finding ({}): {}\n{}", target_name(t), r.kind, r.report, traces);
  }
  return r;
}

}  // namespace conncheck
