#include "program/errors.h"

#include <cstring>

#include <fmt/format.h>

#include "program/outcome.h"

namespace conncheck {

EnvironmentError env_error(const std::string& call, int err) {
  return EnvironmentError(fmt::format("{}: {} ({})", call, std::strerror(err), errno_name(err)));
}

}  // namespace conncheck
