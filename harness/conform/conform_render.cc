// Terminal and markdown renderings of a ConformReport: the grid first (one
// word per cell), then every cell's sentence, the findings with their
// traces, and the documentation gaps.
#include <set>

#include <fmt/format.h>

#include "conform/conform.h"

namespace conncheck {
namespace {

std::string_view short_state(CellState s) {
  switch (s) {
    case CellState::kProvoked: return "provoked";
    case CellState::kPartly: return "partly";
    case CellState::kNotProvoked: return "NOT";
    case CellState::kNotApplicable: return "n/a";
  }
  return "?";
}

std::string header(const ConformReport& r) {
  std::set<std::string_view> backends;
  for (const CaseRun& run : r.runs) backends.insert(backend_name(run.backend));
  return fmt::format(
      "conncheck conform: kernel {} (Model: {}), backends {}, {} case runs, {:.1f} s, {} "
      "finding(s)\n",
      r.kernel, to_string(r.model_kernel), fmt::join(backends, ", "), r.runs.size(), r.seconds,
      r.findings());
}

}  // namespace

std::string findings_text(const ConformReport& r, bool markdown) {
  std::string s;
  for (const CaseRun& run : r.runs) {
    if (!run.finding()) continue;
    s += fmt::format("{}{} [{}]\n", markdown ? "- " : "  ", run.c->name, backend_name(run.backend));
    for (std::size_t i = 0; i < run.verdicts.size(); ++i)
      if (run.verdicts[i].finding())
        s += fmt::format("{}    {}\n{}    at: {}\n", markdown ? "  " : "", explain(run.verdicts[i]),
                         markdown ? "  " : "", step_to_string(run.trace.steps[i]));
    if (run.leak.kind == VerdictKind::kLeak) s += fmt::format("    {}\n", explain(run.leak));
    s += markdown ? "  ```\n" : "";
    s += to_string(run.trace);
    s += markdown ? "  ```\n" : "";
  }
  return s;
}

std::string render_terminal(const ConformReport& r) {
  std::string s = header(r);
  s += fmt::format("{:<48}", "row");
  for (Column c : kColumns) s += fmt::format(" {:<17}", column_name(c));
  s += "\n";
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    s += fmt::format("{:<48}", r.rows[i].label);
    for (const Cell& c : r.cells[i]) s += fmt::format(" {:<17}", short_state(c.state));
    s += "\n";
  }
  s += "\nCells:\n";
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    s += fmt::format("{}\n", r.rows[i].label);
    for (Column c : kColumns)
      s += fmt::format("  {:<18} {}\n", column_name(c), r.cells[i][static_cast<int>(c)].text);
  }
  s += "\nFindings (violations, hangs, leaks):\n";
  const std::string f = findings_text(r, false);
  s += f.empty() ? "  none\n" : f;
  s += "\nDocumentation gaps (outcomes the Linux page does not document):\n";
  for (const auto& [where, g] : documentation_gaps(r))
    s += fmt::format("  {} - {}\n    {} [{}]\n    {}\n", g.outcome, g.reason, where,
                     fmt::join(g.backends, ","), g.trace);
  return s;
}

std::string render_markdown(const ConformReport& r) {
  std::string s = "# conncheck conform\n\n" + header(r) + "\n| row |";
  for (Column c : kColumns) s += fmt::format(" {} |", column_name(c));
  s += "\n|---|";
  for (int i = 0; i < kColumnCount; ++i) s += "---|";
  s += "\n";
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    s += fmt::format("| {} |", r.rows[i].label);
    for (const Cell& c : r.cells[i]) s += fmt::format(" {} |", c.text);
    s += "\n";
  }
  s += "\n## Findings\n\n";
  const std::string f = findings_text(r, true);
  s += f.empty() ? "None.\n" : f;
  s += "\n## Documentation gaps\n\nOutcomes observed that the Linux page (man-pages 3.35) does not "
       "document:\n\n";
  for (const auto& [where, g] : documentation_gaps(r))
    s += fmt::format("- **{}** ({}), {} [{}]: `{}`\n", g.outcome, g.reason, where,
                     fmt::join(g.backends, ","), g.trace);
  return s;
}

}  // namespace conncheck
