// Stream connect() paths. A connected stream socket cannot connect again,
// so these use time_batched: fresh sockets are made with timing paused, in
// batches of kBatch.
#include <cerrno>

#include "fixtures.h"
#include "paths.h"

namespace conncheck::bench {
namespace {

// What is timed per iteration: connect, accept, and close of both ends.
// accept and close are inherent to this path: the next connect needs the
// accept queue drained, and a loopback connection is only complete when
// both ends are gone. socket() is not timed. The client is closed with
// SO_LINGER 0 (RST) so no TIME_WAIT piles up (see set_linger_zero).
void tcp_connect_accept_close(benchmark::State& st, Backend b, int domain) {
  Listener l = tcp_listener(st, domain, /*nonblock_accept=*/false);
  if (!l.fd.valid()) return;
  auto make = [&] {
    FileDescriptor s = make_socket(st, domain, SOCK_STREAM);
    if (s.valid() && !set_linger_zero(st, s.get())) s.reset();
    return s;
  };
  auto timed = [&](FileDescriptor& s) {
    const Outcome o = call_connect(b, s.get(), l.addr, kBare);
    if (!gave(o.ret, o.err, 0)) {
      skip_unexpected(st, "tcp connect", 0, o.ret, o.err);
      return false;
    }
    FileDescriptor a(::accept4(l.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!a.valid()) {
      skip_unexpected(st, "accept", 0, -1, errno);
      return false;
    }
    s.reset();
    return true;  // `a` closes here
  };
  time_batched(st, make, timed, [](std::vector<FileDescriptor>*) {});
}

void tcp4_cac(benchmark::State& st, Backend b) { tcp_connect_accept_close(st, b, AF_INET); }
void tcp6_cac(benchmark::State& st, Backend b) { tcp_connect_accept_close(st, b, AF_INET6); }

// A connect whose completion is left to the accept side: only the call is
// timed; accepting and closing happen after each batch, untimed, on a
// non-blocking listener. Shared by the non-blocking TCP (EINPROGRESS) and
// AF_UNIX stream (immediate success) paths.
void connect_only(benchmark::State& st, Backend b, Listener& l, int domain, bool nonblock,
                  int expected_err) {
  std::vector<FileDescriptor> accepted;
  auto make = [&] {
    FileDescriptor s = make_socket(st, domain, SOCK_STREAM, nonblock);
    if (s.valid() && domain != AF_UNIX && !set_linger_zero(st, s.get())) s.reset();
    return s;
  };
  auto timed = [&](FileDescriptor& s) {
    const Outcome o = call_connect(b, s.get(), l.addr, kBare);
    if (gave(o.ret, o.err, expected_err)) return true;
    skip_unexpected(st, "connect", expected_err, o.ret, o.err);
    return false;
  };
  auto after_batch = [&](std::vector<FileDescriptor>*) {
    drain_accept(l.fd.get(), &accepted);
    accepted.clear();
  };
  time_batched(st, make, timed, after_batch);
}

// Non-blocking TCP connect to a loopback listener: the SYN is sent and the
// call returns EINPROGRESS (the handshake finishes after the call).
void tcp4_einprogress(benchmark::State& st, Backend b) {
  Listener l = tcp_listener(st, AF_INET, /*nonblock_accept=*/true);
  if (l.fd.valid()) connect_only(st, b, l, AF_INET, /*nonblock=*/true, EINPROGRESS);
}

// AF_UNIX stream connect to a listening pathname socket: succeeds at once
// (the server side is queued for accept).
void unix_stream(benchmark::State& st, Backend b) {
  Listener l = unix_peer(st, SOCK_STREAM, "bench-stream.sock");
  if (l.fd.valid()) connect_only(st, b, l, AF_UNIX, /*nonblock=*/false, 0);
}

}  // namespace

void register_stream_paths() {
  register_path("tcp4_connect_accept_close", tcp4_cac);
  register_path("tcp6_connect_accept_close", tcp6_cac);
  register_path("tcp4_nonblocking_einprogress", tcp4_einprogress);
  register_path("unix_stream_connect", unix_stream);
}

}  // namespace conncheck::bench
