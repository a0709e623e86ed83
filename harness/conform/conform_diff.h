// `conncheck conform --diff A.json B.json`: what changed between two runs of
// the conformance matrix (two kernels, libcs or harness versions), read from
// the JSON that `conncheck conform --format json` writes. Pure: two parsed
// documents in, the changed cells out; the CLI reads the files and chooses
// the exit code.
//
// Example usage:
//   for (const json* doc : {&a, &b})
//     if (std::string why = conform_matrix_problem(*doc); !why.empty()) ... // not a matrix
//   const ConformDiff d = diff_conform(a, b);
//   fmt::print("{}", render_diff_terminal(d, "host.json", "61.json"));
//   return d.entries.empty() ? 0 : 1;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace conncheck {

// Two kinds of cell are compared:
//  - a matrix cell (row x column): its state (provoked, partly,
//    not-provoked, not-applicable) and its sentence;
//  - a case run (case x backend, in a row and column): the result of each
//    step (ret or errno, SO_ERROR for a getsockopt) with the Oracle's
//    verdict, whether it was provoked or a finding, and its set-up error.
// What varies from run to run of the same harness on the same kernel is
// left out: timings (`seconds`, "46.9us"), descriptor numbers, ephemeral
// ports and the private directory's name (all in traces, explanations and
// Programs, which are therefore not compared beyond each step's result).
enum class DiffKind : std::uint8_t { kCell, kRun };

// One thing that differs inside a cell present on both sides.
struct DiffChange {
  std::string what;  // "state", "text", "step 2", "provoked", "finding", "set-up"
  std::string a, b;  // "-" when a step is absent on that side
};

struct DiffEntry {
  DiffKind kind = DiffKind::kCell;
  std::string row, column;
  std::string case_name, backend;  // kRun only
  // The outcome on each side, one line; nullopt: the cell is not on that
  // side. For a cell on both sides, only what differs (`changes` joined).
  std::optional<std::string> a, b;
  std::vector<DiffChange> changes;  // empty when the cell is on one side only
};

struct ConformDiff {
  std::string kernel_a, kernel_b;
  int cells_compared = 0, runs_compared = 0;  // present on both sides
  // In matrix order: each changed cell, then the changed runs in its row and
  // column (so a kernel's change reads as the cell, then each backend).
  std::vector<DiffEntry> entries;
  int changed() const;    // on both sides, different
  int only_in_a() const;  // on side A only
  int only_in_b() const;
};

// Empty when `doc` is a conform matrix this diff can read; otherwise what is
// wrong, naming the place ("runs[3]: no string 'backend'").
std::string conform_matrix_problem(const nlohmann::json& doc);

// Both documents must pass conform_matrix_problem() (checked).
ConformDiff diff_conform(const nlohmann::json& a, const nlohmann::json& b);

// One line per entry, then a summary line naming both files and kernels.
std::string render_diff_terminal(const ConformDiff& d, std::string_view file_a,
                                 std::string_view file_b);
// {"format": "conncheck-conform-diff/1", "a": {file, kernel}, "b": ...,
//  "counts": {...}, "changes": [{kind, row, column, case, backend, change,
//  a, b, details: [{what, a, b}]}]}; the nightly report reads it.
std::string render_diff_json(const ConformDiff& d, std::string_view file_a,
                             std::string_view file_b);

}  // namespace conncheck
