#include "program/outcome.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace conncheck {

std::string errno_name(int err) {
  // glibc >= 2.32 knows the names; no table of our own to drift.
  if (const char* n = ::strerrorname_np(err)) return n;
  return fmt::format("E{}", err);
}

bool parse_errno(std::string_view name, int* out) {
  for (int e = 1; e < 4096; ++e) {
    const char* n = ::strerrorname_np(e);
    if (n != nullptr && name == n) {
      *out = e;
      return true;
    }
  }
  return false;
}

namespace {

// The port of an AF_INET/AF_INET6 sockaddr, zeroed, for comparisons that
// must not depend on which ephemeral port the kernel picked.
std::vector<std::uint8_t> without_port(std::vector<std::uint8_t> a) {
  if (a.size() >= sizeof(sa_family_t) + 2) {
    sa_family_t f;
    std::memcpy(&f, a.data(), sizeof f);
    if (f == AF_INET || f == AF_INET6) a[2] = a[3] = 0;
  }
  return a;
}

std::string name_result(const char* what, const NameResult& r) {
  if (r.ret < 0) return fmt::format("{}=-1 {}", what, errno_name(r.err));
  return fmt::format("{}={}", what, sockaddr_to_string(r.addr.data(), r.addr.size()));
}

}  // namespace

bool Outcome::same_as(const Outcome& o, bool mask_local_port) const {
  if (ret != o.ret || err != o.err || hung != o.hung || refused != o.refused) return false;
  if (post.has_value() != o.post.has_value()) return false;
  if (!post) return true;
  if (post->peer != o.post->peer || post->so_error != o.post->so_error) return false;
  if (!mask_local_port) return post->local == o.post->local;
  return post->local.ret == o.post->local.ret && post->local.err == o.post->local.err &&
         without_port(post->local.addr) == without_port(o.post->local.addr);
}

std::string result_to_string(const Outcome& o) {
  if (o.refused) return " = ? /* not issued: refused by the harness guard */";
  std::string s = o.ret < 0 ? fmt::format(" = -1 {} ({})", errno_name(o.err), std::strerror(o.err))
                            : fmt::format(" = {}", o.ret);
  if (o.hung) s += " /* HANG: interrupted by the watchdog */";
  std::vector<std::string> notes;
  if (o.post) {
    notes.push_back(name_result("peer", o.post->peer));
    notes.push_back(name_result("local", o.post->local));
    notes.push_back(
        o.post->so_error < 0
            ? fmt::format("SO_ERROR=? ({})", errno_name(-o.post->so_error))
            : fmt::format("SO_ERROR={}", o.post->so_error ? errno_name(o.post->so_error) : "0"));
  }
  if (o.elapsed_ns) notes.push_back(fmt::format("{:.1f}us", o.elapsed_ns / 1000.0));
  if (!notes.empty()) s += " /* " + fmt::format("{}", fmt::join(notes, ", ")) + " */";
  return s;
}

std::string trace_line(int fd, const Address& a, const Outcome& o) {
  return fmt::format("connect({}, {}, {}){}", fd, to_string(a), a.addrlen, result_to_string(o));
}

namespace {
nlohmann::json name_json(const NameResult& r) {
  nlohmann::json j{{"ret", r.ret}};
  if (r.ret < 0)
    j["errno"] = errno_name(r.err);
  else
    j["addr"] = sockaddr_to_string(r.addr.data(), r.addr.size());
  return j;
}
}  // namespace

void to_json(nlohmann::json& j, const Outcome& o) {
  j = nlohmann::json{{"ret", o.ret},
                     {"errno", o.ret < 0 ? errno_name(o.err) : ""},
                     {"elapsed_ns", o.elapsed_ns},
                     {"hung", o.hung}};
  if (o.post) {
    j["post"] = {{"peer", name_json(o.post->peer)},
                 {"local", name_json(o.post->local)},
                 {"so_error", o.post->so_error ? errno_name(std::abs(o.post->so_error)) : "0"}};
  }
}

}  // namespace conncheck
