// connect() paths that fail before anything is sent: each leaves the socket
// as it found it, so one socket serves the whole run and only the call is
// timed.
#include <sys/eventfd.h>

#include <cerrno>

#include "fixtures.h"
#include "paths.h"
#include "sandbox/sandbox.h"

namespace conncheck::bench {
namespace {

const Address& loopback_port9() {
  static const Address a = Address::inet("127.0.0.1", 9);
  return a;
}

// fd -1: the kernel's fd lookup fails first; the shortest path into connect.
void ebadf(benchmark::State& st, Backend b) { time_reusable(st, b, -1, loopback_port9(), EBADF); }

// An eventfd is an fd that is not a socket: sockfd_lookup fails.
void enotsock(benchmark::State& st, Backend b) {
  FileDescriptor e(::eventfd(0, EFD_CLOEXEC));
  if (!e.valid()) return st.SkipWithError("eventfd failed");
  time_reusable(st, b, e.get(), loopback_port9(), ENOTSOCK);
}

// An AF_INET6 address (28 bytes, so the length check passes) handed to an
// AF_INET TCP socket: tcp_v4_connect rejects the family.
void eafnosupport(benchmark::State& st, Backend b) {
  FileDescriptor s = make_socket(st, AF_INET, SOCK_STREAM);
  if (!s.valid()) return;
  time_reusable(st, b, s.get(), Address::inet6("::1", 9), EAFNOSUPPORT);
}

// addrlen 8 < sizeof(sockaddr_in): rejected before the family is read.
void einval_short(benchmark::State& st, Backend b) {
  FileDescriptor s = make_socket(st, AF_INET, SOCK_STREAM);
  if (!s.valid()) return;
  time_reusable(st, b, s.get(), loopback_port9().with_addrlen(8), EINVAL);
}

// The sandbox has no default route: the route lookup fails, nothing is
// sent, and the socket stays unconnected.
void enetunreach(benchmark::State& st, Backend b) {
  FileDescriptor s = make_socket(st, AF_INET, SOCK_STREAM);
  if (!s.valid()) return;
  time_reusable(st, b, s.get(), Address::inet(world::kNoRoute4, 80), ENETUNREACH);
}

// SYN to a loopback port with no listener, RST back. Linux lets a TCP
// socket whose connect was refused connect again (it returns to
// SS_UNCONNECTED and its port is released), so the socket is reused; the
// per-call check would catch a kernel where that stopped being true.
void econnrefused(benchmark::State& st, Backend b) {
  Address closed;
  if (!free_loopback_port(st, &closed)) return;
  FileDescriptor s = make_socket(st, AF_INET, SOCK_STREAM);
  if (!s.valid()) return;
  time_reusable(st, b, s.get(), closed, ECONNREFUSED);
}

}  // namespace

void register_error_paths() {
  register_path("ebadf", ebadf);
  register_path("enotsock", enotsock);
  register_path("eafnosupport", eafnosupport);
  register_path("einval_short_addrlen", einval_short);
  register_path("enetunreach", enetunreach);
  register_path("tcp4_econnrefused", econnrefused);
}

}  // namespace conncheck::bench
