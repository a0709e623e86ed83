// The visitor helper (harness/src/overloaded.h is private to the library).
#pragma once

namespace conncheck::props::internal_props {
template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
}  // namespace conncheck::props::internal_props
