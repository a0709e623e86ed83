// Comparing two conform matrices (see conform_diff.h): each side's cells and
// case runs reduced to what does not vary from run to run, then matched by
// key ((row, column) for a cell, (case, backend) for a run).
#include "conform/conform_diff.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "base/check.h"

namespace conncheck {
namespace {

using nlohmann::json;
using Key = std::pair<std::string, std::string>;  // (row, column) or (case, backend)

struct CellFacts {
  std::string state, text;
};

struct RunFacts {
  Key cell;                        // (row, column)
  std::vector<std::string> steps;  // "EBADF (ok)"
  std::int64_t target = 0;
  bool provoked = false, finding = false;
  std::string setup_error;
};

struct Side {
  std::map<Key, CellFacts> cells;
  std::map<Key, RunFacts> runs;
  std::vector<std::string> rows, columns;  // in the matrix's order
  std::vector<Key> run_order;
};

// The private directory's random suffix and timings, which cell sentences
// and set-up errors may carry (see /tmp/conncheck.XXXXXX in sandbox/).
std::string without_noise(const std::string& s) {
  static const std::regex kDir(R"(conncheck\.[A-Za-z0-9]{6})");
  static const std::regex kTime(R"([0-9][0-9.]* ?(us|ms)\b)");
  return std::regex_replace(std::regex_replace(s, kDir, "conncheck.XXXXXX"), kTime, "T");
}

// A step's result from its strace-style line (program/outcome.cc,
// result_to_string): "connect(9, {...}, 16) = -1 EBADF (Bad file
// descriptor) /* peer=..., 46.9us */" gives "EBADF". The post-state comment
// holds ports and timings, so it is dropped; a return above 0 is a
// descriptor or a byte count, so only its sign is kept.
std::string step_result(std::string_view trace) {
  bool hung = false;
  while (trace.ends_with(" */")) {
    const auto open = trace.rfind(" /* ");
    if (open == std::string_view::npos) break;
    hung |= trace.substr(open).starts_with(" /* HANG");
    trace = trace.substr(0, open);
  }
  if (hung) return "a hang (watchdog)";
  const auto eq = trace.rfind(" = ");
  if (eq == std::string_view::npos) return "no result";
  std::string_view ret = trace.substr(eq + 3);
  std::string out;
  if (ret.starts_with("-1 ")) {
    ret.remove_prefix(3);
    out = std::string(ret.substr(0, ret.find(' ')));
  } else if (ret == "?") {
    out = "refused by the guard";
  } else {
    out = ret == "0" ? "0" : ">0";
  }
  // getsockopt(SO_ERROR) reports its answer in the argument: "[ECONNREFUSED]".
  if (const auto so = trace.find("SO_ERROR, ["); trace.starts_with("getsockopt(") && so < eq) {
    const std::string_view v = trace.substr(so + 11);
    out += fmt::format(", SO_ERROR={}", v.substr(0, v.find(']')));
  }
  return out;
}

void note_order(std::vector<std::string>& order, std::set<std::string>& seen,
                const std::string& s) {
  if (seen.insert(s).second) order.push_back(s);
}

Side read_side(const json& doc) {
  Side s;
  std::set<std::string> seen_rows, seen_columns;
  for (const json& row : doc.at("rows")) {
    const std::string id = row.at("id");
    note_order(s.rows, seen_rows, id);
    for (const json& cell : row.at("cells")) {
      const std::string column = cell.at("column");
      note_order(s.columns, seen_columns, column);
      s.cells[{id, column}] = {cell.at("state"), without_noise(cell.at("text"))};
    }
  }
  for (const json& run : doc.at("runs")) {
    RunFacts f;
    f.cell = {run.at("row"), run.at("column")};
    for (const json& step : run.at("steps"))
      f.steps.push_back(fmt::format("{} ({})", step_result(step.at("trace").get<std::string>()),
                                    step.at("verdict").get<std::string>()));
    f.target = run.at("target_step").get<std::int64_t>();
    f.provoked = run.at("provoked");
    f.finding = run.at("finding");
    f.setup_error = without_noise(run.value("setup_error", ""));
    const Key key{run.at("case"), run.at("backend")};
    s.run_order.push_back(key);
    s.runs[key] = std::move(f);
  }
  return s;
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }
std::string setup_text(const std::string& e) { return e.empty() ? "ok" : "failed: " + e; }

std::vector<DiffChange> changes(const CellFacts& a, const CellFacts& b) {
  std::vector<DiffChange> c;
  if (a.state != b.state) c.push_back({"state", a.state, b.state});
  if (a.text != b.text) c.push_back({"text", a.text, b.text});
  return c;
}

std::vector<DiffChange> changes(const RunFacts& a, const RunFacts& b) {
  std::vector<DiffChange> c;
  for (std::size_t i = 0; i < std::max(a.steps.size(), b.steps.size()); ++i) {
    const std::string x = i < a.steps.size() ? a.steps[i] : "-";
    const std::string y = i < b.steps.size() ? b.steps[i] : "-";
    if (x != y) c.push_back({fmt::format("step {}", i), x, y});
  }
  if (a.setup_error != b.setup_error)
    c.push_back({"set-up", setup_text(a.setup_error), setup_text(b.setup_error)});
  // Each follows from the steps, but for a fd leak (a finding no step
  // shows) and a case whose aim changed between harness versions.
  if (c.empty() && a.provoked != b.provoked)
    c.push_back({"provoked", yes_no(a.provoked), yes_no(b.provoked)});
  if (c.empty() && a.finding != b.finding)
    c.push_back({"finding", yes_no(a.finding), yes_no(b.finding)});
  return c;
}

// A side's whole outcome, for a cell or run the other side does not have.
std::string outcome(const CellFacts& c) { return c.state; }
std::string outcome(const RunFacts& r) {
  if (!r.setup_error.empty()) return setup_text(r.setup_error);
  if (r.target < 0 || r.target >= static_cast<std::int64_t>(r.steps.size()))
    return "no target step";
  return fmt::format("step {}: {}", r.target, r.steps[r.target]);
}

// What differs, one line per side: the state alone when it changed (the
// sentence changes with it), "what: value" for a run's parts.
std::string summary(const std::vector<DiffChange>& cs, bool side_a) {
  std::vector<std::string> parts;
  for (const DiffChange& c : cs) {
    if (c.what == "text" && cs.front().what == "state") continue;
    const std::string& v = side_a ? c.a : c.b;
    parts.push_back(c.what == "state" || c.what == "text" ? v : c.what + ": " + v);
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

// Adds the entry for `key` when its cell or run differs or is on one side.
template <typename Facts>
void add_entry(const std::map<Key, Facts>& a, const std::map<Key, Facts>& b, const Key& key,
               DiffEntry e, ConformDiff& d, int& compared) {
  const auto ia = a.find(key), ib = b.find(key);
  if (ia != a.end() && ib != b.end()) {
    ++compared;
    e.changes = changes(ia->second, ib->second);
    if (e.changes.empty()) return;
    e.a = summary(e.changes, true);
    e.b = summary(e.changes, false);
  } else {
    if (ia != a.end()) e.a = outcome(ia->second);
    if (ib != b.end()) e.b = outcome(ib->second);
  }
  d.entries.push_back(std::move(e));
}

// `order` followed by what only `more` has, each once.
template <typename T>
std::vector<T> merged(std::vector<T> order, const std::vector<T>& more) {
  std::set<T> seen(order.begin(), order.end());
  for (const T& x : more)
    if (seen.insert(x).second) order.push_back(x);
  return order;
}

}  // namespace

int ConformDiff::changed() const {
  return static_cast<int>(
      std::count_if(entries.begin(), entries.end(), [](const DiffEntry& e) { return e.a && e.b; }));
}
int ConformDiff::only_in_a() const {
  return static_cast<int>(
      std::count_if(entries.begin(), entries.end(), [](const DiffEntry& e) { return !e.b; }));
}
int ConformDiff::only_in_b() const {
  return static_cast<int>(
      std::count_if(entries.begin(), entries.end(), [](const DiffEntry& e) { return !e.a; }));
}

ConformDiff diff_conform(const json& a, const json& b) {
  CONNCHECK_CHECK_MSG(conform_matrix_problem(a).empty() && conform_matrix_problem(b).empty(),
                      "diff_conform needs two conform matrices");
  const Side sa = read_side(a), sb = read_side(b);
  ConformDiff d;
  d.kernel_a = a.at("kernel");
  d.kernel_b = b.at("kernel");
  // Each cell's runs right after it, in the order of the runs.
  std::map<Key, std::vector<Key>> runs_of;
  for (const Key& run : merged(sa.run_order, sb.run_order))
    runs_of[(sa.runs.contains(run) ? sa.runs : sb.runs).at(run).cell].push_back(run);
  for (const std::string& row : merged(sa.rows, sb.rows)) {
    for (const std::string& column : merged(sa.columns, sb.columns)) {
      const Key cell{row, column};
      add_entry(sa.cells, sb.cells, cell, {DiffKind::kCell, row, column}, d, d.cells_compared);
      for (const Key& run : runs_of[cell])
        add_entry(sa.runs, sb.runs, run, {DiffKind::kRun, row, column, run.first, run.second}, d,
                  d.runs_compared);
      runs_of.erase(cell);
    }
  }
  // Runs in a (row, column) neither matrix has, last.
  for (const auto& [cell, runs] : runs_of)
    for (const Key& run : runs)
      add_entry(sa.runs, sb.runs, run,
                {DiffKind::kRun, cell.first, cell.second, run.first, run.second}, d,
                d.runs_compared);
  return d;
}

}  // namespace conncheck
