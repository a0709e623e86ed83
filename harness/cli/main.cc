// conncheck: the command-line front end. Subcommands live in their own
// files (cmd_*.cc); this file wires them up and owns the exit codes:
//   0 done, nothing found   1 a finding or an isolation problem
//   2 bad command line       3 environment problem (sandbox, io_uring, ...)
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.h"
#include "conncheck/errors.h"

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
