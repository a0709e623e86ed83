// Datagram connect() paths: connecting a datagram socket only records the
// peer, so one socket serves the whole run and only calls are timed.
#include "fixtures.h"
#include "paths.h"

namespace conncheck::bench {
namespace {

// Each iteration is two calls, connect then connect(AF_UNSPEC): associate,
// then dissolve. Dissolving also releases the autobound port (nothing bound
// it explicitly), so every connect autobinds again: that is part of the path.
void udp_connect_unspec(benchmark::State& st, Backend b) {
  Listener peer = udp_peer(st);
  FileDescriptor s = make_socket(st, AF_INET, SOCK_DGRAM);
  if (!peer.fd.valid() || !s.valid()) return;
  const Address unspec = Address::unspec();
  for (auto _ : st) {
    const Outcome c = call_connect(b, s.get(), peer.addr, kBare);
    const Outcome u = call_connect(b, s.get(), unspec, kBare);
    if (!gave(c.ret, c.err, 0) || !gave(u.ret, u.err, 0)) {
      const Outcome& bad = gave(c.ret, c.err, 0) ? u : c;
      skip_unexpected(st, "udp connect/unspec", 0, bad.ret, bad.err);
      break;
    }
  }
}

// A connected UDP socket connected again to the same peer: the re-connect
// path (the old association is replaced; the local port is kept).
void udp_reconnect(benchmark::State& st, Backend b) {
  Listener peer = udp_peer(st);
  FileDescriptor s = make_socket(st, AF_INET, SOCK_DGRAM);
  if (!peer.fd.valid() || !s.valid()) return;
  if (Outcome first = call_connect(b, s.get(), peer.addr, kBare); !gave(first.ret, first.err, 0))
    return skip_unexpected(st, "first udp connect", 0, first.ret, first.err);
  time_reusable(st, b, s.get(), peer.addr, 0);
}

// AF_UNIX datagram connect to a bound pathname socket: a path lookup in
// the sandbox's private dir on every call.
void unix_dgram(benchmark::State& st, Backend b) {
  Listener peer = unix_peer(st, SOCK_DGRAM, "bench-dgram.sock");
  FileDescriptor s = make_socket(st, AF_UNIX, SOCK_DGRAM);
  if (!peer.fd.valid() || !s.valid()) return;
  time_reusable(st, b, s.get(), peer.addr, 0);
}

}  // namespace

void register_datagram_paths() {
  register_path("udp4_connect_then_unspec", udp_connect_unspec);
  register_path("udp4_reconnect", udp_reconnect);
  register_path("unix_dgram_connect", unix_dgram);
}

}  // namespace conncheck::bench
