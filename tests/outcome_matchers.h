// gMock matchers over Outcome, so tests read like the contract:
//   EXPECT_THAT(connect_once(...), FailsWith(EISCONN));
//   EXPECT_THAT(out, Succeeds());
// On failure they print the errno by name and the whole outcome.
#pragma once

#include <gmock/gmock.h>

#include "program/outcome.h"

namespace conncheck {

MATCHER_P(FailsWith, err, "fails with " + errno_name(err)) {
  *result_listener << "got" << result_to_string(arg);
  return arg.ret == -1 && arg.err == err && !arg.hung && !arg.refused;
}

MATCHER(Succeeds, "succeeds") {
  *result_listener << "got" << result_to_string(arg);
  return arg.ret >= 0 && !arg.hung && !arg.refused;
}

MATCHER(Hangs, "is reported as a hang") {
  *result_listener << "got" << result_to_string(arg);
  return arg.hung;
}

inline void PrintTo(const Outcome& o, std::ostream* os) { *os << result_to_string(o); }

}  // namespace conncheck
