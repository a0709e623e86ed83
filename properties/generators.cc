// Generators: the readable case first in every list, because RapidCheck's
// elementOf / inRange shrink toward the first value.
#include "generators.h"

#include <netinet/in.h>
#include <sys/un.h>

#include <fmt/format.h>

#include "sandbox/sandbox.h"

namespace conncheck::props {
namespace {

constexpr SocketKind kTcp4{AF_INET, SOCK_STREAM}, kTcp6{AF_INET6, SOCK_STREAM};
constexpr SocketKind kUdp4{AF_INET, SOCK_DGRAM}, kUdp6{AF_INET6, SOCK_DGRAM};
constexpr SocketKind kUnixStream{AF_UNIX, SOCK_STREAM}, kUnixDgram{AF_UNIX, SOCK_DGRAM};
constexpr SocketKind kUnixSeqpacket{AF_UNIX, SOCK_SEQPACKET};

rc::Gen<Address> ip_destination(int domain) {
  namespace w = world;
  const bool v6 = domain == AF_INET6;
  auto at = [v6](const char* ip4, const char* ip6) {
    return rc::gen::map(small_port(), [=](std::uint16_t p) {
      return v6 ? Address::inet6(ip6, p) : Address::inet(ip4, p);
    });
  };
  return rc::gen::weightedOneOf<Address>({
      {8, at("127.0.0.1", "::1")},
      {2, at(w::kVethAddr4, w::kVethAddr6)},
      {2, at(w::kNoRoute4, w::kNoRoute6)},
      {1, at(w::kUnreachable4, w::kUnreachable6)},
      {1, at(w::kProhibit4, w::kProhibit6)},
      {1, at(w::kBlackhole4, w::kBlackhole6)},
      {1, at("0.0.0.0", "::")},
  });
}

rc::Gen<Address> unix_destination() {
  return rc::gen::weightedOneOf<Address>({
      {4, rc::gen::map(small_port(), [](std::uint16_t p) { return loopback(AF_UNIX, p); })},
      {2, rc::gen::map(small_port(), [](std::uint16_t p) { return wildcard_or_path(AF_UNIX, p); })},
      {1, rc::gen::just(Address::unix_unterminated())},
  });
}

}  // namespace

std::string to_string(const SocketKind& k) {
  return fmt::format("{}/{}", family_name(k.domain),
                     k.type == SOCK_STREAM  ? "SOCK_STREAM"
                     : k.type == SOCK_DGRAM ? "SOCK_DGRAM"
                                            : "SOCK_SEQPACKET");
}

rc::Gen<SocketKind> stream_kind() {
  return rc::gen::elementOf(std::vector{kTcp4, kTcp6, kUnixStream, kUnixSeqpacket});
}
rc::Gen<SocketKind> datagram_kind() {
  return rc::gen::elementOf(std::vector{kUdp4, kUdp6, kUnixDgram});
}
rc::Gen<SocketKind> any_kind() {
  return rc::gen::elementOf(
      std::vector{kTcp4, kUdp4, kTcp6, kUdp6, kUnixStream, kUnixDgram, kUnixSeqpacket});
}

rc::Gen<std::uint16_t> small_port() { return rc::gen::inRange<std::uint16_t>(1, 200); }

Address loopback(int domain, std::uint16_t port) {
  if (domain == AF_INET6) return Address::inet6("::1", port);
  if (domain == AF_UNIX) return Address::unix_abstract(fmt::format("cc-{}", port));
  return Address::inet("127.0.0.1", port);
}

Address wildcard_or_path(int domain, std::uint16_t port) {
  if (domain == AF_INET6) return Address::inet6("::", port);
  if (domain == AF_UNIX)
    return Address::unix_path(fmt::format("{}/p{}", Sandbox::enter().unix_dir, port));
  return Address::inet("0.0.0.0", port);
}

rc::Gen<Address> destination(int domain) {
  return domain == AF_UNIX ? unix_destination() : ip_destination(domain);
}

rc::Gen<Address> any_family_destination() {
  return rc::gen::oneOf(destination(AF_INET), destination(AF_INET6), destination(AF_UNIX));
}

rc::Gen<Address> unspec_address() {
  return rc::gen::elementOf(std::vector<Address>{
      Address::unspec(sizeof(sockaddr)), Address::unspec(sizeof(sa_family_t)),
      Address::unspec(sizeof(sockaddr_in6)), Address::unspec(sizeof(sockaddr_un)),
      Address::unspec(sizeof(sockaddr_storage))});
}

rc::Gen<Address> malformed_address() {
  // Real families first (the kernel's own checks), then numbers no kernel
  // family uses and the top of the 16-bit range.
  const auto family = rc::gen::elementOf(std::vector<int>{
      AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, AF_NETLINK, AF_PACKET, 46, 200, 0x7fff, 0xffff});
  // Payload bytes shrink toward zeros: 0.0.0.0:0, ::, an empty path.
  const auto payload = rc::gen::resize(
      40, rc::gen::container<std::vector<std::uint8_t>>(rc::gen::arbitrary<std::uint8_t>()));
  // Standard lengths first, then the boundaries around them, 0 and huge.
  const auto addrlen = rc::gen::weightedOneOf<int>({
      {6, rc::gen::just(-1)},  // -1: the bytes' own size
      {4, rc::gen::elementOf(std::vector<int>{16, 28, 110, 128, 2, 0, 1, 8, 15, 17, 23, 24, 27, 29,
                                              109, 111, 129})},
      {1, rc::gen::inRange(0, 300)},
      {1, rc::gen::elementOf(std::vector<int>{0x7fffffff, -2})},  // -2: 0xffffffff
  });
  const auto placement = rc::gen::weightedOneOf<Placement>({
      {6, rc::gen::just(Placement::kNormal)},
      {2, rc::gen::just(Placement::kGuardEnd)},
      {1, rc::gen::just(Placement::kNull)},
      {1, rc::gen::just(Placement::kUnmapped)},
  });
  return rc::gen::apply(
      [](int fam, std::vector<std::uint8_t> bytes, int len, Placement p) {
        Address a = Address::raw(fam, std::move(bytes));
        if (len == -2)
          a = a.with_addrlen(0xffffffffu);
        else if (len >= 0)
          a = a.with_addrlen(static_cast<socklen_t>(len));
        return a.at(p);
      },
      family, payload, addrlen, placement);
}

}  // namespace conncheck::props
