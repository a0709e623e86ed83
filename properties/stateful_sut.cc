// What every stateful command shares (run, show, the slot precondition), the
// system under test they run against, and the command list as a Program.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/check.h"
#include "property_support.h"
#include "sandbox/sandbox.h"
#include "stateful_commands.h"

namespace conncheck::props {

namespace {
// The Oracle's world as judge_trace() sets it (oracle.h).
WorldFacts property_world() {
  WorldFacts w;
  w.backend = kPropertyBackend;
  return w;
}
}  // namespace

RealSockets::RealSockets(std::chrono::milliseconds bound)
    : options_{.backend = kPropertyBackend, .bound = bound}, judge_(property_world()) {
  Sandbox::fresh_files();  // each case finds the paths free
  run_.emplace(options_);
}

RealSockets::Judged RealSockets::step(const Op& op) {
  CONNCHECK_CHECK(run_.has_value());
  const Step& s = run_->step(op);
  program_.ops.push_back(op);
  Verdict v = judge_.step(s.op, s.outcome);
  known_ += v.kind == VerdictKind::kKnown;
  return {s, std::move(v)};
}

std::vector<LeakedFd> RealSockets::finish() {
  run_.reset();  // closes the slots
  return leaks_.leaked();
}

void OpCommand::checkPreconditions(const StateModel&) const {
  const int slot = op_slot(op());
  RC_PRE(slot >= 0 && slot < kStateSlots);
}

void OpCommand::run(const StateModel&, RealSockets& sut) const {
  const RealSockets::Judged j = sut.step(op());
  // RapidCheck prints the log of the failing case only: the trace up to and
  // including this op, strace-style.
  RC_LOG() << "  " << step_to_string(j.step) << "\n";
  // On a finding: the Oracle's reading, and the whole Program to save and
  // replay (`conncheck repro FILE`); the counterexample above lists the same
  // ops up to this one.
  std::string finding;
  if (j.verdict.finding()) {
    finding = fmt::format("{}: {}", step_to_string(j.step), explain(j.verdict));
    RC_LOG() << "    ^ " << explain(j.verdict) << "\n"
             << "program (replay with conncheck): " << nlohmann::json(sut.program()).dump() << "\n";
  }
  RC_ASSERT(finding == "");
}

void OpCommand::show(std::ostream& os) const { os << nlohmann::json(Program{{op()}})[0].dump(); }

Program to_program(const Commands& cmds) {
  Program p;
  p.ops.reserve(cmds.size());
  for (const auto& c : cmds) {
    const auto* one = dynamic_cast<const OpCommand*>(c.get());
    CONNCHECK_CHECK(one != nullptr);
    p.ops.push_back(one->op());
  }
  return p;
}

}  // namespace conncheck::props
