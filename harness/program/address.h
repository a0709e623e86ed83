// Address: the bytes handed to the kernel, the declared addrlen, and where
// the bytes sit in memory. The three are independent on purpose: a fuzzer
// needs addrlen 0, short, exact, longer than the bytes, or huge, and bytes
// that end exactly at a PROT_NONE guard page.
//
// Example usage:
//   Address a = Address::inet("10.255.0.1", 80);              // 16 bytes, addrlen 16
//   Address s = Address::inet("127.0.0.1", 80).with_addrlen(8); // short
//   Address g = Address::unix_path("/tmp/x").at(Placement::kGuardEnd);
//   std::string t = to_string(a);
//   // {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.255.0.1")}
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace conncheck {

enum class Placement : std::uint8_t {
  kNormal,    // bytes, then zero padding up to sizeof(sockaddr_storage), so an
              // addrlen longer than the bytes reads zeros, deterministically
  kGuardEnd,  // bytes end exactly at a PROT_NONE page: reading past them faults
  kNull,      // the pointer is NULL
  kUnmapped,  // the pointer is into a page with no mapping
};

std::string_view placement_name(Placement p);
bool parse_placement(std::string_view name, Placement* out);

struct Address {
  std::vector<std::uint8_t> bytes;  // exactly what we own and copy out
  socklen_t addrlen = 0;            // what connect() is told
  Placement placement = Placement::kNormal;

  // --- builders (addrlen = the family's exact size unless said otherwise)
  static Address inet(std::string_view ip, std::uint16_t port);
  static Address inet6(std::string_view ip, std::uint16_t port, std::uint32_t flowinfo = 0,
                       std::uint32_t scope_id = 0);
  // ::ffff:a.b.c.d
  static Address inet6_v4mapped(std::string_view ipv4, std::uint16_t port);
  // sun_path = path, NUL-terminated; addrlen = offsetof(sun_path)+len+1
  static Address unix_path(std::string_view path);
  // Linux abstract namespace: sun_path[0] = 0, then name (not terminated)
  static Address unix_abstract(std::string_view name);
  // Only sun_family: addrlen = sizeof(sa_family_t)
  static Address unix_unnamed();
  // All 108 bytes of sun_path used, no terminating NUL (Linux accepts this)
  static Address unix_unterminated(char fill = 'u');
  // sun_path longer than 108: the bytes and addrlen exceed sockaddr_un
  static Address unix_overlong(std::size_t path_len);
  // sa_family = AF_UNSPEC; addrlen as given (sizeof(sa_family_t),
  // sizeof(struct sockaddr), ...)
  static Address unspec(socklen_t addrlen = sizeof(struct sockaddr));
  // Any family number followed by any bytes; addrlen = total size
  static Address raw(int family, std::vector<std::uint8_t> payload);

  // --- modifiers, for chaining
  Address with_addrlen(socklen_t len) const;
  Address at(Placement p) const;

  // sa_family as stored in the first two bytes, or -1 if fewer than two bytes
  int family() const;

  bool operator==(const Address&) const = default;
};

// strace-style rendering. Never reads past `bytes`; a declared addrlen
// longer than the bytes, and special placements, are shown as comments.
std::string to_string(const Address& a);
// Just the structure part, as strace prints the sockaddr argument.
std::string sockaddr_to_string(const std::uint8_t* data, std::size_t len);

// The compact form the CLI accepts and prints back:
//   10.0.0.1:80   [::1]:80   [fe80::1%3]:80   unix:/path   abstract:name
//   unnamed   unspec   raw:<family>:<hex bytes>
// parse_spec returns false and fills *error with one line on bad input.
bool parse_spec(std::string_view spec, Address* out, std::string* error);
std::string to_spec(const Address& a);  // inverse of parse_spec for
                                        // well-formed addresses; raw:... else

void to_json(nlohmann::json& j, const Address& a);
void from_json(const nlohmann::json& j, Address& a);

// Family names for printing and parsing ("AF_INET", "inet").
std::string family_name(int family);
bool parse_family(std::string_view name, int* out);

}  // namespace conncheck
