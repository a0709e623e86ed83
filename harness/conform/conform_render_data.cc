// JSON (schema: docs/conform-report.schema.json) and JUnit renderings.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "conform/conform.h"

namespace conncheck {

namespace {

std::string_view state_word(CellState s) {
  constexpr std::string_view kWords[] = {"provoked", "partly", "not-provoked", "not-applicable"};
  return kWords[static_cast<int>(s)];
}
std::string_view kind_word(RowKind k) {
  constexpr std::string_view kWords[] = {"documented", "rule", "known"};
  return kWords[static_cast<int>(k)];
}

std::string xml_escape(std::string_view in) {
  std::string out;
  for (char ch : in) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

std::string render_json(const ConformReport& r) {
  using nlohmann::json;
  json j{{"format", "conncheck-conform/1"},
         {"kernel", r.kernel},
         {"model_kernel", to_string(r.model_kernel)},
         {"seconds", r.seconds},
         {"findings", r.findings()}};
  j["columns"] = json::array();
  for (Column c : kColumns) j["columns"].push_back(column_name(c));
  j["rows"] = json::array();
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    json cells = json::array();
    for (Column c : kColumns) {
      const Cell& cell = r.cells[i][static_cast<int>(c)];
      cells.push_back(
          {{"column", column_name(c)}, {"state", state_word(cell.state)}, {"text", cell.text}});
    }
    j["rows"].push_back({{"id", r.rows[i].id},
                         {"kind", kind_word(r.rows[i].kind)},
                         {"label", r.rows[i].label},
                         {"errno", r.rows[i].err ? json(errno_name(r.rows[i].err)) : json(nullptr)},
                         {"cells", cells}});
  }
  j["runs"] = json::array();
  for (const CaseRun& run : r.runs) {
    json steps = json::array();
    for (std::size_t i = 0; i < run.trace.steps.size(); ++i)
      steps.push_back({{"trace", step_to_string(run.trace.steps[i])},
                       {"verdict", verdict_name(run.verdicts[i].kind)},
                       {"explanation", explain(run.verdicts[i])}});
    json e{{"case", run.c->name},
           {"row", run.c->row},
           {"column", column_name(run.c->column)},
           {"backend", backend_name(run.backend)},
           {"setup", setup_name(run.c->setup)},
           {"provoked", run.provoked()},
           {"finding", run.finding()},
           {"seconds", run.seconds},
           {"program", run.c->program},
           {"steps", steps},
           {"target_step", run.c->target}};
    if (!run.setup_error.empty()) e["setup_error"] = run.setup_error;
    j["runs"].push_back(std::move(e));
  }
  j["gaps"] = json::array();
  for (const auto& [where, g] : documentation_gaps(r))
    j["gaps"].push_back({{"outcome", g.outcome},
                         {"reason", g.reason},
                         {"where", where},
                         {"backends", g.backends},
                         {"trace", g.trace}});
  return j.dump(2) + "\n";
}

std::string render_junit(const ConformReport& r) {
  int failures = 0, skipped = 0;
  std::string body;
  for (const CaseRun& run : r.runs) {
    body += fmt::format("  <testcase classname=\"conform.{}\" name=\"{}\" time=\"{:.3f}\">\n",
                        xml_escape(run.c->row),
                        xml_escape(fmt::format("{} [{}]", run.c->name, backend_name(run.backend))),
                        run.seconds);
    if (run.finding()) {
      ++failures;
      std::string why;
      for (const Verdict& v : run.verdicts)
        if (v.finding()) why += explain(v) + "\n";
      body += fmt::format("    <failure message=\"{}\">{}</failure>\n",
                          xml_escape(why.substr(0, why.find('\n'))),
                          xml_escape(why + to_string(run.trace)));
    } else if (!run.provoked()) {
      ++skipped;
      body += fmt::format("    <skipped message=\"not provoked\"/>\n");
    }
    body += "  </testcase>\n";
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"conncheck.conform\" "
      "tests=\"{}\" failures=\"{}\" "
      "skipped=\"{}\" time=\"{:.3f}\">\n{}</testsuite>\n",
      r.runs.size(), failures, skipped, r.seconds, body);
}

}  // namespace conncheck
