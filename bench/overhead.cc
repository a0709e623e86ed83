// Issue 2 item 10: what the wrapper costs. Each pair runs the same call on
// the same path, once through call_connect(Backend::kLibc, ..., kBare) and
// once as a direct ::connect, with the same outcome check in both loops so
// the only difference is the wrapper. overhead.py reads the pair from the
// run's JSON (target: wrapper median at most 3% above direct).
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fixtures.h"
#include "floor.h"
#include "paths.h"

namespace conncheck::bench {
namespace {

void direct(benchmark::State& st, int fd, const Address& a, int expected_err) {
  // The same bytes call_connect would pass (Normal placement: bytes, then
  // zeros up to sockaddr_storage).
  sockaddr_storage ss{};
  std::memcpy(&ss, a.bytes.data(), std::min(a.bytes.size(), sizeof ss));
  const auto* sa = reinterpret_cast<const sockaddr*>(&ss);
  for (auto _ : st) {
    const long r = ::connect(fd, sa, a.addrlen);
    const int e = r < 0 ? errno : 0;
    if (!gave(r, e, expected_err)) {
      skip_unexpected(st, "direct connect", expected_err, r, e);
      break;
    }
  }
}

// `Wrapped` false: direct ::connect; true: call_connect through kLibc.
template <bool Wrapped>
void ebadf_pair(benchmark::State& st) {
  const Address a = Address::inet("127.0.0.1", 9);
  if (Wrapped)
    time_reusable(st, Backend::kLibc, -1, a, EBADF);
  else
    direct(st, -1, a, EBADF);
}

template <bool Wrapped>
void udp_pair(benchmark::State& st) {
  Listener peer = udp_peer(st);
  FileDescriptor s = make_socket(st, AF_INET, SOCK_DGRAM);
  if (!peer.fd.valid() || !s.valid()) return;
  if (Wrapped)
    time_reusable(st, Backend::kLibc, s.get(), peer.addr, 0);
  else
    direct(st, s.get(), peer.addr, 0);
}

void reg(const char* name, void (*fn)(benchmark::State&)) {
  benchmark::RegisterBenchmark(name, [fn](benchmark::State& st) {
    fn(st);
    attach_floor_ratio(st);
  })->UseRealTime();
}

}  // namespace

void register_overhead_pairs() {
  // direct first, then wrapper, for each path: adjacent in time, so slow
  // drift of the machine touches both alike.
  reg("overhead_ebadf/direct", ebadf_pair<false>);
  reg("overhead_ebadf/libc_wrapper", ebadf_pair<true>);
  reg("overhead_udp4_connect/direct", udp_pair<false>);
  reg("overhead_udp4_connect/libc_wrapper", udp_pair<true>);
}

}  // namespace conncheck::bench
