// Kernel versions, for the Spec's known outcomes that hold only for some
// kernels (issue 16): a KnownOutcome's `kernels` says which, and the Model
// applies an entry only when the kernel it judges is among them. Pure: the
// running kernel's version is read elsewhere (oracle.h running_kernel(),
// from exec/'s uname) and handed to the Model in WorldFacts.
//
// Example usage:
//   const auto v = parse_kernel_version("6.1.0-57-amd64");   // 6.1.0
//   if (v && since(6, 3).contains(*v)) ...;                  // false
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace conncheck {

struct KernelVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  auto operator<=>(const KernelVersion&) const = default;
};

// "MAJOR.MINOR[.PATCH]" at the start of a uname(2) release, whatever
// follows it ("-57-amd64", "-rc1+", ".71" of a four-part version); a
// missing PATCH is 0. nullopt when the text does not start so, or a
// number is out of range.
std::optional<KernelVersion> parse_kernel_version(std::string_view release);
std::string to_string(KernelVersion v);  // "6.1.0"

// The kernels a known outcome holds for: [since, until). The default is
// every kernel.
struct KernelRange {
  KernelVersion since{};
  std::optional<KernelVersion> until;  // exclusive; none: still holds
  constexpr bool contains(KernelVersion v) const { return since <= v && (!until || v < *until); }
  constexpr bool all() const { return since == KernelVersion{} && !until; }
};
constexpr KernelRange since(int major, int minor, int patch = 0) {
  return {{major, minor, patch}, std::nullopt};
}
constexpr KernelRange between(KernelVersion from, KernelVersion until) { return {from, until}; }
std::string to_string(const KernelRange& r);  // "any kernel", "since 5.5.0", "[5.5.0, 6.3.0)"

}  // namespace conncheck
