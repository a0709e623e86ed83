// The rule that keeps traffic on this machine when the harness runs outside
// its sandbox: only destinations that are provably local may be connected.
//
// Provably local: AF_UNIX (a path or abstract name on this host), AF_UNSPEC
// (dissolves; sends nothing), AF_INET 127.0.0.0/8, AF_INET6 ::1 and
// ::ffff:127.0.0.0/104, and NULL/unmapped placements (the kernel faults on
// the pointer before reading a destination). Anything else - other
// families, public or private addresses, addresses too short to tell - is
// refused outside a sandbox.
#pragma once

#include <atomic>
#include <string>

#include "program/address.h"

namespace conncheck {

namespace detail {
// Set once, by Sandbox::enter, before any call is made. Inline so the bare
// call path (backend.h) pays one load for it.
extern constinit std::atomic<bool> g_in_sandbox;
}  // namespace detail

// True when this process has entered a conncheck sandbox (see sandbox.h).
inline bool in_sandbox() { return detail::g_in_sandbox.load(std::memory_order_acquire); }

namespace internal {
// Sandbox::enter() only (sandbox/ sits above exec/), once the world is built.
void mark_in_sandbox();
}  // namespace internal

// Empty if `a` may be connected from here; otherwise one line saying why not.
std::string destination_refusal(const Address& a);

// The rule itself, whether or not this process is in a sandbox (for tests).
std::string refusal_outside_sandbox(const Address& a);

// Throws UnsafeDestination with that line. Cheap inside a sandbox (a flag).
void check_destination(const Address& a);

}  // namespace conncheck

namespace conncheck {

// Socket domains the harness creates at all. A network namespace does not
// contain every family: AF_VSOCK reaches the hypervisor host, AF_BLUETOOTH
// real radios, whatever namespace we are in. So even inside the sandbox only
// AF_UNIX, AF_INET and AF_INET6 sockets are made; for any other domain this
// returns one line saying why not (empty when allowed).
std::string socket_domain_refusal(int domain);

}  // namespace conncheck
