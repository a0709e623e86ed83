// `conncheck conform`: the conformance matrix (see conform.h), printed as a
// terminal table, markdown, JSON or JUnit. Exit 1 on any finding.
#include <fstream>

#include <fmt/format.h>

#include "commands.h"
#include "conncheck/conform.h"
#include "conncheck/errors.h"
#include "conncheck/sandbox.h"

namespace conncheck::cli {
namespace {

struct ConformArgs {
  std::string format = "terminal";
  std::string output;
  std::string backend = "all";
  int jobs = 8;
};

int run_conform_cmd(const ConformArgs& a) {
  ConformOptions o;
  o.jobs = a.jobs;
  if (a.backend != "all") {
    o.backends.clear();
    parse_backend(a.backend, &o.backends.emplace_back());
  }
  Sandbox::keep_writable(a.output);  // written after the run, in the sandbox
  const ConformReport r = run_conform(o);
  const std::string text = a.format == "markdown" ? render_markdown(r)
                           : a.format == "json"   ? render_json(r)
                           : a.format == "junit"  ? render_junit(r)
                                                  : render_terminal(r);
  if (a.output.empty()) {
    fmt::print("{}", text);
  } else {
    std::ofstream f(a.output);
    if (!(f << text)) throw EnvironmentError("cannot write " + a.output);
    fmt::print(stderr, "conncheck conform: {} case runs in {:.1f} s, {} finding(s); report in {}\n", r.runs.size(),
               r.seconds, r.findings(), a.output);
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
      "reasons), findings, and the outcomes the Linux page does not document. Exit 1 on a finding.");
  sub->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"terminal", "markdown", "json", "junit"}))
      ->capture_default_str();
  sub->add_option("--output", args->output, "Write the report to FILE instead of stdout");
  sub->add_option("--backend", args->backend, "Run under one backend only")
      ->check(CLI::IsMember({"libc", "syscall", "io_uring", "all"}))
      ->capture_default_str();
  sub->add_option("--jobs", args->jobs, "Case children running at once")->check(CLI::Range(1, 64))->capture_default_str();
  reg.add(sub, [args] { return run_conform_cmd(*args); });
}

}  // namespace conncheck::cli
