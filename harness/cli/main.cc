// conncheck: the command-line front end. Subcommands live in their own
// files (cmd_*.cc); this file wires them up and owns the exit codes:
//   0 done, nothing found   1 a finding or an isolation problem
//   2 bad command line       3 environment problem (sandbox, io_uring, ...)
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

#include "commands.h"
#include "program/errors.h"

namespace {

// The subcommands, comma-separated, for the unknown-command line.
std::string subcommand_list(CLI::App& app) {
  std::string names;
  for (const CLI::App* sc : app.get_subcommands([](CLI::App*) { return true; }))
    names += (names.empty() ? "" : ", ") + sc->get_name();
  return names;
}

// The first word that is not an option names the subcommand: the top level
// takes no option with a value. Checked before CLI11 parses, because CLI11
// reads the words after an unknown one first: `nosuch --help` printed the
// general help and exited 0, and `nosuch --anything x` said only that a
// subcommand is required. An unknown subcommand is one line naming it and
// the subcommands, exit 2, whatever follows it (issue 14).
std::string unknown_subcommand(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with("-")) continue;
    for (const CLI::App* sc : app.get_subcommands([](CLI::App*) { return true; }))
      if (sc->check_name(std::string(word))) return "";
    return std::string(word);
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "conncheck: a verification harness for connect(2).\n"
      "Every command that calls connect() runs inside a private network namespace\n"
      "(see `conncheck sandbox-check`) unless told otherwise."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  conncheck::cli::Registry reg;
  conncheck::cli::add_sandbox_check(app, reg);
  conncheck::cli::add_call(app, reg);
  conncheck::cli::add_conform(app, reg);
  conncheck::cli::add_repro(app, reg);
  if (const std::string bad = unknown_subcommand(app, argc, argv); !bad.empty()) {
    fmt::print(stderr, "conncheck: unknown command '{}' (commands: {}; see --help)\n", bad,
               subcommand_list(app));
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line naming what is wrong; --help has the rest.
    fmt::print(stderr, "conncheck: {} (see --help)\n", e.what());
    return 2;
  }
  try {
    return reg.run();
  } catch (const conncheck::cli::UsageError& e) {
    fmt::print(stderr, "conncheck: {}\n", e.what());
    return 2;
  } catch (const conncheck::EnvironmentError& e) {
    fmt::print(stderr, "conncheck: environment problem: {}\n", e.what());
    return 3;
  } catch (const conncheck::UnsafeDestination& e) {
    fmt::print(stderr, "conncheck: {}\n", e.what());
    return 2;
  }
}
