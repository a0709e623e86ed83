// The conformance matrix (`conncheck conform`): one curated Program per
// documented errno and rule, per (family, type) column where it applies,
// run in the sandbox under every backend and judged by the Oracle.
//
// Example usage:
//   Sandbox::enter();
//   ConformReport r = run_conform({});               // forks one child per case
//   fmt::print("{}", render_terminal(r));
//   return r.findings() ? 1 : 0;
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "oracle/oracle.h"
#include "sandbox/sandbox.h"

namespace conncheck {

// What a case needs around its Program. These change the whole process
// (capabilities, cgroup, a sysctl of the namespace), so they are done in the
// case's own forked child, never by the executor a fuzzer shares.
enum class Setup : std::uint8_t {
  kNone,
  kOnePort,         // ip_local_port_range = one port (the runner holds it; cases run alone)
  kBpfDenyConnect,  // a cgroup-v2 BPF connect4/connect6 hook returning 0 (reject)
  kUnixNoWrite,     // a listener at setup_path, mode 0500, then CAP_DAC_OVERRIDE dropped
  kUnixNoSearch,    // a listener in setup_path's directory, dir mode 0600, caps dropped
  kSymlinkLoop,     // setup_path is a symlink to itself
};
std::string_view setup_name(Setup s);

struct ConformCase {
  std::string name;  // "ETIMEDOUT/AF_INET/stream/full-backlog"
  std::string row;   // a DocumentedError id, a Rule row, or a KnownOutcome id
  Column column;
  Program program;
  int target = 0;          // the step whose outcome decides "provoked"
  int want_err = 0;        // errno aimed at there (0: success)
  int want_so_error = -1;  // SO_ERROR aimed at, when the target is get_so_error
  Setup setup = Setup::kNone;
  std::string setup_path;
  std::chrono::milliseconds bound{2000};
  bool slow = false;  // waits on timers: started first, run concurrently
};

// The curated cases for one backend run. Ports and paths are unique per
// (case, backend), so every case can run concurrently with every other.
std::vector<ConformCase> conform_cases(const SandboxWorld& w, int backend_index);

// Matrix rows, in print order.
enum class RowKind : std::uint8_t { kDocumented, kRule, kKnown };
struct MatrixRow {
  std::string id;
  RowKind kind;
  std::string label;  // "EACCES (AF_UNIX path permission)"
  int err;            // 0 for rules and success rows
};
std::vector<MatrixRow> matrix_rows();
// Why a cell has no case: "n/a: ..." (the row cannot apply) or a
// "not provoked: ..." reason; empty when a case should exist.
std::string cell_without_case(const MatrixRow& row, Column c);

struct CaseRun {
  const ConformCase* c = nullptr;
  Backend backend = Backend::kLibc;
  Trace trace;
  std::vector<Verdict> verdicts;
  Verdict leak;
  std::string setup_error;  // the environment could not give the setup
  double seconds = 0;
  bool provoked() const;
  bool finding() const;
};

enum class CellState : std::uint8_t { kProvoked, kPartly, kNotProvoked, kNotApplicable };
struct Cell {
  CellState state = CellState::kNotApplicable;
  std::string text;
};

struct ConformOptions {
  std::vector<Backend> backends{std::begin(kAllBackends), std::end(kAllBackends)};
  int jobs = 8;  // concurrent children; most cases sleep, not compute
};

struct ConformReport {
  std::vector<MatrixRow> rows;
  std::vector<std::vector<Cell>> cells;  // [row][column]
  std::vector<ConformCase> cases;        // every backend's cases, owned here
  std::vector<CaseRun> runs;
  double seconds = 0;
  std::string kernel;  // uname -r
  // The version the Model judged the runs as (WorldFacts::kernel), which
  // decides the version-scoped known outcomes.
  KernelVersion model_kernel;
  int findings() const;
};

ConformReport run_conform(const ConformOptions& o);
// Fills rows and cells from runs (separate so tests can feed synthetic runs).
void build_matrix(ConformReport& r);

// An outcome the Linux page does not document (a Known verdict), with the
// backends that showed it and one trace line; keyed "case step N".
struct Gap {
  std::string outcome, reason, trace;
  std::set<std::string> backends;
};
std::map<std::string, Gap> documentation_gaps(const ConformReport& r);

// One renderer per output format, each reading the same ConformReport.
std::string render_terminal(const ConformReport& r);
std::string render_markdown(const ConformReport& r);
std::string render_json(const ConformReport& r);
std::string render_junit(const ConformReport& r);

// Applies `s` in this process (a forked child). Throws EnvironmentError.
// The returned fds (listeners made by the setup) must live until the child exits.
std::vector<int> apply_setup(const ConformCase& c);
// The cgroup a kBpfDenyConnect case's child `pid` runs in (made by
// apply_setup); the parent removes it when the child is done.
std::string cgroup_path_for(int pid);

}  // namespace conncheck
