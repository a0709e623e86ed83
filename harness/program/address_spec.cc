// The compact address form of the CLI and corpus files, and JSON.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <charconv>
#include <cstddef>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "program/address.h"

namespace conncheck {
namespace {

struct FamilyName {
  int family;
  const char* name;
  const char* short_name;
};
constexpr FamilyName kFamilies[] = {
    {AF_UNSPEC, "AF_UNSPEC", "unspec"},
    {AF_UNIX, "AF_UNIX", "unix"},
    {AF_INET, "AF_INET", "inet"},
    {AF_INET6, "AF_INET6", "inet6"},
    {AF_NETLINK, "AF_NETLINK", "netlink"},
    {AF_PACKET, "AF_PACKET", "packet"},
    {AF_VSOCK, "AF_VSOCK", "vsock"},
    {AF_BLUETOOTH, "AF_BLUETOOTH", "bluetooth"},
    {AF_APPLETALK, "AF_APPLETALK", "appletalk"},
    {AF_IPX, "AF_IPX", "ipx"},
    {AF_X25, "AF_X25", "x25"},
    {AF_AX25, "AF_AX25", "ax25"},
};

bool parse_uint(std::string_view s, unsigned long max, unsigned long* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && *out <= max;
}

std::string hex(const std::vector<std::uint8_t>& b) {
  std::string s;
  for (auto c : b) s += fmt::format("{:02x}", c);
  return s;
}

bool unhex(std::string_view s, std::vector<std::uint8_t>* out) {
  if (s.size() % 2) return false;
  out->clear();
  for (std::size_t i = 0; i < s.size(); i += 2) {
    unsigned v;
    auto [p, ec] = std::from_chars(s.data() + i, s.data() + i + 2, v, 16);
    if (ec != std::errc() || p != s.data() + i + 2) return false;
    out->push_back(static_cast<std::uint8_t>(v));
  }
  return true;
}

// host:port, [v6]:port or [v6%scope]:port
bool parse_ip_port(std::string_view spec, Address* out, std::string* error) {
  unsigned long port;
  try {
    if (spec.front() == '[') {
      const auto close = spec.find(']');
      if (close == std::string_view::npos || close + 1 >= spec.size() || spec[close + 1] != ':' ||
          !parse_uint(spec.substr(close + 2), 65535, &port)) {
        *error = fmt::format("bad IPv6 address '{}': expected [addr]:port", spec);
        return false;
      }
      std::string_view host = spec.substr(1, close - 1);
      unsigned long scope = 0;
      if (auto pct = host.find('%'); pct != std::string_view::npos) {
        if (!parse_uint(host.substr(pct + 1), 0xffffffffUL, &scope)) {
          *error = fmt::format("bad scope id in '{}': expected a number", spec);
          return false;
        }
        host = host.substr(0, pct);
      }
      *out = Address::inet6(host, static_cast<std::uint16_t>(port), 0,
                            static_cast<std::uint32_t>(scope));
      return true;
    }
    const auto colon = spec.rfind(':');
    if (colon == std::string_view::npos || !parse_uint(spec.substr(colon + 1), 65535, &port)) {
      *error = fmt::format(
          "bad address '{}': expected ip:port, [ip6]:port, unix:PATH, "
          "abstract:NAME, unnamed, unspec or raw:FAMILY:HEX",
          spec);
      return false;
    }
    *out = Address::inet(spec.substr(0, colon), static_cast<std::uint16_t>(port));
    return true;
  } catch (const std::invalid_argument& e) {
    *error = fmt::format("bad address '{}': {}", spec, e.what());
    return false;
  }
}

}  // namespace

std::string family_name(int family) {
  for (const auto& f : kFamilies)
    if (f.family == family) return f.name;
  return fmt::format("{}", family);
}

bool parse_family(std::string_view name, int* out) {
  for (const auto& f : kFamilies) {
    if (name == f.name || name == f.short_name) {
      *out = f.family;
      return true;
    }
  }
  unsigned long v;
  if (parse_uint(name, 0xffff, &v)) {
    *out = static_cast<int>(v);
    return true;
  }
  return false;
}

bool parse_spec(std::string_view spec, Address* out, std::string* error) {
  if (spec.empty()) {
    *error = "empty address";
    return false;
  }
  if (spec == "unnamed") {
    *out = Address::unix_unnamed();
    return true;
  }
  if (spec == "unspec") {
    *out = Address::unspec();
    return true;
  }
  if (spec.rfind("unix:", 0) == 0) {
    *out = Address::unix_path(spec.substr(5));
    return true;
  }
  if (spec.rfind("abstract:", 0) == 0) {
    *out = Address::unix_abstract(spec.substr(9));
    return true;
  }
  if (spec.rfind("raw:", 0) == 0) {
    const auto rest = spec.substr(4);
    const auto colon = rest.find(':');
    int family;
    std::vector<std::uint8_t> payload;
    if (colon == std::string_view::npos || !parse_family(rest.substr(0, colon), &family) ||
        !unhex(rest.substr(colon + 1), &payload)) {
      *error = fmt::format(
          "bad raw address '{}': expected raw:FAMILY:HEXBYTES "
          "(bytes after sa_family)",
          spec);
      return false;
    }
    *out = Address::raw(family, std::move(payload));
    return true;
  }
  return parse_ip_port(spec, out, error);
}

std::string to_spec(const Address& a) {
  std::string candidate;
  if (a.bytes.size() >= sizeof(sa_family_t)) {
    const std::uint8_t* d = a.bytes.data();
    switch (a.family()) {
      case AF_INET:
        if (a.bytes.size() == sizeof(sockaddr_in)) {
          sockaddr_in s;
          std::memcpy(&s, d, sizeof s);
          char ip[INET_ADDRSTRLEN];
          ::inet_ntop(AF_INET, &s.sin_addr, ip, sizeof ip);
          candidate = fmt::format("{}:{}", ip, ntohs(s.sin_port));
        }
        break;
      case AF_INET6:
        if (a.bytes.size() == sizeof(sockaddr_in6)) {
          sockaddr_in6 s;
          std::memcpy(&s, d, sizeof s);
          char ip[INET6_ADDRSTRLEN];
          ::inet_ntop(AF_INET6, &s.sin6_addr, ip, sizeof ip);
          candidate = s.sin6_scope_id
                          ? fmt::format("[{}%{}]:{}", ip, s.sin6_scope_id, ntohs(s.sin6_port))
                          : fmt::format("[{}]:{}", ip, ntohs(s.sin6_port));
        }
        break;
      case AF_UNIX: {
        constexpr std::size_t off = offsetof(sockaddr_un, sun_path);
        if (a.bytes.size() == sizeof(sa_family_t)) {
          candidate = "unnamed";
        } else if (a.bytes.size() > off + 1 && d[off] == 0) {
          candidate = "abstract:" + std::string(d + off + 1, d + a.bytes.size());
        } else if (a.bytes.size() > off) {
          candidate = "unix:" + std::string(d + off, d + a.bytes.size() - 1);
        }
        break;
      }
      case AF_UNSPEC: candidate = "unspec"; break;
      default: break;
    }
  }
  // A candidate counts only if it parses back to exactly these bytes.
  Address back;
  std::string ignored;
  if (!candidate.empty() && parse_spec(candidate, &back, &ignored) && back.bytes == a.bytes)
    return candidate;
  const int family = a.family();
  std::vector<std::uint8_t> payload;
  if (a.bytes.size() > sizeof(sa_family_t))
    payload.assign(a.bytes.begin() + sizeof(sa_family_t), a.bytes.end());
  std::string fam = fmt::format("{}", family < 0 ? 0 : family);
  for (const auto& f : kFamilies)
    if (f.family == family) fam = f.short_name;
  return fmt::format("raw:{}:{}", fam, hex(payload));
}

void to_json(nlohmann::json& j, const Address& a) {
  j = nlohmann::json{{"bytes", hex(a.bytes)},
                     {"addrlen", a.addrlen},
                     {"placement", placement_name(a.placement)},
                     {"shows_as", to_string(a)}};
}

void from_json(const nlohmann::json& j, Address& a) {
  if (!unhex(j.at("bytes").get<std::string>(), &a.bytes))
    throw std::invalid_argument("address bytes: not an even-length hex string");
  a.addrlen = j.at("addrlen").get<socklen_t>();
  a.placement = Placement::kNormal;
  if (j.contains("placement") &&
      !parse_placement(j.at("placement").get<std::string>(), &a.placement))
    throw std::invalid_argument("address placement: expected normal, guard, null or unmapped");
}

}  // namespace conncheck
