// The syscall floor: what a bare syscall(SYS_getppid) costs on this machine
// now. Every benchmark reports its time as a multiple of it (counter
// "x_floor"), so results compare across machines and kernels with
// different syscall entry costs (mitigations, virtualisation).
//
// Why the floor is measured once in main(), before any benchmark, rather
// than taken from the floor benchmark's result: Google Benchmark fixes a
// benchmark's counters when that benchmark finishes, so a ratio to a result
// measured later (or filtered out) cannot be attached. The floor benchmark
// still runs and carries x_floor too; a value far from 1.0 there says the
// machine's speed drifted during the run.
//
// Example usage:
//   set_floor_ns(measure_floor_ns());
//   ... inside a benchmark, after its loop:
//   attach_floor_ratio(st);
#pragma once

#include <benchmark/benchmark.h>

namespace conncheck::bench {

// Median over batches of the per-call cost of syscall(SYS_getppid), in ns.
double measure_floor_ns();

void set_floor_ns(double ns);
double floor_ns();

// Adds the counter x_floor = (real time per iteration) / floor. Benchmarks
// are registered with UseRealTime(), so Google Benchmark's rate counters
// divide by real time: value floor_seconds with kIsRate, kIsIterationInvariant
// and kInvert finishes as  (real_seconds / iterations) / floor_seconds.
void attach_floor_ratio(benchmark::State& st);

// The floor benchmark itself: a bare syscall(SYS_getppid) per iteration.
void register_floor();

}  // namespace conncheck::bench
