// The two renderings of a ConformDiff: a line per changed cell for a person
// at a terminal, and JSON for the nightly report (report/load_kernels.py).
#include <fmt/format.h>

#include "conform/conform_diff.h"

namespace conncheck {
namespace {

std::string where(const DiffEntry& e) {
  if (e.kind == DiffKind::kCell) return fmt::format("{} | {}", e.row, e.column);
  return fmt::format("{} | {} | {} | {}", e.row, e.column, e.backend, e.case_name);
}

// "step 2: EBADF (ok) -> ENOTSOCK (violation)"; a cell's new sentence is
// left out when its state changed (the state says it, the runs say why).
std::string arrows(const DiffEntry& e) {
  std::vector<std::string> parts;
  for (const DiffChange& c : e.changes) {
    if (c.what == "text" && e.changes.front().what == "state") continue;
    const bool bare = c.what == "state" || c.what == "text";
    parts.push_back(fmt::format("{}{} -> {}", bare ? "" : c.what + ": ", c.a, c.b));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

std::string render_diff_terminal(const ConformDiff& d, std::string_view file_a,
                                 std::string_view file_b) {
  std::string s;
  for (const DiffEntry& e : d.entries) {
    if (e.a && e.b)
      s += fmt::format("{}: {}  [{} -> {}]\n", where(e), arrows(e), d.kernel_a, d.kernel_b);
    else if (e.a)
      s += fmt::format("{}: only in {} [{}]: {}\n", where(e), file_a, d.kernel_a, *e.a);
    else
      s += fmt::format("{}: only in {} [{}]: {}\n", where(e), file_b, d.kernel_b, *e.b);
  }
  const std::string compared = fmt::format("{} matrix cells and {} case runs on both sides",
                                           d.cells_compared, d.runs_compared);
  s += fmt::format("conncheck conform --diff: {} (kernel {}) vs {} (kernel {}): ", file_a,
                   d.kernel_a, file_b, d.kernel_b);
  if (d.entries.empty()) return s + fmt::format("no change ({})\n", compared);
  return s + fmt::format("{} changed, {} only in {}, {} only in {} ({})\n", d.changed(),
                         d.only_in_a(), file_a, d.only_in_b(), file_b, compared);
}

std::string render_diff_json(const ConformDiff& d, std::string_view file_a,
                             std::string_view file_b) {
  using json = nlohmann::ordered_json;  // "format" first, as written
  const auto text = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
  json changes = json::array();
  for (const DiffEntry& e : d.entries) {
    const bool run = e.kind == DiffKind::kRun;
    json details = json::array();
    for (const DiffChange& c : e.changes)
      details.push_back({{"what", c.what}, {"a", c.a}, {"b", c.b}});
    changes.push_back({{"kind", run ? "run" : "cell"},
                       {"row", e.row},
                       {"column", e.column},
                       {"case", run ? json(e.case_name) : json()},
                       {"backend", run ? json(e.backend) : json()},
                       {"change", e.a && e.b ? "changed"
                                  : e.a      ? "only-in-a"
                                             : "only-in-b"},
                       {"a", text(e.a)},
                       {"b", text(e.b)},
                       {"details", details}});
  }
  const json j{{"format", "conncheck-conform-diff/1"},
               {"a", {{"file", file_a}, {"kernel", d.kernel_a}}},
               {"b", {{"file", file_b}, {"kernel", d.kernel_b}}},
               {"counts",
                {{"changed", d.changed()},
                 {"only_in_a", d.only_in_a()},
                 {"only_in_b", d.only_in_b()},
                 {"cells_compared", d.cells_compared},
                 {"runs_compared", d.runs_compared}}},
               {"changes", changes}};
  return j.dump(2) + "\n";
}

}  // namespace conncheck
