#include "exec/destination_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <atomic>
#include <cstring>

#include <fmt/format.h>

#include "program/errors.h"

namespace conncheck {
namespace {

// The bytes the kernel would read, as a Normal placement lays them out
// (owned bytes, then zeros up to addrlen).
std::vector<std::uint8_t> as_kernel_sees(const Address& a) {
  std::vector<std::uint8_t> v(a.addrlen > 4096 ? 4096 : a.addrlen, 0);
  std::memcpy(v.data(), a.bytes.data(), std::min(v.size(), a.bytes.size()));
  return v;
}

// Linux sends a connect to 0.0.0.0 or :: to the loopback address
// (ip_route_connect fills in INADDR_LOOPBACK), so those are local too.
bool local_v4(in_addr a) {
  const std::uint32_t h = ntohl(a.s_addr);
  return (h >> 24) == 127 || h == 0;
}

bool local_v6(const in6_addr& a) {
  if (IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_UNSPECIFIED(&a)) return true;
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    in_addr v4;
    std::memcpy(&v4, a.s6_addr + 12, 4);
    return local_v4(v4);
  }
  return false;
}

}  // namespace

constinit std::atomic<bool> detail::g_in_sandbox{false};

namespace internal {
void mark_in_sandbox() { detail::g_in_sandbox.store(true, std::memory_order_release); }
}  // namespace internal

std::string destination_refusal(const Address& a) {
  return in_sandbox() ? "" : refusal_outside_sandbox(a);
}

std::string refusal_outside_sandbox(const Address& a) {
  // The kernel faults on these pointers before it reads any destination.
  if (a.placement == Placement::kNull || a.placement == Placement::kUnmapped) return "";
  const std::vector<std::uint8_t> b = as_kernel_sees(a);
  // Every family rejects a length shorter than sa_family with EINVAL.
  if (b.size() < sizeof(sa_family_t)) return "";
  const int family = b[0] | (b[1] << 8);
  switch (family) {
    case AF_UNIX:
    case AF_UNSPEC: return "";
    case AF_INET: {
      if (b.size() < sizeof(sockaddr_in)) return "";  // EINVAL, nothing sent
      sockaddr_in s;
      std::memcpy(&s, b.data(), sizeof s);
      if (local_v4(s.sin_addr)) return "";
      break;
    }
    case AF_INET6: {
      if (b.size() < offsetof(sockaddr_in6, sin6_scope_id)) return "";  // EINVAL
      sockaddr_in6 s{};
      std::memcpy(&s, b.data(), std::min(b.size(), sizeof s));
      if (local_v6(s.sin6_addr)) return "";
      break;
    }
    default: break;
  }
  return fmt::format(
      "refusing connect to {} outside the sandbox: only loopback, "
      "AF_UNIX and AF_UNSPEC destinations are allowed here "
      "(run inside the sandbox instead)",
      to_string(a));
}

void check_destination(const Address& a) {
  if (in_sandbox()) return;
  if (std::string why = destination_refusal(a); !why.empty()) throw UnsafeDestination(why);
}

std::string socket_domain_refusal(int domain) {
  if (domain == AF_UNIX || domain == AF_INET || domain == AF_INET6) return "";
  return fmt::format(
      "refusing socket({}): only AF_UNIX, AF_INET and AF_INET6 sockets are "
      "made, since other families (AF_VSOCK, AF_BLUETOOTH, ...) are not "
      "contained by a network namespace",
      family_name(domain));
}

}  // namespace conncheck
