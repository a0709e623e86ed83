// The documentation gaps of a conformance run, computed once for every view
// (terminal, markdown, JSON).
#include <fmt/format.h>

#include "conform/conform.h"

namespace conncheck {

std::map<std::string, Gap> documentation_gaps(const ConformReport& r) {
  std::map<std::string, Gap> gaps;  // key: case name + step
  for (const CaseRun& run : r.runs) {
    for (std::size_t i = 0; i < run.verdicts.size(); ++i) {
      const Verdict& v = run.verdicts[i];
      if (v.kind != VerdictKind::kKnown) continue;
      Gap& g = gaps[fmt::format("{} step {}", run.c->name, i)];
      g.outcome = run.trace.steps[i].outcome.hung ? "hang" : v.err ? errno_name(v.err) : "0";
      g.reason = std::string(v.basis);
      g.trace = step_to_string(run.trace.steps[i]);
      g.backends.insert(std::string(backend_name(run.backend)));
    }
  }
  return gaps;
}

}  // namespace conncheck
