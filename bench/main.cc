// conncheck_bench: Google Benchmark over connect() paths, run inside the
// sandbox. Usage is Google Benchmark's own (--benchmark_filter,
// --benchmark_repetitions, --benchmark_out=FILE --benchmark_out_format=json
// ...); bench/run.sh is the usual way in.
//
// Order matters here: the sandbox is entered first, while the process has
// one thread (CLONE_NEWUSER needs that, and every later socket must be made
// in the private namespace), then the floor is measured, then Google
// Benchmark parses its flags and runs.
#include <benchmark/benchmark.h>

#include <cstdio>

#include <fmt/format.h>

#include "exec/fd_leak.h"
#include "exec/uring_connect.h"
#include "floor.h"
#include "paths.h"
#include "program/errors.h"
#include "sandbox/sandbox.h"

int main(int argc, char** argv) {
  namespace cb = conncheck::bench;
  try {
    conncheck::Sandbox::keep_writable_from_args(argc, argv);  // --benchmark_out=FILE
    conncheck::Sandbox::enter();
    conncheck::uring_prepare();  // the ring's fd is not a leak
  } catch (const conncheck::EnvironmentError& e) {
    std::fprintf(stderr, "conncheck_bench: cannot enter the sandbox: %s\n", e.what());
    return 3;
  }
  const conncheck::FdLeakCheck leaks;

  const double floor = cb::measure_floor_ns();
  cb::set_floor_ns(floor);
  benchmark::AddCustomContext("conncheck_floor_ns", fmt::format("{:.2f}", floor));
  benchmark::AddCustomContext("conncheck_floor_call", "syscall(SYS_getppid)");

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  cb::register_floor();
  cb::register_error_paths();
  cb::register_datagram_paths();
  cb::register_stream_paths();
  cb::register_execute_paths();
  cb::register_overhead_pairs();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  if (const auto leaked = leaks.leaked(); !leaked.empty()) {
    std::fprintf(stderr, "conncheck_bench: fds leaked by the benchmarks: %s\n",
                 conncheck::describe(leaked).c_str());
    return 1;
  }
  return 0;
}
