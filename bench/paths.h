// Registration of the benchmark groups, called from main() in this order
// (Google Benchmark runs benchmarks in registration order): the floor
// first, then the connect() paths, execute() around the cheapest of them,
// then the wrapper-overhead pairs.
#pragma once

namespace conncheck::bench {

void register_error_paths();     // paths_errors.cc
void register_datagram_paths();  // paths_datagram.cc: UDP and AF_UNIX dgram
void register_stream_paths();    // paths_stream.cc: TCP and AF_UNIX stream
void register_execute_paths();   // paths_execute.cc: execute() of a one-op Program
void register_overhead_pairs();  // overhead.cc (issue 2 item 10)

}  // namespace conncheck::bench
