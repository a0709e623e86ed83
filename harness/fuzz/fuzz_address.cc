// Addresses in the fuzz input format (fuzz_format.h): a kind byte, the
// kind's fields, then the declared length and the placement, which are
// independent of the bytes (address.h) so a short prefix of an input gives
// a well-formed address with its natural length in normal memory.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>

#include "fuzz_format.h"

namespace conncheck::fuzzfmt {
namespace {

constexpr std::size_t kSunPath = offsetof(sockaddr_un, sun_path);
constexpr Placement kSpecial[] = {Placement::kGuardEnd, Placement::kNull, Placement::kUnmapped};

Address inet(std::uint32_t ip_net, std::uint32_t port) {
  sockaddr_in s{};
  s.sin_family = AF_INET;
  s.sin_port = htons(static_cast<std::uint16_t>(port));
  s.sin_addr.s_addr = ip_net;
  Address a;
  a.bytes.assign(reinterpret_cast<const std::uint8_t*>(&s),
                 reinterpret_cast<const std::uint8_t*>(&s) + sizeof s);
  return a;
}

Address inet6(const std::uint8_t* ip16, std::uint32_t port, std::uint32_t flow,
              std::uint32_t scope) {
  sockaddr_in6 s{};
  s.sin6_family = AF_INET6;
  s.sin6_port = htons(static_cast<std::uint16_t>(port));
  s.sin6_flowinfo = flow;
  std::memcpy(&s.sin6_addr, ip16, 16);
  s.sin6_scope_id = scope;
  Address a;
  a.bytes.assign(reinterpret_cast<const std::uint8_t*>(&s),
                 reinterpret_cast<const std::uint8_t*>(&s) + sizeof s);
  return a;
}

Address unix_bytes(std::uint8_t first, std::span<const std::uint8_t> rest, bool terminate) {
  Address a;
  a.bytes = {AF_UNIX, 0};
  if (first || !rest.empty() || terminate) a.bytes.push_back(first);
  a.bytes.insert(a.bytes.end(), rest.begin(), rest.end());
  if (terminate) a.bytes.push_back(0);
  return a;
}

Address in_dir(std::vector<std::uint8_t> name) {
  for (auto& c : name)
    if (c == '/') c = '_';  // a name never leaves the directory
  const std::string d = unix_dir() + "/";
  std::vector<std::uint8_t> path(d.begin() + 1, d.end());
  path.insert(path.end(), name.begin(), name.end());
  return unix_bytes(static_cast<std::uint8_t>(d[0]), path, true);
}

// The bytes of one kind; addrlen and placement come after.
Address read_body(Reader& r) {
  switch (r.byte() % kAddrKinds) {
    case kInet: {
      const std::uint32_t ip = r.pick(ipv4_table());
      return inet(ip, r.pick(port_table(), 2));
    }
    case kInet6: {
      std::uint8_t ip[16]{};
      const std::uint8_t b = r.byte();
      if (b >= kRawSelector) {
        const auto v = r.bytes(16);
        if (!v.empty()) std::memcpy(ip, v.data(), v.size());  // data() may be null when empty
      } else {
        std::memcpy(ip, ipv6_table()[b % ipv6_table().size()].data(), 16);
      }
      const std::uint32_t port = r.pick(port_table(), 2);
      std::uint32_t flow = 0, scope = 0;
      if (r.byte() >= kRawSelector) {
        flow = r.raw(4);
        scope = r.raw(4);
      }
      return inet6(ip, port, flow, scope);
    }
    case kV4Mapped: {
      std::uint8_t ip[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
      const std::uint32_t v4 = r.pick(ipv4_table());
      std::memcpy(ip + 12, &v4, 4);
      return inet6(ip, r.pick(port_table(), 2), 0, 0);
    }
    case kUnixInDir: return in_dir(r.bytes(r.byte() % (kMaxName + 1)));
    case kUnixAbstract: return unix_bytes(0, r.bytes(r.byte() % (kMaxName + 1)), false);
    case kUnixUnnamed: return unix_bytes(0, {}, false);
    case kUnspec: {
      Address a;
      a.bytes.assign(16, 0);
      return a;
    }
    case kUnixFixed: {
      const std::string& p = unix_fixed_paths()[r.byte() % unix_fixed_paths().size()];
      const std::vector<std::uint8_t> rest(p.begin() + (p.empty() ? 0 : 1), p.end());
      return unix_bytes(p.empty() ? 0 : static_cast<std::uint8_t>(p[0]), rest, true);
    }
    default: {
      const std::uint32_t fam = r.pick(family_table(), 2);
      std::vector<std::uint8_t> payload = r.bytes(r.byte() % (kMaxName + 1));
      if (fam == AF_UNIX && !payload.empty()) payload[0] = 0;  // abstract: see unix_dir()
      Address a;
      a.bytes = {static_cast<std::uint8_t>(fam), static_cast<std::uint8_t>(fam >> 8)};
      a.bytes.insert(a.bytes.end(), payload.begin(), payload.end());
      return a;
    }
  }
}

// Candidate encodings of a's bytes, best first; each is checked by decoding.
std::vector<std::vector<std::uint8_t>> body_candidates(const Address& a) {
  std::vector<std::vector<std::uint8_t>> out;
  const auto& b = a.bytes;
  const int fam = a.family();
  auto port_of = [&](std::size_t off) {
    return static_cast<std::uint32_t>(b[off] << 8 | b[off + 1]);
  };
  if (fam == AF_INET && b.size() == sizeof(sockaddr_in)) {
    Writer w;
    w.byte(kInet);
    std::uint32_t ip;
    std::memcpy(&ip, b.data() + 4, 4);
    w.pick(ipv4_table(), ip);
    w.pick(port_table(), port_of(2), 2);
    out.push_back(std::move(w.out()));
  }
  if (fam == AF_INET6 && b.size() == sizeof(sockaddr_in6)) {
    {
      Writer w;
      w.byte(kV4Mapped);
      std::uint32_t ip;
      std::memcpy(&ip, b.data() + 20, 4);
      w.pick(ipv4_table(), ip);
      w.pick(port_table(), port_of(2), 2);
      out.push_back(std::move(w.out()));
    }
    Writer w;
    w.byte(kInet6);
    const std::string ip(reinterpret_cast<const char*>(b.data() + 8), 16);
    const auto t = ipv6_table();
    const auto it = std::find(t.begin(), t.end(), ip);
    if (it != t.end())
      w.byte(static_cast<std::uint8_t>(it - t.begin()));
    else {
      w.byte(kRawSelector);
      w.bytes({b.data() + 8, 16});
    }
    w.pick(port_table(), port_of(2), 2);
    std::uint32_t flow, scope;
    std::memcpy(&flow, b.data() + 4, 4);
    std::memcpy(&scope, b.data() + 24, 4);
    if (flow || scope) {
      w.byte(kRawSelector);
      w.raw(flow, 4);
      w.raw(scope, 4);
    } else
      w.byte(0);
    out.push_back(std::move(w.out()));
  }
  if (fam == AF_UNIX) {
    const std::string d = unix_dir() + "/";
    const std::string s(b.begin(), b.end());
    if (s.size() > kSunPath + d.size() && s.compare(kSunPath, d.size(), d) == 0 && s.back() == 0) {
      const std::size_t n = s.size() - kSunPath - d.size() - 1;
      Writer w;
      w.byte(kUnixInDir);
      w.byte(static_cast<std::uint8_t>(n));
      w.bytes({b.data() + kSunPath + d.size(), n});
      out.push_back(std::move(w.out()));
    }
    const auto paths = unix_fixed_paths();
    for (std::size_t i = 0; i < paths.size(); ++i)
      out.push_back({kUnixFixed, static_cast<std::uint8_t>(i)});
    out.push_back({kUnixUnnamed});
    if (b.size() > kSunPath && b[kSunPath] == 0) {
      Writer w;
      w.byte(kUnixAbstract);
      w.byte(static_cast<std::uint8_t>(b.size() - kSunPath - 1));
      w.bytes({b.data() + kSunPath + 1, b.size() - kSunPath - 1});
      out.push_back(std::move(w.out()));
    }
  }
  out.push_back({kUnspec});
  Writer w;  // raw: always decodable, exact unless too long or an AF_UNIX path
  w.byte(kRaw);
  w.pick(family_table(), fam < 0 ? 0 : static_cast<std::uint32_t>(fam), 2);
  const std::size_t n = std::min(b.size() > 2 ? b.size() - 2 : 0, kMaxName);
  w.byte(static_cast<std::uint8_t>(n));
  if (n) w.bytes({b.data() + 2, n});
  out.push_back(std::move(w.out()));
  return out;
}

}  // namespace

Address read_address(Reader& r) {
  Address a = read_body(r);
  const std::uint8_t len = r.byte();
  if (len < kAddrlenTable)
    a.addrlen = static_cast<socklen_t>(a.bytes.size());
  else if (len < kRawSelector)
    a.addrlen = addrlen_table()[(len - kAddrlenTable) % addrlen_table().size()];
  else
    a.addrlen = r.raw(4);
  const std::uint8_t p = r.byte();
  a.placement = p < kPlacementSpecial ? Placement::kNormal : kSpecial[(p - kPlacementSpecial) % 3];
  return a;
}

void write_address(Writer& w, const Address& a) {
  const auto candidates = body_candidates(a);
  const std::vector<std::uint8_t>* best = &candidates.back();
  for (const auto& c : candidates) {
    Reader r(c);
    if (read_body(r).bytes == a.bytes) {
      best = &c;
      break;
    }
  }
  w.bytes(*best);
  if (a.addrlen == a.bytes.size())
    w.byte(0);
  else {
    const auto t = addrlen_table();
    const auto it = std::find(t.begin(), t.end(), a.addrlen);
    if (it != t.end())
      w.byte(static_cast<std::uint8_t>(kAddrlenTable + (it - t.begin())));
    else {
      w.byte(kRawSelector);
      w.raw(a.addrlen, 4);
    }
  }
  switch (a.placement) {
    case Placement::kNormal: w.byte(0); break;
    case Placement::kGuardEnd: w.byte(kPlacementSpecial); break;
    case Placement::kNull: w.byte(kPlacementSpecial + 1); break;
    case Placement::kUnmapped: w.byte(kPlacementSpecial + 2); break;
  }
}

}  // namespace conncheck::fuzzfmt
