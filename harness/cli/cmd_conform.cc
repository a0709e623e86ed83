// `conncheck conform`: the conformance matrix (see conform.h), printed as a
// terminal table, markdown, JSON or JUnit. Exit 1 on any finding.
// `conncheck conform --diff A.json B.json`: the cells that changed between
// two such JSON matrices (see conform_diff.h). Exit 1 when any did.
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "commands.h"
#include "conform/conform.h"
#include "conform/conform_diff.h"
#include "program/errors.h"
#include "sandbox/sandbox.h"

namespace conncheck::cli {
namespace {

struct ConformArgs {
  std::string format = "terminal";
  std::string output;
  std::string backend = "all";
  int jobs = 8;
  std::vector<std::string> also;  // "FORMAT=FILE": more views of the same run
  std::vector<std::string> diff;  // A.json B.json: compare instead of running
};

std::string render(const ConformReport& r, std::string_view format) {
  return format == "markdown" ? render_markdown(r)
         : format == "json"   ? render_json(r)
         : format == "junit"  ? render_junit(r)
                              : render_terminal(r);
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  if (!(f << text)) throw EnvironmentError("cannot write " + path);
}

bool known_format(std::string_view f) {
  return f == "terminal" || f == "markdown" || f == "json" || f == "junit";
}

// A matrix written by `conform --format json`, or a UsageError naming the
// file and what is wrong with it.
nlohmann::json load_matrix(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // what(): "[json.exception.parse_error.101] parse error at line 1, ..."
    const std::string_view why = e.what();
    throw UsageError(fmt::format("{}: not JSON: {}", path, why.substr(why.find(']') + 2)));
  }
  if (std::string why = conform_matrix_problem(doc); !why.empty())
    throw UsageError(fmt::format("{}: {}", path, why));
  return doc;
}

int run_diff_cmd(const ConformArgs& a) {
  if (a.format != "terminal" && a.format != "json")
    throw UsageError(fmt::format("--diff writes terminal or json, not {}", a.format));
  if (!a.also.empty()) throw UsageError("--also renders a run of the matrix, not a --diff");
  const std::string &file_a = a.diff.at(0), &file_b = a.diff.at(1);
  const ConformDiff d = diff_conform(load_matrix(file_a), load_matrix(file_b));
  const std::string text = a.format == "json" ? render_diff_json(d, file_a, file_b)
                                              : render_diff_terminal(d, file_a, file_b);
  if (a.output.empty())
    fmt::print("{}", text);
  else
    write_file(a.output, text);
  return d.entries.empty() ? 0 : 1;
}

int run_conform_cmd(const ConformArgs& a) {
  if (!a.diff.empty()) return run_diff_cmd(a);
  ConformOptions o;
  o.jobs = a.jobs;
  if (a.backend != "all") {
    o.backends.clear();
    parse_backend(a.backend, &o.backends.emplace_back());
  }
  // Written after the run, in the sandbox's read-only filesystem.
  Sandbox::keep_writable(a.output);
  for (const std::string& v : a.also) Sandbox::keep_writable(v.substr(v.find('=') + 1));
  const ConformReport r = run_conform(o);
  // Every view renders this one run: the nightly asks for JSON and markdown
  // at once instead of running the matrix twice.
  for (const std::string& v : a.also) {
    const auto eq = v.find('=');
    write_file(v.substr(eq + 1), render(r, v.substr(0, eq)));
  }
  const std::string text = render(r, a.format);
  if (a.output.empty()) {
    fmt::print("{}", text);
  } else {
    write_file(a.output, text);
    fmt::print(stderr, "conncheck conform: {} case runs in {:.1f} s, {} finding(s); report in {}\n",
               r.runs.size(), r.seconds, r.findings(), a.output);
  }
  return r.findings() ? 1 : 0;
}

}  // namespace

void add_conform(CLI::App& app, Registry& reg) {
  auto args = std::make_shared<ConformArgs>();
  auto* sub = app.add_subcommand(
      "conform",
      "Run one curated program per documented connect() errno and rule, per family and type,\n"
      "under every backend, in the sandbox; print the matrix (provoked / not provoked / n/a, with\n"
      "reasons), findings, and the outcomes the Linux page does not document. Exit 1 on a "
      "finding.");
  sub->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"terminal", "markdown", "json", "junit"}))
      ->capture_default_str();
  sub->add_option("--output", args->output, "Write the report to FILE instead of stdout");
  sub->add_option(
         "--also", args->also,
         "Also write FORMAT=FILE from the same run (repeatable), e.g. --also markdown=c.md")
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            const auto eq = v.find('=');
            if (eq == std::string::npos || eq + 1 == v.size())
              return "'" + v + "': expected FORMAT=FILE";
            if (!known_format(std::string_view(v).substr(0, eq)))
              return "'" + v.substr(0, eq) + "': not one of terminal, markdown, json, junit";
            return "";
          },
          "FORMAT=FILE"));
  sub->add_option("--diff", args->diff,
                  "Run nothing: list the cells whose outcome changed from matrix A to matrix B\n"
                  "(both from --format json; e.g. two kernels). Exit 1 when any changed.")
      ->expected(2)
      ->type_name("A.json B.json");
  sub->add_option("--backend", args->backend, "Run under one backend only")
      ->check(CLI::IsMember({"libc", "syscall", "io_uring", "all"}))
      ->capture_default_str();
  sub->add_option("--jobs", args->jobs, "Case children running at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  reg.add(sub, [args] { return run_conform_cmd(*args); });
}

}  // namespace conncheck::cli
