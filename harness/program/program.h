// Program: the one representation shared by `conncheck call`, the
// conformance matrix, properties, fuzz targets and C reproducers. A short
// list of operations over a few socket slots; an op names its socket by
// slot, never by a raw fd number, so every consumer agrees on what it means.
//
// Example usage:
//   Program p;
//   p.ops.push_back(op::Socket{0, AF_INET, SOCK_STREAM, 0});
//   p.ops.push_back(op::Connect{0, Address::inet("127.0.0.1", 1)});
//   Trace t = execute(p, {.backend = Backend::kSyscall});
#pragma once

#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "program/address.h"

namespace conncheck {

inline constexpr int kMaxSlots = 8;

namespace op {
struct Socket {
  int slot;
  int domain;
  int type;
  int protocol = 0;
};  // type may carry SOCK_NONBLOCK
struct NotSocket {
  int slot;
};  // /dev/null in the slot: ENOTSOCK material
struct Bind {
  int slot;
  Address addr;
};
struct Listen {
  int slot;
  int backlog = 0;
};
// The call under test, through the run's Backend. interrupt_ms > 0 sends
// this thread SIGUSR1 (handler without SA_RESTART) after that many ms.
struct Connect {
  int slot;
  Address addr;
  int interrupt_ms = 0;
};
struct Accept {
  int slot;
  int into_slot;
};
struct Send {
  int slot;
  int len = 1;
};  // send(): no address
struct SendTo {
  int slot;
  Address addr;
  int len = 1;
};
struct Recv {
  int slot;
};  // recv(..., MSG_DONTWAIT)
struct GetPeerName {
  int slot;
};
struct GetSockName {
  int slot;
};
struct Shutdown {
  int slot;
  int how;
};
struct Close {
  int slot;
};
struct SetNonblock {
  int slot;
  bool on = true;
};
struct SetSockOpt {
  int slot;
  int level;
  int name;
  int value;
};
struct PollOut {
  int slot;
  int timeout_ms;
};  // poll(POLLOUT)
struct GetSoError {
  int slot;
};  // getsockopt(SO_ERROR)
}  // namespace op

using Op =
    std::variant<op::Socket, op::NotSocket, op::Bind, op::Listen, op::Connect, op::Accept, op::Send,
                 op::SendTo, op::Recv, op::GetPeerName, op::GetSockName, op::Shutdown, op::Close,
                 op::SetNonblock, op::SetSockOpt, op::PollOut, op::GetSoError>;

struct Program {
  std::vector<Op> ops;
  bool operator==(const Program&) const = default;
};

// The operation's name as in a trace: "socket", "connect", ...
std::string op_name(const Op& o);
int op_slot(const Op& o);

// Empty if every slot is in range and every address within limits; else one
// line naming the first problem. Run on every decoded, generated or shrunk
// Program in tests.
std::string validate(const Program& p);

void to_json(nlohmann::json& j, const Program& p);
void from_json(const nlohmann::json& j, Program& p);

// Symbolic names for socket arguments ("SOCK_STREAM|SOCK_NONBLOCK", ...).
std::string socket_type_name(int type);
std::string shutdown_how_name(int how);
std::string sockopt_name(int level, int name);

}  // namespace conncheck
