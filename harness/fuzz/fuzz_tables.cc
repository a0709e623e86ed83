// The tables of the fuzz input format (fuzz_format.h): the values the
// sandbox world (sandbox.h) gives a meaning to, so most picks land on a
// listener, a route class or a length check rather than on noise.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>

#include "exec/destination_guard.h"
#include "fuzz_format.h"
#include "sandbox/sandbox.h"

namespace conncheck::fuzzfmt {
namespace {

std::uint32_t v4(const char* s) {
  in_addr a{};
  ::inet_pton(AF_INET, s, &a);
  return a.s_addr;
}

std::string v6(const char* s) {
  in6_addr a{};
  ::inet_pton(AF_INET6, s, &a);
  return std::string(reinterpret_cast<const char*>(a.s6_addr), 16);
}

}  // namespace

std::span<const SocketKind> socket_kinds() {
  // The matrix's seven columns first (index = Column), then protocols
  // spelled out and the types the matrix does not cover.
  static constexpr SocketKind kKinds[] = {
      {AF_INET, SOCK_STREAM, 0},
      {AF_INET, SOCK_DGRAM, 0},
      {AF_INET6, SOCK_STREAM, 0},
      {AF_INET6, SOCK_DGRAM, 0},
      {AF_UNIX, SOCK_STREAM, 0},
      {AF_UNIX, SOCK_DGRAM, 0},
      {AF_UNIX, SOCK_SEQPACKET, 0},
      {AF_INET, SOCK_STREAM, IPPROTO_TCP},
      {AF_INET, SOCK_DGRAM, IPPROTO_UDP},
      {AF_INET6, SOCK_STREAM, IPPROTO_TCP},
      {AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
      {AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE},
      {AF_INET, SOCK_DGRAM, IPPROTO_ICMP},
      {AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6},
      {AF_INET, SOCK_RAW, IPPROTO_ICMP},
      {AF_INET6, SOCK_RAW, IPPROTO_ICMPV6},
      {AF_INET, SOCK_RAW, IPPROTO_RAW},
      {AF_UNIX, SOCK_RAW, 0},
      {AF_UNIX, SOCK_STREAM, PF_UNIX},
      {AF_UNIX, SOCK_STREAM, 7},
      {AF_UNIX, SOCK_RDM, 0},
      {AF_INET, 11, 0},  // type >= SOCK_MAX: EINVAL before any family code
  };
  return kKinds;
}

// The kernel's SOCK_MAX (SOCK_PACKET + 1); not in the userspace headers.
constexpr int kSockMax = SOCK_PACKET + 1;

bool module_safe(int domain, int type, int protocol) {
  if (domain == AF_UNIX) return true;  // unix_create() loads nothing
  if (domain != AF_INET && domain != AF_INET6) return false;
  if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC)) return true;  // EINVAL in __sys_socket
  const int base = type & 0xf;
  if (base >= kSockMax || base == SOCK_RAW) return true;     // EINVAL; raw matches any protocol
  if (protocol < 0 || protocol >= IPPROTO_MAX) return true;  // EINVAL before the lookup
  if (base == SOCK_STREAM) return protocol == 0 || protocol == IPPROTO_TCP;
  if (base == SOCK_DGRAM)
    return protocol == 0 || protocol == IPPROTO_UDP || protocol == IPPROTO_UDPLITE ||
           protocol == (domain == AF_INET ? static_cast<int>(IPPROTO_ICMP)
                                          : static_cast<int>(IPPROTO_ICMPV6));
  return false;  // SEQPACKET, RDM, DCCP, PACKET: no inetsw entry without a module
}

std::span<const std::uint32_t> ipv4_table() {
  static const std::array<std::uint32_t, 12> k = {
      v4("127.0.0.1"),          v4("0.0.0.0"),          v4(world::kVethAddr4),
      v4(world::kVethPeer4),    v4(world::kBroadcast4), v4(world::kNoRoute4),
      v4(world::kUnreachable4), v4(world::kProhibit4),  v4(world::kBlackhole4),
      v4("127.0.0.2"),          v4("224.0.0.1"),        v4("255.255.255.255")};
  return k;
}

std::span<const std::string> ipv6_table() {
  static const std::array<std::string, 11> k = {v6("::1"),
                                                v6("::"),
                                                v6(world::kVethAddr6),
                                                v6(world::kVethPeer6),
                                                v6(world::kNoRoute6),
                                                v6(world::kUnreachable6),
                                                v6(world::kProhibit6),
                                                v6(world::kBlackhole6),
                                                v6("::ffff:127.0.0.1"),
                                                v6("fe80::1"),
                                                v6("ff02::1")};
  return k;
}

// 20000/20001 are where the sockaddr target's prior-state listeners sit.
std::span<const std::uint32_t> port_table() {
  static constexpr std::uint32_t k[] = {20000, 20001, 9, 1, 0, 20002, 20003, 65535};
  return k;
}

// Harmless paths outside the private directory: lookups that fail.
std::span<const std::string> unix_fixed_paths() {
  static const std::array<std::string, 4> k = {"/dev/null/sock", "/nonexistent-conncheck/sock", "/",
                                               ""};
  return k;
}

std::span<const std::uint32_t> family_table() {
  static constexpr std::uint32_t k[] = {AF_UNSPEC,    AF_UNIX,    AF_INET,   AF_INET6,
                                        AF_APPLETALK, AF_NETLINK, AF_PACKET, AF_VSOCK,
                                        AF_BLUETOOTH, AF_MAX,     0xffff};
  return k;
}

std::span<const std::uint32_t> addrlen_table() {
  static constexpr std::uint32_t k[] = {0,   1,   2,   3,   8,   15,   16,         17,
                                        23,  24,  27,  28,  29,  108,  109,        110,
                                        111, 127, 128, 129, 256, 4096, 0x7fffffff, 0xffffffff};
  return k;
}

std::span<const std::uint32_t> backlog_table() {
  static constexpr std::uint32_t k[] = {8, 0, 1, 128};
  return k;
}
std::span<const std::uint32_t> len_table() {
  static constexpr std::uint32_t k[] = {1, 0, 64, 256};
  return k;
}
std::span<const std::uint32_t> how_table() {
  static constexpr std::uint32_t k[] = {SHUT_RD, SHUT_WR, SHUT_RDWR};
  return k;
}
std::span<const std::uint32_t> poll_table() {
  static constexpr std::uint32_t k[] = {100, 0, 10, 1000, 5000};
  return k;
}
std::span<const std::uint32_t> value_table() {
  static constexpr std::uint32_t k[] = {1, 0, 2};
  return k;
}
std::span<const SockOpt> sockopt_table() {
  static constexpr SockOpt k[] = {{SOL_SOCKET, SO_REUSEADDR},  {SOL_SOCKET, SO_BROADCAST},
                                  {SOL_SOCKET, SO_REUSEPORT},  {IPPROTO_TCP, TCP_SYNCNT},
                                  {IPPROTO_IPV6, IPV6_V6ONLY}, {SOL_SOCKET, SO_KEEPALIVE},
                                  {IPPROTO_TCP, TCP_NODELAY}};
  return k;
}

std::string unix_dir() {
  // Outside a sandbox (seed generation, printing) nothing is bound, so a
  // fixed name keeps decoded Programs readable; inside, the private dir.
  // The name has mkdtemp's shape, so unix_dirs.h can rebase it on replay.
  return in_sandbox() ? Sandbox::enter().unix_dir : "/tmp/conncheck.fuzz00";
}

}  // namespace conncheck::fuzzfmt
