#include "fixtures.h"

#include <netinet/in.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "floor.h"
#include "program/outcome.h"
#include "sandbox/sandbox.h"

namespace conncheck::bench {
namespace {

void skip_env(benchmark::State& st, const std::string& call, int err) {
  st.SkipWithError(fmt::format("{}: {}", call, errno_name(err)).c_str());
}

Address loopback(int domain, std::uint16_t port) {
  return domain == AF_INET6 ? Address::inet6("::1", port) : Address::inet("127.0.0.1", port);
}

// Binds fd to the loopback address of `domain`, port 0, and returns the
// Address the kernel gave it (so clients know the port).
bool bind_loopback(benchmark::State& st, int fd, int domain, Address* out) {
  const Address any = loopback(domain, 0);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(any.bytes.data()), any.addrlen) != 0) {
    skip_env(st, "bind(loopback:0)", errno);
    return false;
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    skip_env(st, "getsockname", errno);
    return false;
  }
  const std::uint16_t port =
      ntohs(domain == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                               : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  *out = loopback(domain, port);
  return true;
}

}  // namespace

std::string bench_name(const std::string& path, Backend b) {
  return fmt::format("{}/{}", path, backend_name(b));
}

void register_path(const std::string& path, PathFn fn) {
  for (Backend b : kAllBackends) {
    benchmark::RegisterBenchmark(bench_name(path, b).c_str(), [fn, b](benchmark::State& st) {
      fn(st, b);
      attach_floor_ratio(st);
    })->UseRealTime();
  }
}

FileDescriptor make_socket(benchmark::State& st, int domain, int type, bool nonblock) {
  FileDescriptor s(::socket(domain, type | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0));
  if (!s.valid()) skip_env(st, fmt::format("socket({}, {}, 0)", domain, type), errno);
  return s;
}

bool set_linger_zero(benchmark::State& st, int fd) {
  const linger l{1, 0};
  if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) == 0) return true;
  skip_env(st, "setsockopt(SO_LINGER)", errno);
  return false;
}

Listener tcp_listener(benchmark::State& st, int domain, bool nonblock_accept) {
  Listener l{make_socket(st, domain, SOCK_STREAM, nonblock_accept), {}};
  if (!l.fd.valid()) return l;
  if (!bind_loopback(st, l.fd.get(), domain, &l.addr) || ::listen(l.fd.get(), 4096) != 0) {
    if (!st.error_occurred()) skip_env(st, "listen", errno);
    l.fd.reset();
  }
  return l;
}

bool free_loopback_port(benchmark::State& st, Address* out) {
  // The port stays free after close: nothing else in this private
  // namespace binds ports.
  FileDescriptor s = make_socket(st, AF_INET, SOCK_STREAM);
  return s.valid() && bind_loopback(st, s.get(), AF_INET, out);
}

Listener udp_peer(benchmark::State& st) {
  Listener l{make_socket(st, AF_INET, SOCK_DGRAM), {}};
  if (l.fd.valid() && !bind_loopback(st, l.fd.get(), AF_INET, &l.addr)) l.fd.reset();
  return l;
}

Listener unix_peer(benchmark::State& st, int type, const std::string& name) {
  const std::string path = Sandbox::enter().unix_dir + "/" + name;
  ::unlink(path.c_str());  // a previous benchmark in this process may have left it
  Listener l{make_socket(st, AF_UNIX, type, type == SOCK_STREAM), Address::unix_path(path)};
  if (!l.fd.valid()) return l;
  if (::bind(l.fd.get(), reinterpret_cast<const sockaddr*>(l.addr.bytes.data()), l.addr.addrlen) !=
      0) {
    skip_env(st, "bind(" + path + ")", errno);
    l.fd.reset();
  } else if (type == SOCK_STREAM && ::listen(l.fd.get(), 4096) != 0) {
    skip_env(st, "listen(" + path + ")", errno);
    l.fd.reset();
  }
  return l;
}

void drain_accept(int listener, std::vector<FileDescriptor>* out) {
  for (;;) {
    FileDescriptor a(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
    if (!a.valid()) return;  // EAGAIN: queue empty
    out->push_back(std::move(a));
  }
}

void skip_unexpected(benchmark::State& st, const char* what, int expected_err, long ret, int err) {
  const std::string got = ret == 0 && err == 0 ? "success (0)"
                          : err != 0           ? fmt::format("{} {}", ret, errno_name(err))
                                               : fmt::format("ret {}", ret);
  st.SkipWithError(fmt::format("{}: expected {}, got {}", what,
                               expected_err ? errno_name(expected_err) : "success", got)
                       .c_str());
}

void time_reusable(benchmark::State& st, Backend b, int fd, const Address& addr, int expected_err) {
  for (auto _ : st) {
    const Outcome o = call_connect(b, fd, addr, kBare);
    if (!gave(o.ret, o.err, expected_err)) {
      skip_unexpected(st, "connect", expected_err, o.ret, o.err);
      break;
    }
  }
}

}  // namespace conncheck::bench
