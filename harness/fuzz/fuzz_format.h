// Private to the library: the byte format shared by fuzz_decode.cc and
// fuzz_encode.cc. One reader and one writer that mirror each other, and the
// tables both index, so the encoder is the decoder run backwards.
//
// Conventions (FuzzedDataProvider's, read front to back):
//   - a missing byte reads as 0, so every prefix of an input is an input;
//   - a "pick" is one selector byte: below kRawSelector it indexes a table
//     (modulo its size), from kRawSelector up a raw little-endian value of
//     the given width follows. Tables hold the values the sandbox world
//     gives meaning to; the 1-in-16 raw share reaches everything else.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "program/program.h"

namespace conncheck::fuzzfmt {

inline constexpr std::uint8_t kRawSelector = 0xF0;
inline constexpr std::size_t kMaxOps = 16;    // a Program of the program targets
inline constexpr int kSlots = 4;              // slots those Programs use
inline constexpr std::size_t kMaxName = 120;  // AF_UNIX names and raw payloads

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> d) : d_(d) {}
  bool empty() const { return pos_ >= d_.size(); }
  std::uint8_t byte() { return empty() ? 0 : d_[pos_++]; }
  std::uint32_t raw(int width) {
    std::uint32_t v = 0;
    for (int i = 0; i < width; ++i) v |= static_cast<std::uint32_t>(byte()) << (8 * i);
    return v;
  }
  std::uint32_t pick(std::span<const std::uint32_t> table, int width = 4) {
    const std::uint8_t b = byte();
    return b >= kRawSelector ? raw(width) : table[b % table.size()];
  }
  // Up to n bytes; fewer when the input ends (never padded).
  std::vector<std::uint8_t> bytes(std::size_t n) {
    const std::size_t k = std::min(n, d_.size() - std::min(pos_, d_.size()));
    std::vector<std::uint8_t> v(d_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                d_.begin() + static_cast<std::ptrdiff_t>(pos_ + k));
    pos_ += k;
    return v;
  }

 private:
  std::span<const std::uint8_t> d_;
  std::size_t pos_ = 0;
};

class Writer {
 public:
  void byte(std::uint8_t b) { out_.push_back(b); }
  void raw(std::uint32_t v, int width) {
    for (int i = 0; i < width; ++i) byte(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void pick(std::span<const std::uint32_t> table, std::uint32_t v, int width = 4) {
    const auto it = std::find(table.begin(), table.end(), v);
    if (it != table.end()) return byte(static_cast<std::uint8_t>(it - table.begin()));
    byte(kRawSelector);
    raw(v, width);
  }
  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  std::vector<std::uint8_t>& out() { return out_; }

 private:
  std::vector<std::uint8_t> out_;
};

// --- sockets: (domain, type, protocol) triples that cannot make the
// kernel call request_module() (an unmatched inet type/protocol pair does,
// once per socket() call: a modprobe per input on kernels with modules).
struct SocketKind {
  int domain, type, protocol;
};
std::span<const SocketKind> socket_kinds();
// True when socket(domain, type, protocol) stays within loaded code.
bool module_safe(int domain, int type, int protocol);
inline constexpr std::uint8_t kFlagNonblock = 1, kFlagCloexec = 2;

// --- addresses
enum AddrKind : std::uint8_t {
  kInet,
  kInet6,
  kV4Mapped,
  kUnixInDir,
  kUnixAbstract,
  kUnixUnnamed,
  kUnspec,
  kUnixFixed,
  kRaw,
  kAddrKinds
};
std::span<const std::uint32_t> ipv4_table();  // network byte order
std::span<const std::string> ipv6_table();    // 16 bytes each
std::span<const std::uint32_t> port_table();
std::span<const std::string> unix_fixed_paths();
std::span<const std::uint32_t> family_table();
std::span<const std::uint32_t> addrlen_table();
inline constexpr std::uint8_t kAddrlenTable = 0xC0;  // selector: table from here, raw from 0xF0
inline constexpr std::uint8_t kPlacementSpecial = 0xD0;

Address read_address(Reader& r);
void write_address(Writer& w, const Address& a);

// AF_UNIX pathnames a fuzz input may bind live in the sandbox's private
// directory: "<dir>/<name>", name without '/'. Raw AF_UNIX bytes are made
// abstract (sun_path[0] = 0): abstract names belong to the network
// namespace, so no input creates or reaches a file elsewhere.
std::string unix_dir();

// Socket arguments: a kind byte (socket_kinds(), or raw), then a flags byte.
op::Socket read_socket(Reader& r, int slot);
void write_socket(Writer& w, const op::Socket& s);

// The sockaddr target's peer address for a socket domain (its slot 1).
Address peer_address(int domain);

// --- other op arguments
std::span<const std::uint32_t> backlog_table();
std::span<const std::uint32_t> len_table();
std::span<const std::uint32_t> how_table();
std::span<const std::uint32_t> poll_table();
std::span<const std::uint32_t> value_table();
struct SockOpt {
  int level, name;
};
std::span<const SockOpt> sockopt_table();

}  // namespace conncheck::fuzzfmt
