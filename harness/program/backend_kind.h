// The three ways connect() is issued, as a value: a Program's run, a Trace,
// the Model's world and the emitted C all name the backend; only exec/
// knows how each one makes the call (exec/backend.h).
//
// Example usage:
//   Backend b;
//   if (!parse_backend("io_uring", &b)) ...;   // "libc", "syscall", "io_uring"
#pragma once

#include <cstdint>
#include <string_view>

namespace conncheck {

enum class Backend : std::uint8_t { kLibc, kSyscall, kIoUring };
inline constexpr Backend kAllBackends[] = {Backend::kLibc, Backend::kSyscall, Backend::kIoUring};

std::string_view backend_name(Backend b);
bool parse_backend(std::string_view name, Backend* out);

}  // namespace conncheck
