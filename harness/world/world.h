// The sandbox's world: the one table of its interfaces, routes and
// addresses. The sandbox builds it (sandbox/), the Model reads it to classify
// destinations (model/), the conformance set-ups aim at it (conform/) and the
// emitted C rebuilds it (repro/). Fixed, so traces read the same on every
// machine. See sandbox/sandbox.h for the picture.
#pragma once

namespace conncheck {

namespace world {
inline constexpr const char* kVethA = "cc0";
inline constexpr const char* kVethB = "cc1";
inline constexpr const char* kVethAddr4 = "10.254.0.1";
inline constexpr const char* kVethPeer4 = "10.254.0.2";
inline constexpr const char* kBroadcast4 = "10.254.0.255";
inline constexpr const char* kVethAddr6 = "fd00:254::1";
inline constexpr const char* kVethPeer6 = "fd00:254::2";
inline constexpr const char* kNoRoute4 = "192.0.2.1";  // TEST-NET-1, no route
// ip_local_port_range's low end: the kernel's default, which a fresh
// namespace has (LocalPortRange narrows it only for a test's lifetime).
inline constexpr int kEphemeralLow = 32768;
inline constexpr const char* kNoRoute6 = "2001:db8::1";
inline constexpr const char* kUnreachable4 = "10.255.1.1";
inline constexpr const char* kUnreachable6 = "fd00:255:1::1";
inline constexpr const char* kProhibit4 = "10.255.2.1";
inline constexpr const char* kProhibit6 = "fd00:255:2::1";
inline constexpr const char* kBlackhole4 = "10.255.3.1";
inline constexpr const char* kBlackhole6 = "fd00:255:3::1";
}  // namespace world

}  // namespace conncheck
