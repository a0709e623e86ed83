// The conformance matrix, run for real in the sandbox under all three
// backends (about 6 s): no findings, every Linux-table errno provoked
// somewhere, no silent cell, and the JSON output valid against
// docs/conform-report.schema.json (checked by Debian's python3-jsonschema).
#include <errno.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "conform/conform.h"

namespace conncheck {
namespace {

const std::filesystem::path kSchema = std::filesystem::path(__FILE__).parent_path().parent_path() /
                                      "docs" / "conform-report.schema.json";

// 0 when `doc` is valid; the validator's message is printed otherwise.
int validate(const std::string& doc) {
  char tmpl[] = "/tmp/conncheck-conform-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  EXPECT_GE(fd, 0);
  std::ofstream(tmpl) << doc;
  ::close(fd);
  const std::string cmd =
      "/usr/bin/python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' " +
      std::string(tmpl) + " " + kSchema.string();
  const int rc = std::system(cmd.c_str());
  std::filesystem::remove(tmpl);
  return rc;
}

bool provoked_somewhere(const ConformReport& r, std::string_view row_id) {
  for (std::size_t i = 0; i < r.rows.size(); ++i)
    if (r.rows[i].id == row_id)
      for (const Cell& c : r.cells[i])
        if (c.state == CellState::kProvoked || c.state == CellState::kPartly) return true;
  return false;
}

TEST(ConformMatrix, RunsCleanProvokesTheLinuxTableAndEmitsValidJson) {
  const ConformReport r = run_conform({});
  EXPECT_EQ(r.findings(), 0) << render_terminal(r);
  // How long it took is recorded, not asserted: a loaded machine is slow,
  // not wrong (issue 14). The nightly report carries conform.json's seconds.
  RecordProperty("seconds", fmt::format("{:.1f}", r.seconds));

  for (const char* id : {"EACCES-path",  "EACCES-broadcast", "EPERM",       "EADDRNOTAVAIL",
                         "EAFNOSUPPORT", "EAGAIN",           "EALREADY",    "EBADF",
                         "ECONNREFUSED", "EFAULT",           "EINPROGRESS", "EINTR",
                         "EISCONN",      "ENETUNREACH",      "ENOTSOCK",    "ETIMEDOUT",
                         "EHOSTUNREACH", "ENOENT",           "ENOTDIR",     "ELOOP"})
    EXPECT_TRUE(provoked_somewhere(r, id)) << id;
  for (const Rule& rule : rules()) EXPECT_TRUE(provoked_somewhere(r, rule.row)) << rule.row;

  for (std::size_t i = 0; i < r.rows.size(); ++i)
    for (const Cell& c : r.cells[i]) EXPECT_FALSE(c.text.empty()) << r.rows[i].id;

  // Linux answers a taken 4-tuple with EADDRNOTAVAIL: the cell says so
  // rather than picking a side.
  for (std::size_t i = 0; i < r.rows.size(); ++i)
    if (r.rows[i].id == "EADDRINUSE") {
      EXPECT_NE(r.cells[i][static_cast<int>(Column::kInetStream)].text.find("EADDRNOTAVAIL"),
                std::string::npos);
    }

  const std::string json = render_json(r);
  EXPECT_EQ(validate(json), 0);
  // The schema check can fail: a report without its rows is rejected.
  auto broken = nlohmann::json::parse(json);
  broken.erase("rows");
  EXPECT_NE(validate(broken.dump()), 0);

  const std::string junit = render_junit(r);
  EXPECT_NE(junit.find("<testsuite name=\"conncheck.conform\""), std::string::npos);
  EXPECT_NE(render_markdown(r).find("## Documentation gaps"), std::string::npos);
}

}  // namespace
}  // namespace conncheck
