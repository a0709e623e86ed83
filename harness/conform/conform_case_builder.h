// What the conformance cases are written with: a CaseBuilder per case (its
// name makes its ports and paths unique), the column helpers and the column
// groups. Private to conform/ (conform_cases*.cc).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "conform/conform.h"

namespace conncheck::conform_internal {

struct Ctx {
  const SandboxWorld& w;
  int backend;
  std::vector<ConformCase>* out;
  int next_port = 0;
};

inline bool is_unix(Column c) { return c >= Column::kUnixStream; }
inline int domain_of(Column c) {
  if (is_unix(c)) return AF_UNIX;
  return (c == Column::kInetStream || c == Column::kInetDgram) ? AF_INET : AF_INET6;
}
inline int type_of(Column c) {
  switch (c) {
    case Column::kInetStream:
    case Column::kInet6Stream:
    case Column::kUnixStream: return SOCK_STREAM;
    case Column::kUnixSeqpacket: return SOCK_SEQPACKET;
    default: return SOCK_DGRAM;
  }
}

// One case being written: its name makes its ports and paths unique.
class CaseBuilder {
 public:
  CaseBuilder(Ctx& ctx, std::string row, Column col, std::string what) : ctx_(ctx), col_(col) {
    c_.row = std::move(row);
    c_.column = col;
    c_.name = fmt::format("{}/{}/{}", c_.row, column_name(col), what);
    id_ = (ctx.next_port += 4);
    port_ = static_cast<std::uint16_t>(20000 + ctx.backend * 4000 + id_);
  }
  // The k-th local address of this case in the column's family.
  Address addr(int k) const {
    if (is_unix(col_))
      return Address::unix_path(fmt::format("{}/b{}-{}-{}", ctx_.w.unix_dir, ctx_.backend, id_, k));
    return domain_of(col_) == AF_INET ? Address::inet("127.0.0.1", port_ + k)
                                      : Address::inet6("::1", port_ + k);
  }
  std::string path(int k) const {
    return fmt::format("{}/b{}-{}-{}", ctx_.w.unix_dir, ctx_.backend, id_, k);
  }
  CaseBuilder& socket(int slot, int extra_flags = 0) {
    return op(op::Socket{slot, domain_of(col_), type_of(col_) | extra_flags});
  }
  CaseBuilder& op(Op o) {
    c_.program.ops.push_back(std::move(o));
    return *this;
  }
  // A listener at addr(k) in `slot`; backlog 0 holds exactly one connection.
  CaseBuilder& listener(int slot, int k, int backlog = 8) {
    socket(slot);
    if (!is_unix(col_)) op(op::SetSockOpt{slot, SOL_SOCKET, SO_REUSEADDR, 1});
    op(op::Bind{slot, addr(k)});
    if (type_of(col_) != SOCK_DGRAM) op(op::Listen{slot, backlog});
    return *this;
  }
  // Slot 0: a listener whose queue is full: one client (slot 1) already in it.
  CaseBuilder& full_listener() {
    listener(0, 0, 0);
    socket(1);
    return op(op::Connect{1, addr(0)});
  }
  CaseBuilder& target(int err) {
    c_.target = static_cast<int>(c_.program.ops.size()) - 1;
    c_.want_err = err;
    return *this;
  }
  CaseBuilder& setup(Setup s, std::string p = "") {
    c_.setup = s;
    c_.setup_path = std::move(p);
    return *this;
  }
  CaseBuilder& slow(std::chrono::milliseconds bound) {
    c_.slow = true;
    c_.bound = bound;
    return *this;
  }
  CaseBuilder& so_error(int v) {
    c_.want_so_error = v;
    return *this;
  }
  ~CaseBuilder() { ctx_.out->push_back(std::move(c_)); }

 private:
  Ctx& ctx_;
  Column col_;
  ConformCase c_;
  std::uint16_t port_;
  int id_;
};

inline constexpr Column kIp[] = {Column::kInetStream, Column::kInetDgram, Column::kInet6Stream,
                                 Column::kInet6Dgram};
inline constexpr Column kIpStreamCols[] = {Column::kInetStream, Column::kInet6Stream};
inline constexpr Column kIpDgramCols[] = {Column::kInetDgram, Column::kInet6Dgram};
inline constexpr Column kUnix[] = {Column::kUnixStream, Column::kUnixDgram, Column::kUnixSeqpacket};
inline constexpr Column kUnixConn[] = {Column::kUnixStream, Column::kUnixSeqpacket};

inline Address other_family(Column c) {
  // sa_family = AF_APPLETALK, long enough for any family's length check.
  if (!is_unix(c)) return Address::raw(AF_APPLETALK, std::vector<std::uint8_t>(26, 0));
  return Address::inet("127.0.0.1", 9);
}

// The case groups, by the file that writes them.
void fd_and_address_cases(Ctx& x);  // conform_cases.cc
void route_cases(Ctx& x);
void tcp_cases(Ctx& x);
void stream_rule_cases(Ctx& x);  // conform_cases_rules.cc
void datagram_rule_cases(Ctx& x);
void unix_cases(Ctx& x);

}  // namespace conncheck::conform_internal
