// conform --diff (conform/conform_diff.h) on small hand-written matrices:
// a changed cell and run are found, run-to-run noise is not, a cell on one
// side only is listed as such, and a document that is not a matrix is
// named as such instead of being diffed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conform/conform_diff.h"

namespace conncheck {
namespace {

using nlohmann::json;

json step(const std::string& trace, const std::string& verdict) {
  return {{"trace", trace}, {"verdict", verdict}, {"explanation", verdict + ": ..."}};
}

// One row (EBADF) over two columns, its AF_INET cell provoked by one case
// run under libc; the shape `conform --format json` writes.
json matrix(const std::string& kernel) {
  json run = {{"case", "EBADF/AF_INET/stream/closed-descriptor"},
              {"row", "EBADF"},
              {"column", "AF_INET/stream"},
              {"backend", "libc"},
              {"setup", "none"},
              {"provoked", true},
              {"finding", false},
              {"seconds", 0.0017},
              {"program", json::array()},
              {"target_step", 2},
              {"steps",
               {step("socket(AF_INET, SOCK_STREAM, 0) = 9", "not-judged"),
                step("close(9) = 0", "not-judged"),
                step("connect(-1, {sa_family=AF_INET, sin_port=htons(20004), "
                     "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 EBADF (Bad file descriptor) "
                     "/* peer=-1 EBADF, local=-1 EBADF, SO_ERROR=? (EBADF), 46.9us */",
                     "ok")}}};
  json cells = {{{"column", "AF_INET/stream"},
                 {"state", "provoked"},
                 {"text", "provoked by EBADF/AF_INET/stream/closed-descriptor"}},
                {{"column", "AF_UNIX/stream"},
                 {"state", "not-provoked"},
                 {"text", "not provoked: no curated program for this cell (a gap in the matrix)"}}};
  return {{"format", "conncheck-conform/1"},
          {"kernel", kernel},
          {"seconds", 5.5},
          {"findings", 0},
          {"columns", {"AF_INET/stream", "AF_UNIX/stream"}},
          {"rows",
           {{{"id", "EBADF"},
             {"kind", "documented"},
             {"label", "EBADF"},
             {"errno", "EBADF"},
             {"cells", cells}}}},
          {"runs", {run}},
          {"gaps", json::array()}};
}

TEST(ConformDiff, IdenticalMatricesDifferInNothing) {
  const ConformDiff d = diff_conform(matrix("6.12.48"), matrix("6.12.48"));
  EXPECT_TRUE(d.entries.empty());
  EXPECT_EQ(d.cells_compared, 2);
  EXPECT_EQ(d.runs_compared, 1);
  EXPECT_NE(render_diff_terminal(d, "a.json", "b.json").find("no change"), std::string::npos);
}

TEST(ConformDiff, RunToRunNoiseIsNoChange) {
  json b = matrix("6.12.48");
  b["seconds"] = 9.1;
  json& run = b["runs"][0];
  run["seconds"] = 0.9;
  run["steps"][0] = step("socket(AF_INET, SOCK_STREAM, 0) = 12", "not-judged");
  run["steps"][1] = step("close(12) = 0", "not-judged");
  run["steps"][2] = step(
      "connect(-1, {sa_family=AF_INET, sin_port=htons(41234), sin_addr=inet_addr(\"127.0.0.1\")}, "
      "16) = -1 EBADF (Bad file descriptor) /* peer=-1 EBADF, local=-1 EBADF, SO_ERROR=? (EBADF), "
      "3.1us */",
      "ok");
  EXPECT_TRUE(diff_conform(matrix("6.12.48"), b).entries.empty());
}

TEST(ConformDiff, FindsTheChangedCellAndRun) {
  json b = matrix("6.1.0-40-amd64");
  json& run = b["runs"][0];
  run["provoked"] = false;
  run["finding"] = true;
  run["steps"][2] =
      step("connect(-1, {...}, 16) = -1 ENOTSOCK (Socket operation on non-socket)", "violation");
  b["rows"][0]["cells"][0]["state"] = "not-provoked";
  b["rows"][0]["cells"][0]["text"] = "not provoked by EBADF/AF_INET/stream/closed-descriptor";
  const ConformDiff d = diff_conform(matrix("6.12.48"), b);
  ASSERT_EQ(d.entries.size(), 2u);
  EXPECT_EQ(d.changed(), 2);
  const DiffEntry& cell = d.entries[0];
  EXPECT_EQ(cell.kind, DiffKind::kCell);
  EXPECT_EQ(cell.column, "AF_INET/stream");
  EXPECT_EQ(cell.a, "provoked");
  EXPECT_EQ(cell.b, "not-provoked");
  const DiffEntry& run_entry = d.entries[1];
  EXPECT_EQ(run_entry.kind, DiffKind::kRun);
  EXPECT_EQ(run_entry.backend, "libc");
  ASSERT_EQ(run_entry.changes.size(), 1u);  // provoked and finding follow from the step
  EXPECT_EQ(run_entry.changes[0].what, "step 2");
  EXPECT_EQ(run_entry.changes[0].a, "EBADF (ok)");
  EXPECT_EQ(run_entry.changes[0].b, "ENOTSOCK (violation)");
  const std::string text = render_diff_terminal(d, "host.json", "61.json");
  EXPECT_NE(text.find("EBADF | AF_INET/stream: provoked -> not-provoked  [6.12.48 -> "
                      "6.1.0-40-amd64]\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("EBADF | AF_INET/stream | libc | EBADF/AF_INET/stream/closed-descriptor: "
                      "step 2: EBADF (ok) -> ENOTSOCK (violation)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("2 changed, 0 only in host.json, 0 only in 61.json"), std::string::npos);
  const json j = json::parse(render_diff_json(d, "host.json", "61.json"));
  EXPECT_EQ(j["counts"]["changed"], 2);
  EXPECT_EQ(j["changes"][1]["a"], "step 2: EBADF (ok)");
  EXPECT_EQ(j["changes"][1]["b"], "step 2: ENOTSOCK (violation)");
  EXPECT_EQ(j["b"]["kernel"], "6.1.0-40-amd64");
}

// The result is read from the trace line: SO_ERROR from getsockopt's
// argument, a watchdog's HANG note over the errno it left.
TEST(ConformDiff, ReadsSoErrorAndHangsFromTheTrace) {
  json a = matrix("k"), b = matrix("k");
  a["runs"][0]["steps"][1] = step("getsockopt(14, SOL_SOCKET, SO_ERROR, [0], [4]) = 0", "ok");
  b["runs"][0]["steps"][1] =
      step("getsockopt(15, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0", "ok");
  b["runs"][0]["steps"][2] = step(
      "connect(9, {...}, 16) = -1 EINTR (Interrupted system call) /* HANG: interrupted by "
      "the watchdog */ /* peer=-1 ENOTCONN, 2000012.0us */",
      "hang");
  const ConformDiff d = diff_conform(a, b);
  ASSERT_EQ(d.entries.size(), 1u);
  ASSERT_EQ(d.entries[0].changes.size(), 2u);
  EXPECT_EQ(d.entries[0].changes[0].a, "0, SO_ERROR=0 (ok)");
  EXPECT_EQ(d.entries[0].changes[0].b, "0, SO_ERROR=ECONNREFUSED (ok)");
  EXPECT_EQ(d.entries[0].changes[1].b, "a hang (watchdog) (hang)");
}

TEST(ConformDiff, ALeakNoStepShowsIsStillAChange) {
  json b = matrix("6.12.48");
  b["runs"][0]["finding"] = true;
  const ConformDiff d = diff_conform(matrix("6.12.48"), b);
  ASSERT_EQ(d.entries.size(), 1u);
  EXPECT_EQ(d.entries[0].a, "finding: no");
  EXPECT_EQ(d.entries[0].b, "finding: yes");
}

TEST(ConformDiff, ACellOnOneSideOnlyIsListedAsSuch) {
  json b = matrix("6.12.48");
  json row = b["rows"][0];
  row["id"] = "EPERM";
  b["rows"].push_back(row);
  json run = b["runs"][0];
  run["row"] = "EPERM";
  run["case"] = "EPERM/AF_INET/stream/bpf";
  b["runs"].push_back(run);
  const ConformDiff d = diff_conform(matrix("6.12.48"), b);
  EXPECT_EQ(d.changed(), 0);
  EXPECT_EQ(d.only_in_a(), 0);
  EXPECT_EQ(d.only_in_b(), 3);  // two cells and the run
  ASSERT_EQ(d.entries.size(), 3u);
  EXPECT_EQ(d.entries[1].kind, DiffKind::kRun);
  EXPECT_FALSE(d.entries[1].a);
  EXPECT_EQ(d.entries[1].b, "step 2: EBADF (ok)");
  // Swapped, the same cells are on side A only.
  EXPECT_EQ(diff_conform(b, matrix("6.12.48")).only_in_a(), 3);
  EXPECT_NE(render_diff_terminal(d, "a.json", "b.json")
                .find("EPERM | AF_INET/stream: only in b.json [6.12.48]: provoked"),
            std::string::npos);
}

TEST(ConformDiff, ANonMatrixIsNamedNotDiffed) {
  EXPECT_EQ(conform_matrix_problem(matrix("k")), "");
  EXPECT_NE(conform_matrix_problem(json::array()), "");
  json other = matrix("k");
  other["format"] = "conncheck-report/1";
  EXPECT_EQ(conform_matrix_problem(other),
            "not a conform matrix: format is \"conncheck-report/1\", want \"conncheck-conform/1\"");
  json no_backend = matrix("k");
  no_backend["runs"][0].erase("backend");
  EXPECT_EQ(conform_matrix_problem(no_backend),
            "not a conform matrix: runs[0]: no string 'backend'");
  json bad_state = matrix("k");
  bad_state["rows"][0]["cells"][1]["state"] = 3;
  EXPECT_EQ(conform_matrix_problem(bad_state),
            "not a conform matrix: rows[0].cells[1]: no string 'state'");
  json twice = matrix("k");
  twice["runs"].push_back(twice["runs"][0]);
  EXPECT_NE(conform_matrix_problem(twice).find("runs[1]: case "), std::string::npos);
}

}  // namespace
}  // namespace conncheck
