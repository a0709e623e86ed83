// Private to the library: the visitor helper for std::visit over Op.
#pragma once

namespace conncheck::internal {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
// clang-14 has no aggregate CTAD (P1816), so spell the guide out.
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace conncheck::internal
