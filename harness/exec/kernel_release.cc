#include "exec/kernel_release.h"

#include <sys/utsname.h>

#include <cerrno>

#include "program/errors.h"

namespace conncheck {

std::string kernel_release() {
  utsname u{};
  if (::uname(&u) != 0) throw env_error("uname", errno);
  return u.release;
}

}  // namespace conncheck
