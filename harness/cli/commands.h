// Subcommand registration for the conncheck CLI. Each add_* adds its
// options to `app` and registers the function that runs it.
#pragma once

#include <functional>
#include <stdexcept>

#include <CLI/CLI.hpp>

namespace conncheck::cli {

// A command line that parsed but makes no sense (e.g. an address that does
// not parse): one line, exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Registry {
 public:
  void add(CLI::App* sub, std::function<int()> run) { entries_.push_back({sub, std::move(run)}); }
  int run() const {
    for (const auto& e : entries_)
      if (e.sub->parsed()) return e.run();
    return 2;
  }

 private:
  struct Entry {
    CLI::App* sub;
    std::function<int()> run;
  };
  std::vector<Entry> entries_;
};

void add_sandbox_check(CLI::App& app, Registry& reg);
void add_call(CLI::App& app, Registry& reg);
void add_conform(CLI::App& app, Registry& reg);
void add_repro(CLI::App& app, Registry& reg);

}  // namespace conncheck::cli
