// The three ways connect() is issued. The wrapper never changes the call:
// same arguments, errno captured at once, no retry on EINTR.
//
//   kLibc     through the dynamic `connect` symbol (PLT), so an LD_PRELOAD'd
//             shim or another libc is what runs
//   kSyscall  syscall(SYS_connect, ...), straight to the kernel
//   kIoUring  IORING_OP_CONNECT through liburing, one ring per thread
//
// Example usage:
//   Outcome o = call_connect(Backend::kIoUring, fd, Address::inet("127.0.0.1", 9));
//   CallOptions bare{.timing = false, .post_state = false};   // benchmark mode
#pragma once

#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <span>
#include <string_view>

#include "exec/address_memory.h"
#include "exec/destination_guard.h"
#include "program/address.h"
#include "program/backend_kind.h"
#include "program/outcome.h"

namespace conncheck {

struct CallOptions {
  bool timing = true;      // fill Outcome::elapsed_ns (two clock reads)
  bool post_state = true;  // fill Outcome::post (three syscalls after the call)
  // Watchdog bound; zero means none. A call still blocked after this long is
  // interrupted and reported as hung (Outcome::hung).
  std::chrono::milliseconds bound{0};
  // op::Connect::interrupt_ms: the Program's own SIGUSR1 after this many ms
  // (and again every interrupt_ms until the call returns). Its EINTR is the
  // documented outcome, never a hang; the watchdog is then set far past it
  // (kInterruptMargin), so the Program's signal, not the race between the
  // two timers, ends the call.
  int interrupt_ms = 0;
};

// How far past a Program's interrupt the watchdog of that call is set: far
// enough that only a thread starved for this long sees the watchdog first.
inline constexpr std::chrono::milliseconds kInterruptMargin{1000};

// The hang verdict of one finished call, from facts that load cannot change
// (the time a call took, or whether a timer expired while it ran, are not
// among them). Every path decides the same way:
//  - libc/syscall: a hang is an EINTR the Program did not cause. With no
//    interrupt asked for, nothing but the watchdog sends this thread a
//    signal that interrupts (libFuzzer's SIGALRM is blocked during a run),
//    so an EINTR is the watchdog's wherever it landed; with an interrupt
//    asked for, the Program's signal comes first (kInterruptMargin) and its
//    EINTR is the documented outcome.
//  - io_uring: a hang is a connect still pending when its bound passed and
//    cut short by the cancel (uring_connect.h), or one that completed with
//    EINTR: a signal to this thread never reaches IORING_OP_CONNECT (the
//    wait is resumed), only a cancel's notification to the io-wq worker
//    running it does, this call's or a stale one from an earlier call.
struct HangFacts {
  Backend backend = Backend::kLibc;
  long ret = 0;
  int err = 0;
  bool program_signal = false;  // libc/syscall: the Program's SIGUSR1 was delivered during the call
  bool cancelled = false;       // io_uring: pending at the bound, cut short by the cancel
};
bool is_hang(const HangFacts& f);

namespace detail {
Outcome call_connect_full(Backend backend, int fd, const Address& addr, const CallOptions& options);
// check_destination(addr), then the Address's bytes placed as AddressMemory
// places them; returns the pointer to pass. Valid until the next call on
// this thread.
const sockaddr* prepare_bare(const Address& addr);
}  // namespace detail

// Issues connect(fd, addr) through `backend`. Throws UnsafeDestination,
// before any syscall, if this process is not in a sandbox and the address is
// not provably local (see destination_guard.h).
//
// Inline on purpose. The bare libc/syscall path (no timing, no post-state, no
// bound: benchmarks and fuzzers) is expanded into the caller so the only
// return after the syscall is connect()'s own. On the machines this runs on
// each further return after a syscall costs a mispredicted branch (the
// kernel refills the return stack buffer on the way out): one out-of-line
// wrapper level measured +8 ns on a 145 ns EBADF connect, where issue 2
// allows the wrapper 3%. Everything before the syscall may stay out of line.
inline Outcome call_connect(Backend backend, int fd, const Address& addr,
                            const CallOptions& options = {}) {
  if (backend == Backend::kIoUring || options.timing || options.post_state ||
      options.bound.count() > 0 || options.interrupt_ms > 0)
    return detail::call_connect_full(backend, fd, addr, options);
  const sockaddr* sa = in_sandbox() ? detail::place_normal_fast(addr) : nullptr;
  if (sa == nullptr) sa = detail::prepare_bare(addr);
  Outcome o;
  o.ret = backend == Backend::kLibc ? ::connect(fd, sa, addr.addrlen)
                                    : ::syscall(SYS_connect, fd, sa, addr.addrlen);
  if (o.ret < 0) o.err = errno;  // captured at once: nothing else runs in between
  return o;
}

// The post-state of fd right now (what CallOptions::post_state records).
PostState read_post_state(int fd);

}  // namespace conncheck
