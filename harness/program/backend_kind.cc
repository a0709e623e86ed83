#include "program/backend_kind.h"

namespace conncheck {

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

}  // namespace conncheck
