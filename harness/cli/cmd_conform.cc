// `conncheck conform`: the conformance matrix (see conform.h), printed as a
// terminal table, markdown, JSON or JUnit. Exit 1 on any finding.
#include <fstream>

#include <fmt/format.h>

#include "commands.h"
#include "conform/conform.h"
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

int run_conform_cmd(const ConformArgs& a) {
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
  sub->add_option("--backend", args->backend, "Run under one backend only")
      ->check(CLI::IsMember({"libc", "syscall", "io_uring", "all"}))
      ->capture_default_str();
  sub->add_option("--jobs", args->jobs, "Case children running at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  reg.add(sub, [args] { return run_conform_cmd(*args); });
}

}  // namespace conncheck::cli
