// `conncheck repro FILE`: replay a finding (a JSON Program or a raw fuzz
// input) in the sandbox, print its trace with the Oracle's verdicts, and
// optionally write it out as a standalone C reproducer.
#include <sys/socket.h>

#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "exec/executor.h"
#include "fuzz/fuzz_input.h"
#include "oracle/oracle.h"
#include "program/errors.h"
#include "program/unix_dirs.h"
#include "repro/emit_c.h"
#include "sandbox/sandbox.h"

namespace conncheck::cli {
namespace {

struct ReproArgs {
  std::string file;
  std::string target;
  std::string backend = "libc";
  std::string emit_c;
  bool json = false;
  int timeout_ms = 2000;
};

std::string all_target_names() {
  std::string s;
  for (FuzzTarget t : kAllFuzzTargets)
    s += fmt::format("{}{}", s.empty() ? "" : ", ", target_name(t));
  return s;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// What FILE holds and how it became a Program.
struct Loaded {
  Program program;
  std::optional<FuzzTarget> target;  // set for raw inputs and for --target
  std::string how;                   // "JSON Program", "raw input of connect_program_fuzzer"
};

Loaded load(const ReproArgs& a) {
  Loaded l;
  if (!a.target.empty()) {
    FuzzTarget t;
    if (!parse_target(a.target, &t))
      throw UsageError(
          fmt::format("--target: unknown target '{}' (one of {})", a.target, all_target_names()));
    l.target = t;
  }
  const std::string bytes = read_file(a.file);
  // A .json file must be a Program; without --target, anything that parses
  // as a Program is one; everything else is a fuzz input, which always
  // decodes (the decoder never rejects).
  const bool must_be_json = ends_with(a.file, ".json");
  if (must_be_json || !l.target) {
    try {
      l.program = nlohmann::json::parse(bytes).get<Program>();
      l.how = "JSON Program";
      return l;
    } catch (const nlohmann::json::exception& e) {
      if (must_be_json)
        throw UsageError(fmt::format("{}: not a JSON Program: {}", a.file, e.what()));
    }
  }
  if (!l.target) l.target = FuzzTarget::kProgram;
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  l.program = decode_input(*l.target, {data, bytes.size()});
  l.how = fmt::format("raw input of {}", target_name(*l.target));
  return l;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!(f << text) || !f.flush()) throw UsageError(fmt::format("--emit-c: cannot write {}", path));
}

int run_repro(const ReproArgs& a) {
  Loaded l = load(a);
  if (std::string why = validate(l.program); !why.empty())
    throw UsageError(fmt::format("{}: invalid program: {}", a.file, why));
  Backend backend;
  parse_backend(a.backend, &backend);  // IsMember checked the name

  Sandbox::keep_writable(a.emit_c);  // written after the run, in the sandbox
  const SandboxWorld& w = Sandbox::enter();
  // AF_UNIX paths in the recording run's private dir name a dir that is
  // gone; replay them in ours (same length, so every other byte is kept).
  const Program p = rebase_unix_dirs(l.program, w.unix_dir);
  const RunOptions opt{.backend = backend, .bound = std::chrono::milliseconds(a.timeout_ms)};
  const Trace t = execute(p, opt);

  TraceJudge judge(WorldFacts{.backend = backend});
  int findings = 0;
  nlohmann::json steps = nlohmann::json::array();
  std::string text = fmt::format("# {}: {}, {} op(s), backend {}\n", a.file, l.how, p.ops.size(),
                                 backend_name(backend));
  for (const Step& s : t.steps) {
    const Verdict v = judge.step(s.op, s.outcome);
    if (v.finding()) ++findings;
    text += step_to_string(s) + "\n";
    nlohmann::json js{
        {"line", step_to_string(s)}, {"outcome", s.outcome}, {"verdict", verdict_name(v.kind)}};
    if (v.kind != VerdictKind::kNotJudged) {
      text += fmt::format("    # {}\n", explain(v));
      js["explain"] = explain(v);
    }
    steps.push_back(std::move(js));
  }

  nlohmann::json target_json;
  if (l.target) {
    // The target's own checks too (leaks, backend disagreement), as the
    // fuzzer would have judged this input.
    const TargetResult r = run_target(*l.target, p);
    if (r.finding) ++findings;
    text += r.finding
                ? fmt::format("# {}: finding ({})\n{}", target_name(*l.target), r.kind, r.report)
                : fmt::format("# {}: clean\n", target_name(*l.target));
    target_json = {{"name", target_name(*l.target)},
                   {"finding", r.finding},
                   {"kind", r.kind},
                   {"report", r.report}};
  }

  if (!a.emit_c.empty()) {
    EmitOptions eo{.backend = backend,
                   .origin = fmt::format("{} ({})", a.file, l.how),
                   .bound = opt.bound,
                   .post_state = opt.post_state};
    for (const Step& s : t.steps) eo.expected.push_back(s.outcome);
    write_text(a.emit_c, emit_c(p, eo));
    text += fmt::format("# C reproducer: {} (cc {} -o repro && ./repro)\n", a.emit_c, a.emit_c);
  }
  text += findings ? fmt::format("# {} finding(s)\n", findings) : "# no finding\n";

  if (a.json) {
    nlohmann::json out{{"file", a.file}, {"input", l.how}, {"backend", backend_name(backend)},
                       {"program", p},   {"steps", steps}, {"findings", findings}};
    if (!target_json.is_null()) out["target"] = target_json;
    if (!a.emit_c.empty()) out["emit_c"] = a.emit_c;
    fmt::print("{}\n", out.dump(2));
  } else {
    fmt::print("{}", text);
  }
  return findings ? 1 : 0;
}

}  // namespace

void add_repro(CLI::App& app, Registry& reg) {
  auto args = std::make_shared<ReproArgs>();
  auto* sub = app.add_subcommand(
      "repro",
      "Replay FILE in the sandbox and print each op strace-style with the Oracle's verdict.\n"
      "FILE is a JSON Program (e.g. corpus/regressions/*.json) or a raw fuzz input, decoded\n"
      "as --target decodes it (default for non-JSON files: connect_program_fuzzer). With a\n"
      "target (given, or the default for a raw input) the target's own checks run too (leaks,\n"
      "backend disagreement). AF_UNIX paths in a recorded\n"
      "run's private directory are replayed in this run's. Exit 1 on a finding, 0 when clean,\n"
      "2 for a bad FILE or option, 3 for an environment problem.\n"
      "Example: conncheck repro corpus/regressions/x.json --backend io_uring --emit-c x.c");
  sub->add_option("FILE", args->file, "JSON Program or raw fuzz input")->required();
  sub->add_option("--target", args->target,
                  "Decode FILE as this fuzz target's input: connect_sockaddr_fuzzer,\n"
                  "connect_program_fuzzer or connect_backend_diff_fuzzer (or sockaddr, program,\n"
                  "backend_diff)");
  sub->add_option("--backend", args->backend, "How connect() is issued")
      ->check(CLI::IsMember({"libc", "syscall", "io_uring"}))
      ->capture_default_str();
  sub->add_option(
      "--emit-c", args->emit_c,
      "Also write a standalone C reproducer to this path: builds with `cc` alone\n"
      "(no libraries), enters its own network namespace, replays the Program with the same\n"
      "bytes and backend, prints the same lines, exits 1 if a step differs from\n"
      "this run");
  sub->add_option("--timeout-ms", args->timeout_ms,
                  "Watchdog bound: a call blocked longer is a hang")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str();
  sub->add_flag("--json", args->json, "Print the program, steps, verdicts and findings as JSON");
  reg.add(sub, [args] { return run_repro(*args); });
}

}  // namespace conncheck::cli
