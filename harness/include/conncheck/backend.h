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

#include <chrono>
#include <span>
#include <string_view>

#include "conncheck/address.h"
#include "conncheck/outcome.h"

namespace conncheck {

enum class Backend : std::uint8_t { kLibc, kSyscall, kIoUring };
inline constexpr Backend kAllBackends[] = {Backend::kLibc, Backend::kSyscall,
                                           Backend::kIoUring};

std::string_view backend_name(Backend b);
bool parse_backend(std::string_view name, Backend* out);

struct CallOptions {
  bool timing = true;      // fill Outcome::elapsed_ns (two clock reads)
  bool post_state = true;  // fill Outcome::post (three syscalls after the call)
  // Watchdog bound; zero means none. A call still blocked after this long is
  // interrupted and reported as hung (Outcome::hung).
  std::chrono::milliseconds bound{0};
};

// Issues connect(fd, addr) through `backend`. Throws UnsafeDestination,
// before any syscall, if this process is not in a sandbox and the address is
// not provably local (see destination_guard.h).
Outcome call_connect(Backend backend, int fd, const Address& addr,
                     const CallOptions& options = {});

// The post-state of fd right now (what CallOptions::post_state records).
PostState read_post_state(int fd);

}  // namespace conncheck
