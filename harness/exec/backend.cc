// The one call. Everything around the syscall is kept out of its way:
// errno is read on the next line, nothing is retried, and timing and
// post-state are opt-out so a benchmark can measure the bare wrapper.
#include "exec/backend.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

#include "exec/address_memory.h"
#include "exec/destination_guard.h"
#include "exec/uring_connect.h"
#include "exec/watchdog.h"
#include "program/errors.h"

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

// The Program's own interrupt (op::Connect::interrupt_ms): SIGUSR1 to this
// thread after `ms` and every `ms` after until disarmed, caught without
// SA_RESTART (the documented EINTR, "interrupted by a signal that was
// caught"). It re-fires for the reason the watchdog does: a first signal
// that lands before the call has started (the thread descheduled in
// between) must not leave the call to the watchdog. delivered() says
// whether it came during this call.
thread_local volatile sig_atomic_t g_program_signal = 0;
void on_program_interrupt(int) { g_program_signal = 1; }

class ProgramInterrupt {
 public:
  explicit ProgramInterrupt(int ms) {
    g_program_signal = 0;
    if (ms <= 0) return;
    static std::once_flag once;
    std::call_once(once, [] {
      struct sigaction sa {};
      sa.sa_handler = on_program_interrupt;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = 0;  // no SA_RESTART
      if (::sigaction(SIGUSR1, &sa, nullptr) != 0) throw env_error("sigaction(SIGUSR1)", errno);
    });
    sigevent ev{};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR1;
    ev._sigev_un._tid = ::gettid();  // sigev_notify_thread_id; glibc 2.36 does not name it
    if (::timer_create(CLOCK_MONOTONIC, &ev, &timer_) != 0)
      throw env_error("timer_create(interrupt)", errno);
    itimerspec its{};
    its.it_value.tv_sec = ms / 1000;
    its.it_value.tv_nsec = (ms % 1000) * 1'000'000L;
    its.it_interval = its.it_value;
    ::timer_settime(timer_, 0, &its, nullptr);
    armed_ = true;
  }
  ~ProgramInterrupt() {
    if (armed_) ::timer_delete(timer_);
  }
  ProgramInterrupt(const ProgramInterrupt&) = delete;
  ProgramInterrupt& operator=(const ProgramInterrupt&) = delete;
  bool delivered() const { return g_program_signal != 0; }

 private:
  timer_t timer_{};
  bool armed_ = false;
};

// Issues the call through the chosen path; returns ret and sets *err.
long issue(Backend b, int fd, const sockaddr* sa, socklen_t len, const CallOptions& o, int* err,
           bool* hung) {
  long ret = 0;
  HangFacts f{.backend = b};
  switch (b) {
    case Backend::kLibc:
    case Backend::kSyscall: {
      // With an interrupt asked for, the watchdog waits far past it: the
      // Program's signal ends a blocked call, whatever the load.
      std::chrono::milliseconds bound = o.bound;
      if (o.interrupt_ms > 0 && bound.count() > 0)
        bound = std::max(bound, std::chrono::milliseconds(o.interrupt_ms) + kInterruptMargin);
      ProgramInterrupt irq(o.interrupt_ms);
      {
        // A zero bound costs nothing: no timer is armed.
        CallWatchdog dog(bound);
        ret = b == Backend::kLibc ? ::connect(fd, sa, len) : ::syscall(SYS_connect, fd, sa, len);
        *err = ret < 0 ? errno : 0;
      }
      f.program_signal = irq.delivered();
      break;
    }
    case Backend::kIoUring: {
      // The Program's signal interrupts only the wait, which resumes.
      ProgramInterrupt irq(o.interrupt_ms);
      ret = uring_connect(fd, sa, len, o.bound, err, &f.cancelled);
      break;
    }
  }
  f.ret = ret;
  f.err = *err;
  *hung = is_hang(f);
  return ret;
}

}  // namespace

bool is_hang(const HangFacts& f) {
  const bool eintr = f.ret < 0 && f.err == EINTR;
  if (f.backend == Backend::kIoUring) return f.cancelled || eintr;
  return eintr && !f.program_signal;
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

Outcome call_connect_full(Backend backend, int fd, const Address& addr,
                          const CallOptions& options) {
  check_destination(addr);
  AddressMemory mem(addr);
  Outcome o;
  const std::uint64_t t0 = options.timing ? now_ns() : 0;
  o.ret = issue(backend, fd, mem.ptr(), addr.addrlen, options, &o.err, &o.hung);
  if (options.timing) o.elapsed_ns = now_ns() - t0;
  if (options.post_state) o.post = read_post_state(fd);
  return o;
}

}  // namespace detail

}  // namespace conncheck
