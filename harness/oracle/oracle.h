// Oracle: a verdict per step of a Trace, from the Model's expectation and
// the Spec's tiers.
//
//   ok         the outcome is documented for this situation
//   known      undocumented, but in the Spec's second tier (with its reason)
//   violation  outside both, or breaking a documented rule
//   hang       the call was still blocked when the watchdog fired, where the
//              model does not expect blocking
//   leak       the run left descriptors open (judged per run, not per step)
//
// Verdicts hold only string_views into the Spec's static text and a fixed
// buffer, so judging a step allocates nothing (issue 5's fuzzers call it on
// every input); explain() builds the long message when a report wants it.
//
// Example usage:
//   TraceJudge judge;                       // fresh model, every slot empty
//   for (const Step& s : trace.steps) {
//     Verdict v = judge.step(s.op, s.outcome);
//     if (v.kind == VerdictKind::kViolation) report(explain(v, s));
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exec/fd_leak.h"
#include "model/model.h"
#include "program/trace.h"

namespace conncheck {

// The running kernel's version (uname(2) release, parsed once): what the
// Model judges unless told another (WorldFacts::kernel). Throws
// EnvironmentError when the release does not start with a version.
KernelVersion running_kernel();
// `w`, with the running kernel when it names none.
WorldFacts with_running_kernel(WorldFacts w);

enum class VerdictKind : std::uint8_t { kNotJudged, kOk, kKnown, kViolation, kHang, kLeak };
std::string_view verdict_name(VerdictKind k);  // "ok", "known", "violation", ...

struct Verdict {
  VerdictKind kind = VerdictKind::kNotJudged;
  int err = 0;                 // what happened (0: success)
  std::string_view situation;  // the model's reading of the state
  std::string_view basis;      // quote (ok), reason (known), or what was broken
  std::optional<RuleId> rule;  // the rule the op was held to, if any
  Expectation expected;        // the allowed set, for the explanation
  bool finding() const {
    return kind == VerdictKind::kViolation || kind == VerdictKind::kHang ||
           kind == VerdictKind::kLeak;
  }
};

// One op against an expectation. Open expectations are judged by the Spec
// tables alone: a Linux-documented errno is ok, a second-tier one known,
// anything else a violation.
Verdict judge(const Expectation& e, const Op& op, const Outcome& o);

// Judges a Trace step by step, advancing its own Model by what happened.
// step() does both halves at once. A caller that wants the expectation
// before the op runs (fuzz_run.cc sets the op's wait from it) calls
// before(op), runs the op, then after(outcome): the Model is asked once.
class TraceJudge {
 public:
  // A world without a kernel is judged as the running one.
  explicit TraceJudge(WorldFacts world = {}) { model_.world = with_running_kernel(world); }
  Verdict step(const Op& op, const Outcome& o);
  // The expectation `op` will be judged by; the model before it is model().
  const Expectation& before(const Op& op);
  // Judges the op given to the last before() and advances the model.
  Verdict after(const Outcome& o);
  const SocketModel& model() const { return model_; }

 private:
  SocketModel model_;
  Expectation pending_;
  const Op* pending_op_ = nullptr;
};

// A world without a kernel is judged as the running one.
std::vector<Verdict> judge_trace(const Trace& t, WorldFacts world = {});

// A verdict for descriptors a run left open.
Verdict judge_leaks(const std::vector<LeakedFd>& leaked);

// The shortest explanation a maintainer needs, one line:
//   "violation: connect() = 0 on a connected TCP socket; allowed: EISCONN
//    (rule: stream connects once: "connection-based ... only once")"
std::string explain(const Verdict& v);

}  // namespace conncheck
