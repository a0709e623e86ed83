// The sandbox's world: the one table of its interfaces, routes and
// addresses. The sandbox builds it (sandbox/sandbox_enter.cc), the Model reads
// it to classify destinations (model/), the conformance set-ups aim at it
// (conform/) and the emitted C rebuilds it (repro/). Fixed, so traces read
// the same on every machine. The picture is in sandbox/sandbox.h.
//
// Example usage:
//   for (const TypedRoute& r : world::kTypedRoutes) add_route(r.kind, r.cidr4);
#pragma once

#include <cstdint>

namespace conncheck::world {

// The veth pair: both ends in the namespace, addresses on both.
inline constexpr const char* kVethA = "cc0";
inline constexpr const char* kVethB = "cc1";
inline constexpr const char* kVethNet4 = "10.254.0.0";  // /24 (kVethPrefix4)
inline constexpr int kVethPrefix4 = 24;
inline constexpr const char* kVethAddr4 = "10.254.0.1";
inline constexpr const char* kVethPeer4 = "10.254.0.2";
inline constexpr const char* kBroadcast4 = "10.254.0.255";
inline constexpr const char* kVethNet6 = "fd00:254::";  // /64 (kVethPrefix6)
inline constexpr int kVethPrefix6 = 64;
inline constexpr const char* kVethAddr6 = "fd00:254::1";
inline constexpr const char* kVethPeer6 = "fd00:254::2";

// No default route: anything not below is ENETUNREACH, e.g. these.
inline constexpr const char* kNoRoute4 = "192.0.2.1";  // TEST-NET-1
inline constexpr const char* kNoRoute6 = "2001:db8::1";

// Typed routes (ip-route(8) "unreachable", "prohibit", "blackhole"): a
// connect through one fails at the route lookup with the kind's errno
// (EHOSTUNREACH, EACCES, EINVAL: see the Model's classify_destination).
enum class RouteKind : std::uint8_t { kUnreachable, kProhibit, kBlackhole };
struct TypedRoute {
  RouteKind kind;
  const char* net4;  // prefix4 bits
  int prefix4;
  const char* net6;  // prefix6 bits
  int prefix6;
  const char* example4;  // an address under it, for set-ups and tests
  const char* example6;
};
inline constexpr TypedRoute kTypedRoutes[] = {
    {RouteKind::kUnreachable, "10.255.1.0", 24, "fd00:255:1::", 48, "10.255.1.1", "fd00:255:1::1"},
    {RouteKind::kProhibit, "10.255.2.0", 24, "fd00:255:2::", 48, "10.255.2.1", "fd00:255:2::1"},
    {RouteKind::kBlackhole, "10.255.3.0", 24, "fd00:255:3::", 48, "10.255.3.1", "fd00:255:3::1"},
};
constexpr const TypedRoute& route(RouteKind k) { return kTypedRoutes[static_cast<int>(k)]; }
inline constexpr const char* kUnreachable4 = route(RouteKind::kUnreachable).example4;
inline constexpr const char* kUnreachable6 = route(RouteKind::kUnreachable).example6;
inline constexpr const char* kProhibit4 = route(RouteKind::kProhibit).example4;
inline constexpr const char* kProhibit6 = route(RouteKind::kProhibit).example6;
inline constexpr const char* kBlackhole4 = route(RouteKind::kBlackhole).example4;
inline constexpr const char* kBlackhole6 = route(RouteKind::kBlackhole).example6;

// ip_local_port_range's low end: the kernel's default, which a fresh
// namespace has (LocalPortRange narrows it only for a test's lifetime).
inline constexpr int kEphemeralLow = 32768;

}  // namespace conncheck::world
