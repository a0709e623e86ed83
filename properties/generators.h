// RapidCheck generators for the properties: socket kinds, destinations and
// malformed addresses. Each shrinks toward the most readable case: the first
// kind listed, loopback, the smallest port, the standard length, the normal
// placement (rc::gen::elementOf and inRange shrink toward their first value).
//
// Example usage:
//   const SocketKind k = *stream_kind();
//   const Address a = *destination(k.domain);        // shrinks to 127.0.0.1:1
//   const Address m = *malformed_address();
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <ostream>
#include <string>

#include <rapidcheck.h>

#include "program/address.h"

namespace conncheck::props {

struct SocketKind {
  int domain;
  int type;  // SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET, no flags
  bool operator==(const SocketKind&) const = default;
};
std::string to_string(const SocketKind& k);  // "AF_INET/SOCK_STREAM"
inline std::ostream& operator<<(std::ostream& os, const SocketKind& k) {
  return os << to_string(k);
}

// TCP over IPv4 and IPv6, AF_UNIX stream and seqpacket.
rc::Gen<SocketKind> stream_kind();
// UDP over IPv4 and IPv6, AF_UNIX datagram.
rc::Gen<SocketKind> datagram_kind();
// All seven matrix columns.
rc::Gen<SocketKind> any_kind();

// A small port, shrinking toward 1. Inside the sandbox nothing else holds a port.
rc::Gen<std::uint16_t> small_port();

// The loopback address of `domain` ("127.0.0.1", "::1") on `port`; AF_UNIX:
// the abstract name "cc-<port>" (abstract names vanish with their socket, so
// no file is left between cases).
Address loopback(int domain, std::uint16_t port);
// The wildcard ("0.0.0.0", "::") on `port`; AF_UNIX: a path in the sandbox's
// private directory named after the port.
Address wildcard_or_path(int domain, std::uint16_t port);

// A well-formed destination of `domain`'s family, weighted toward loopback
// (where listeners and peers are), then the veth pair and each route class
// of the sandbox world (sandbox.h). Never an on-link neighbour that does not
// answer (10.254.0.3): a blocking connect there waits for ARP.
rc::Gen<Address> destination(int domain);
// A well-formed destination of any family, AF_UNSPEC excluded.
rc::Gen<Address> any_family_destination();

// AF_UNSPEC with the addrlen variants the AF_UNSPEC rule must hold for:
// sizeof(struct sockaddr) first, then sizeof(sa_family_t), sizeof(struct
// sockaddr_in6), sizeof(struct sockaddr_un), sizeof(struct sockaddr_storage).
rc::Gen<Address> unspec_address();

// Malformed: a family from the real ones and nonsense numbers, payload bytes
// shrinking toward zeros, an addrlen from 0 over the standard sizes to
// huge, and every placement (normal, guard page, NULL, unmapped).
rc::Gen<Address> malformed_address();

}  // namespace conncheck::props
