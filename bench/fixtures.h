// Shared pieces of the connect() benchmarks: sockets and listeners made
// outside the timed region, the "bare" call options, and two loop shapes.
//
// Every benchmark checks every call's outcome (a compare of two ints, far
// below the noise): a path that stops giving the errno in its name is
// reported with SkipWithError instead of being timed as if it were that path.
//
// Example usage:
//   FileDescriptor s = make_socket(st, AF_INET, SOCK_STREAM);
//   if (!s.valid()) return;                        // already SkipWithError'd
//   time_reusable(st, Backend::kSyscall, s.get(), addr, EINVAL);
#pragma once

#include <benchmark/benchmark.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "exec/backend.h"
#include "exec/fd.h"
#include "program/address.h"

namespace conncheck::bench {

// Timing and post-state off: we measure the call, not our bookkeeping.
inline constexpr CallOptions kBare{.timing = false, .post_state = false};

// Fresh sockets per batch in the batched shape. Large enough that the
// PauseTiming/ResumeTiming pair (four clock reads) is amortised to a few ns
// per call, small enough for any listen backlog.
inline constexpr int kBatch = 64;

// Benchmark name: "<path>/<backend>"; tools split on the last '/'.
std::string bench_name(const std::string& path, Backend b);

// Registers `fn` once per backend as "<path>/<backend>", timed in real
// time (what the compare tool reads) and with the x_floor counter attached.
using PathFn = void (*)(benchmark::State&, Backend);
void register_path(const std::string& path, PathFn fn);

// socket(domain, type | SOCK_CLOEXEC [| SOCK_NONBLOCK]); on failure the
// benchmark is skipped with the call named, and an invalid fd is returned.
FileDescriptor make_socket(benchmark::State& st, int domain, int type, bool nonblock = false);

// SO_LINGER {1, 0}: close() sends RST and leaves no TIME_WAIT, so however
// many iterations run, the ephemeral port range is never used up.
bool set_linger_zero(benchmark::State& st, int fd);

// A listening TCP socket on the loopback address of `domain` (port chosen
// by the kernel, backlog 4096) and the Address a client connects to.
struct Listener {
  FileDescriptor fd;
  Address addr;
};
Listener tcp_listener(benchmark::State& st, int domain, bool nonblock_accept);
// A loopback port with nothing listening on it (bound then closed).
bool free_loopback_port(benchmark::State& st, Address* out);
// A bound, unconnected UDP socket on 127.0.0.1 (a peer to connect to).
Listener udp_peer(benchmark::State& st);
// An AF_UNIX socket of `type` bound to `name` in the sandbox's private dir;
// listening when it is SOCK_STREAM.
Listener unix_peer(benchmark::State& st, int type, const std::string& name);

// Accepts until the queue is empty (listener must be non-blocking); the
// accepted sockets are appended to `out`.
void drain_accept(int listener, std::vector<FileDescriptor>* out);

// The call gave the outcome a path is named for: -1 with `expected_err`,
// or 0 when expected_err is 0.
inline bool gave(long ret, int err, int expected_err) {
  return err == expected_err && ret == (expected_err != 0 ? -1 : 0);
}

// Skips the benchmark with "<what>: expected <errno>, got <outcome>".
void skip_unexpected(benchmark::State& st, const char* what, int expected_err, long ret, int err);

// The reusable shape: one socket for the whole run, one call per iteration.
// Only for paths that leave the socket as they found it.
void time_reusable(benchmark::State& st, Backend b, int fd, const Address& addr, int expected_err);

// The batched shape, for paths that use a socket up: `make` builds kBatch
// fresh sockets with timing paused, then each is handed to `timed` (the
// path; returns false after calling skip_unexpected), then `after_batch`
// (untimed) tears the batch down.
template <class Make, class Timed, class After>
void time_batched(benchmark::State& st, Make make, Timed timed, After after_batch) {
  std::vector<FileDescriptor> socks;
  socks.reserve(kBatch);
  while (st.KeepRunningBatch(kBatch)) {
    st.PauseTiming();
    after_batch(&socks);
    socks.clear();
    for (int i = 0; i < kBatch; ++i) {
      socks.push_back(make());
      if (!socks.back().valid()) return;  // make() skipped the benchmark
    }
    st.ResumeTiming();
    for (FileDescriptor& s : socks) {
      if (!timed(s)) return;
    }
  }
  after_batch(&socks);
}

}  // namespace conncheck::bench
