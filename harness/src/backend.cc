// The one call. Everything around the syscall is kept out of its way:
// errno is read on the next line, nothing is retried, and timing and
// post-state are opt-out so a benchmark can measure the bare wrapper.
#include "conncheck/backend.h"

#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

#include "conncheck/address_memory.h"
#include "conncheck/destination_guard.h"
#include "conncheck/uring_connect.h"
#include "conncheck/watchdog.h"

namespace conncheck {
namespace {

std::uint64_t now_ns() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

NameResult query_name(int (*fn)(int, sockaddr*, socklen_t*), int fd) {
  NameResult r;
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  r.ret = fn(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (r.ret < 0) {
    r.err = errno;
  } else {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&ss);
    r.addr.assign(p, p + std::min<std::size_t>(len, sizeof ss));
  }
  return r;
}

// Issues the call through the chosen path; returns ret and sets *err.
long issue(Backend b, int fd, const sockaddr* sa, socklen_t len,
           std::chrono::milliseconds bound, int* err, bool* hung) {
  long ret = 0;
  switch (b) {
    case Backend::kLibc:
    case Backend::kSyscall: {
      // A zero bound costs nothing: no timer is armed.
      CallWatchdog dog(bound);
      ret = b == Backend::kLibc ? ::connect(fd, sa, len)
                                : ::syscall(SYS_connect, fd, sa, len);
      *err = ret < 0 ? errno : 0;
      // Interrupted by the watchdog, not merely outlived by it: a call that
      // returned its own result as the timer expired (a loaded machine, a
      // 1 ms bound) is no hang.
      *hung = dog.fired() && ret < 0 && *err == EINTR;
      break;
    }
    case Backend::kIoUring:
      ret = uring_connect(fd, sa, len, bound, err, hung);
      break;
  }
  return ret;
}

}  // namespace

std::string_view backend_name(Backend b) {
  switch (b) {
    case Backend::kLibc: return "libc";
    case Backend::kSyscall: return "syscall";
    case Backend::kIoUring: return "io_uring";
  }
  return "?";
}

bool parse_backend(std::string_view name, Backend* out) {
  for (Backend b : kAllBackends) {
    if (backend_name(b) == name) {
      *out = b;
      return true;
    }
  }
  return false;
}

PostState read_post_state(int fd) {
  PostState s;
  s.peer = query_name(::getpeername, fd);
  s.local = query_name(::getsockname, fd);
  socklen_t len = sizeof s.so_error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &s.so_error, &len) < 0) s.so_error = -errno;
  return s;
}

namespace detail {

const sockaddr* prepare_bare(const Address& addr) {
  check_destination(addr);
  return AddressMemory(addr).ptr();  // the arena outlives the object
}

Outcome call_connect_full(Backend backend, int fd, const Address& addr, const CallOptions& options) {
  check_destination(addr);
  AddressMemory mem(addr);
  Outcome o;
  const std::uint64_t t0 = options.timing ? now_ns() : 0;
  o.ret = issue(backend, fd, mem.ptr(), addr.addrlen, options.bound, &o.err, &o.hung);
  if (options.timing) o.elapsed_ns = now_ns() - t0;
  if (options.post_state) o.post = read_post_state(fd);
  return o;
}

}  // namespace detail

}  // namespace conncheck
