// Kernel versions (kernel_version.h): the release parser and the texts.
#include <charconv>

#include "spec/kernel_version.h"

namespace conncheck {
namespace {

// A decimal number at the front of `s` (consumed), below 1,000,000: no
// version part comes near that, and it keeps the int far from overflow.
std::optional<int> number(std::string_view& s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end == s.data() || v >= 1000000) return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return v;
}

bool dot(std::string_view& s) {
  if (s.empty() || s.front() != '.') return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

std::optional<KernelVersion> parse_kernel_version(std::string_view s) {
  // from_chars would take a sign: the release starts with a digit.
  if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
  KernelVersion v;
  const auto major = number(s);
  if (!major || !dot(s)) return std::nullopt;
  const auto minor = number(s);
  if (!minor) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  if (dot(s)) {
    const auto patch = number(s);
    if (!patch) return std::nullopt;
    v.patch = *patch;
  }
  // What follows is the build's own ("-57-amd64", "-rc1+", "+", ".71"),
  // but not more of a number: "6.1x" or "6.1.0a" are not versions.
  if (!s.empty() &&
      ((s.front() >= '0' && s.front() <= '9') || (s.front() >= 'a' && s.front() <= 'z') ||
       (s.front() >= 'A' && s.front() <= 'Z')))
    return std::nullopt;
  return v;
}

std::string to_string(KernelVersion v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

std::string to_string(const KernelRange& r) {
  if (r.all()) return "any kernel";
  if (!r.until) return "since " + to_string(r.since);
  return "[" + to_string(r.since) + ", " + to_string(*r.until) + ")";
}

}  // namespace conncheck
