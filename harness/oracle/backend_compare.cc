// Backend agreement (backend_compare.h): one walk over the reference run
// with the Model, comparing both other runs step by step.
#include "oracle/backend_compare.h"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "model/model.h"
#include "oracle/oracle.h"
#include "world/world.h"

namespace conncheck {
namespace {

bool autobound(const NameResult& n) {
  const auto& v = n.addr;
  return n.ret == 0 && v.size() == 8 && v[0] == (AF_UNIX & 0xff) && v[1] == 0 && v[2] == 0 &&
         std::all_of(v.begin() + 3, v.end(), [](std::uint8_t c) { return std::isxdigit(c) != 0; });
}

// Same family and address, both ports ephemeral.
bool ephemeral_twins(const NameResult& x, const NameResult& y) {
  const auto& a = x.addr;
  const auto& b = y.addr;
  if (x.ret != 0 || y.ret != 0 || a.size() != b.size() || a.size() < 8 || a[0] != b[0] ||
      a[1] != b[1])
    return false;
  const int fam = a[0] | (a[1] << 8);
  if (fam != AF_INET && fam != AF_INET6) return false;
  auto port = [](const std::vector<std::uint8_t>& v) { return (v[2] << 8) | v[3]; };
  if (port(a) < world::kEphemeralLow || port(b) < world::kEphemeralLow) return false;
  return std::equal(a.begin() + 4, a.end(), b.begin() + 4);
}

// A difference the Model itself predicts for b's backend: b's outcome is
// allowed in b's world and not in a's (io_uring checking the address before
// the fd, FINDINGS 8). Both worlds judge the same model state.
bool predicted_difference(const SocketModel& m, const Op& op, Backend a, Backend b,
                          const Outcome& y) {
  if (y.ret >= 0 || y.hung) return false;
  SocketModel in_a = m, in_b = m;
  in_a.world.backend = a;
  in_b.world.backend = b;
  const Expectation ea = expect(in_a, op), eb = expect(in_b, op);
  return !ea.open && !eb.open && eb.find(y.err) && !ea.find(y.err);
}

// Where io_uring stops being held to the reference at step i (see
// BackendComparison::uring_upto): the new limit, or nothing to go on.
// *mask_local: step i itself is still compared, without the local address.
std::optional<std::size_t> uring_stop(const SocketModel& m, const Step& s, std::size_t i,
                                      bool* mask_local) {
  const auto* c = std::get_if<op::Connect>(&s.op);
  if (!c) return std::nullopt;
  const SlotModel& sm = m.slots[c->slot];
  const bool ip_stream = (sm.domain == AF_INET || sm.domain == AF_INET6) &&
                         sm.type == SOCK_STREAM && sm.state != SockState::kClosed &&
                         sm.state != SockState::kEmpty;
  if ((ip_stream && sm.nonblock) || c->interrupt_ms > 0) return i;
  if (ip_stream && s.outcome.ret < 0) {
    *mask_local = true;
    return i + 1;
  }
  return std::nullopt;
}

// One call ended by its watchdog and the other completed, at a step where
// the Model predicts the hung one's wait (Expectation::may_block) and allows
// the other's outcome: whether a wait outlasts its bound is the machine's
// load, not the backend. The two runs are in different states from here on.
bool timing_split(const SocketModel& m, const Op& op, Backend a, Backend b, const Outcome& x,
                  const Outcome& y) {
  if (x.hung == y.hung || x.refused || y.refused) return false;
  const Outcome& done = x.hung ? y : x;
  SocketModel in_hung = m, in_done = m;
  in_hung.world.backend = x.hung ? a : b;
  in_done.world.backend = x.hung ? b : a;
  if (!expect(in_hung, op).may_block) return false;
  const Expectation e = expect(in_done, op);
  return e.find(done.ret < 0 ? done.err : 0) != nullptr;
}

std::optional<std::string> disagreement(const SocketModel& m, const Trace& a, const Trace& b,
                                        std::size_t i, bool mask_local, bool* split) {
  Outcome x = a.steps[i].outcome, y = b.steps[i].outcome;
  if (mask_local && x.post && y.post) y.post->local = x.post->local;
  if (x.post && y.post) mask_kernel_choices(*x.post, *y.post);
  // Both ended by the watchdog: how it ends a call differs per backend (a
  // signal gives EINTR, io_uring's cancel ECANCELED).
  if (x.same_as(y) || (x.hung && y.hung)) return std::nullopt;
  if (timing_split(m, a.steps[i].op, a.backend, b.backend, x, y)) {
    *split = true;
    return std::nullopt;
  }
  if (x.ret < 0 && predicted_difference(m, a.steps[i].op, a.backend, b.backend, y))
    return std::nullopt;
  return fmt::format("step {}: {} and {} disagree:\n  {}: {}\n  {}: {}", i, backend_name(a.backend),
                     backend_name(b.backend), backend_name(a.backend), step_to_string(a.steps[i]),
                     backend_name(b.backend), step_to_string(b.steps[i]));
}

}  // namespace

void mask_kernel_choices(const PostState& x, PostState& y) {
  if ((autobound(x.local) && autobound(y.local)) || ephemeral_twins(x.local, y.local))
    y.local = x.local;
  if ((autobound(x.peer) && autobound(y.peer)) || ephemeral_twins(x.peer, y.peer)) y.peer = x.peer;
}

namespace {

// One backend's run held against the reference, step by step. It closes at
// its first disagreement, at a step whose outcomes split on timing (nothing
// after it is comparable), or where uring_stop() says io_uring stops.
struct Lane {
  const Trace& run;
  std::optional<std::string>& found;
  std::size_t& upto;
  bool open = true;

  void close_at(std::size_t k) {
    upto = k;
    open = false;
  }
  void compare(const SocketModel& m, const Trace& ref, std::size_t i, bool mask_local) {
    if (i >= upto || i >= run.steps.size()) return;
    bool split = false;
    found = disagreement(m, ref, run, i, mask_local, &split);
    if (found) open = false;
    if (split) close_at(i + 1);
  }
};

}  // namespace

BackendComparison compare_backends(const Trace& ref, const Trace& sys, const Trace& uring) {
  BackendComparison c;
  const std::size_t n = ref.steps.size();
  c.uring_upto = c.syscall_upto = n;
  Lane uring_lane{uring, c.uring, c.uring_upto};
  Lane sys_lane{sys, c.syscall, c.syscall_upto};
  SocketModel m;  // advanced over the reference's outcomes
  m.world.backend = ref.backend;
  m.world = with_running_kernel(m.world);
  for (std::size_t i = 0; i < n && (sys_lane.open || uring_lane.open); ++i) {
    if (uring_lane.open) {
      bool mask_local = false;
      if (const auto stop = uring_stop(m, ref.steps[i], i, &mask_local)) uring_lane.close_at(*stop);
      uring_lane.compare(m, ref, i, mask_local);  // step i itself, when the stop is after it
    }
    if (sys_lane.open) sys_lane.compare(m, ref, i, false);
    apply(m, ref.steps[i].op, ref.steps[i].outcome);
  }
  return c;
}

}  // namespace conncheck
