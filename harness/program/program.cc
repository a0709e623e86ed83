// Program: names, validation and JSON. One overload set per op keeps the
// per-op knowledge in one place for each concern.
#include "program/program.h"
#include "base/overloaded.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace conncheck {
namespace {

using internal::overloaded;

constexpr std::size_t kMaxAddressBytes = 4096;

// The JSON name of each alternative, in variant order.
constexpr const char* kOpNames[] = {
    "socket", "not_socket",   "bind",       "listen",      "connect",     "accept",
    "send",   "sendto",       "recv",       "getpeername", "getsockname", "shutdown",
    "close",  "set_nonblock", "setsockopt", "poll_out",    "get_so_error"};
static_assert(std::size(kOpNames) == std::variant_size_v<Op>);

const Address* op_address(const Op& o) {
  return std::visit(overloaded{[](const op::Bind& b) -> const Address* { return &b.addr; },
                               [](const op::Connect& c) -> const Address* { return &c.addr; },
                               [](const op::SendTo& s) -> const Address* { return &s.addr; },
                               [](const auto&) -> const Address* { return nullptr; }},
                    o);
}

}  // namespace

std::string op_name(const Op& o) { return kOpNames[o.index()]; }

int op_slot(const Op& o) {
  return std::visit([](const auto& x) { return x.slot; }, o);
}

std::string validate(const Program& p) {
  for (std::size_t i = 0; i < p.ops.size(); ++i) {
    const Op& o = p.ops[i];
    const int slot = op_slot(o);
    if (slot < 0 || slot >= kMaxSlots)
      return fmt::format("op {} ({}): slot {} out of range 0..{}", i, op_name(o), slot,
                         kMaxSlots - 1);
    if (const auto* a = std::get_if<op::Accept>(&o);
        a && (a->into_slot < 0 || a->into_slot >= kMaxSlots))
      return fmt::format("op {} (accept): into_slot {} out of range", i, a->into_slot);
    if (const Address* a = op_address(o); a && a->bytes.size() > kMaxAddressBytes)
      return fmt::format("op {} ({}): address of {} bytes exceeds {}", i, op_name(o),
                         a->bytes.size(), kMaxAddressBytes);
  }
  return "";
}

void to_json(nlohmann::json& j, const Program& p) {
  j = nlohmann::json::array();
  for (const Op& o : p.ops) {
    nlohmann::json e{{"op", op_name(o)}, {"slot", op_slot(o)}};
    std::visit(overloaded{[&](const op::Socket& x) {
                            e["domain"] = x.domain;
                            e["type"] = x.type;
                            e["protocol"] = x.protocol;
                          },
                          [&](const op::Bind& x) { e["addr"] = x.addr; },
                          [&](const op::Listen& x) { e["backlog"] = x.backlog; },
                          [&](const op::Connect& x) {
                            e["addr"] = x.addr;
                            if (x.interrupt_ms) e["interrupt_ms"] = x.interrupt_ms;
                          },
                          [&](const op::Accept& x) { e["into_slot"] = x.into_slot; },
                          [&](const op::Send& x) { e["len"] = x.len; },
                          [&](const op::SendTo& x) {
                            e["addr"] = x.addr;
                            e["len"] = x.len;
                          },
                          [&](const op::Shutdown& x) { e["how"] = x.how; },
                          [&](const op::SetNonblock& x) { e["on"] = x.on; },
                          [&](const op::SetSockOpt& x) {
                            e["level"] = x.level;
                            e["name"] = x.name;
                            e["value"] = x.value;
                          },
                          [&](const op::PollOut& x) { e["timeout_ms"] = x.timeout_ms; },
                          [&](const auto&) {}},
               o);
    j.push_back(std::move(e));
  }
}

void from_json(const nlohmann::json& j, Program& p) {
  p.ops.clear();
  for (const auto& e : j) {
    const std::string name = e.at("op").get<std::string>();
    const int slot = e.at("slot").get<int>();
    auto addr = [&] { return e.at("addr").get<Address>(); };
    if (name == "socket")
      p.ops.push_back(op::Socket{slot, e.at("domain"), e.at("type"), e.value("protocol", 0)});
    else if (name == "not_socket")
      p.ops.push_back(op::NotSocket{slot});
    else if (name == "bind")
      p.ops.push_back(op::Bind{slot, addr()});
    else if (name == "listen")
      p.ops.push_back(op::Listen{slot, e.value("backlog", 0)});
    else if (name == "connect")
      p.ops.push_back(op::Connect{slot, addr(), e.value("interrupt_ms", 0)});
    else if (name == "accept")
      p.ops.push_back(op::Accept{slot, e.at("into_slot")});
    else if (name == "send")
      p.ops.push_back(op::Send{slot, e.value("len", 1)});
    else if (name == "sendto")
      p.ops.push_back(op::SendTo{slot, addr(), e.value("len", 1)});
    else if (name == "recv")
      p.ops.push_back(op::Recv{slot});
    else if (name == "getpeername")
      p.ops.push_back(op::GetPeerName{slot});
    else if (name == "getsockname")
      p.ops.push_back(op::GetSockName{slot});
    else if (name == "shutdown")
      p.ops.push_back(op::Shutdown{slot, e.at("how")});
    else if (name == "close")
      p.ops.push_back(op::Close{slot});
    else if (name == "set_nonblock")
      p.ops.push_back(op::SetNonblock{slot, e.value("on", true)});
    else if (name == "setsockopt")
      p.ops.push_back(op::SetSockOpt{slot, e.at("level"), e.at("name"), e.at("value")});
    else if (name == "poll_out")
      p.ops.push_back(op::PollOut{slot, e.at("timeout_ms")});
    else if (name == "get_so_error")
      p.ops.push_back(op::GetSoError{slot});
    else
      throw std::invalid_argument("unknown op '" + name + "'");
  }
}

std::string socket_type_name(int type) {
  std::string s;
  switch (type & 0xf) {
    case SOCK_STREAM: s = "SOCK_STREAM"; break;
    case SOCK_DGRAM: s = "SOCK_DGRAM"; break;
    case SOCK_SEQPACKET: s = "SOCK_SEQPACKET"; break;
    case SOCK_RAW: s = "SOCK_RAW"; break;
    default: s = fmt::format("{:#x}", type & 0xf);
  }
  if (type & SOCK_NONBLOCK) s += "|SOCK_NONBLOCK";
  if (type & SOCK_CLOEXEC) s += "|SOCK_CLOEXEC";
  if (int rest = type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC)) s += fmt::format("|{:#x}", rest);
  return s;
}

std::string shutdown_how_name(int how) {
  switch (how) {
    case SHUT_RD: return "SHUT_RD";
    case SHUT_WR: return "SHUT_WR";
    case SHUT_RDWR: return "SHUT_RDWR";
  }
  return fmt::format("{}", how);
}

std::string sockopt_name(int level, int name) {
  if (level == SOL_SOCKET) {
    switch (name) {
      case SO_BROADCAST: return "SOL_SOCKET, SO_BROADCAST";
      case SO_REUSEADDR: return "SOL_SOCKET, SO_REUSEADDR";
      case SO_REUSEPORT: return "SOL_SOCKET, SO_REUSEPORT";
      case SO_LINGER: return "SOL_SOCKET, SO_LINGER";
    }
  }
  if (level == IPPROTO_TCP && name == TCP_SYNCNT) return "SOL_TCP, TCP_SYNCNT";
  if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY) return "SOL_IPV6, IPV6_V6ONLY";
  return fmt::format("{}, {}", level, name);
}

}  // namespace conncheck
