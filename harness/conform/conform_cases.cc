// The curated Programs of the conformance matrix: one (or two) per errno
// meaning and rule, per column where it can apply. Each comment says how
// the condition is provoked in the sandbox world (sandbox.h).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include "conform/conform.h"

namespace conncheck {
namespace {

struct Ctx {
  const SandboxWorld& w;
  int backend;
  std::vector<ConformCase>* out;
  int next_port = 0;
};

bool is_unix(Column c) { return c >= Column::kUnixStream; }
int domain_of(Column c) {
  if (is_unix(c)) return AF_UNIX;
  return (c == Column::kInetStream || c == Column::kInetDgram) ? AF_INET : AF_INET6;
}
int type_of(Column c) {
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

constexpr Column kIp[] = {Column::kInetStream, Column::kInetDgram, Column::kInet6Stream,
                          Column::kInet6Dgram};
constexpr Column kIpStreamCols[] = {Column::kInetStream, Column::kInet6Stream};
constexpr Column kIpDgramCols[] = {Column::kInetDgram, Column::kInet6Dgram};
constexpr Column kUnix[] = {Column::kUnixStream, Column::kUnixDgram, Column::kUnixSeqpacket};
constexpr Column kUnixConn[] = {Column::kUnixStream, Column::kUnixSeqpacket};

Address other_family(Column c) {
  // sa_family = AF_APPLETALK, long enough for any family's length check.
  if (!is_unix(c)) return Address::raw(AF_APPLETALK, std::vector<std::uint8_t>(26, 0));
  return Address::inet("127.0.0.1", 9);
}

void fd_and_address_cases(Ctx& x) {
  for (Column c : kColumns) {
    {
      CaseBuilder b(x, "EBADF", c, "closed-descriptor");
      b.socket(0).op(op::Close{0}).op(op::Connect{0, b.addr(0)}).target(EBADF);
    }
    {
      CaseBuilder b(x, "ENOTSOCK", c, "dev-null");
      b.op(op::NotSocket{0}).op(op::Connect{0, b.addr(0)}).target(ENOTSOCK);
    }
    {
      CaseBuilder b(x, "EFAULT", c, "unmapped-address");
      b.socket(0).op(op::Connect{0, b.addr(0).at(Placement::kUnmapped)}).target(EFAULT);
    }
    {
      CaseBuilder b(x, "EAFNOSUPPORT", c, "foreign-family");
      b.socket(0).op(op::Connect{0, other_family(c)}).target(EAFNOSUPPORT);
    }
    {
      CaseBuilder b(x, "EINVAL-short-addrlen", c, "short-addrlen");
      const socklen_t len = is_unix(c) ? 2 : domain_of(c) == AF_INET ? 8 : 20;
      b.socket(0).op(op::Connect{0, b.addr(0).with_addrlen(len)}).target(EINVAL);
    }
  }
}

void route_cases(Ctx& x) {
  for (Column c : kIp) {
    const bool v4 = domain_of(c) == AF_INET;
    auto ip = [&](const char* a4, const char* a6) {
      return v4 ? Address::inet(a4, 9) : Address::inet6(a6, 9);
    };
    {
      CaseBuilder b(x, "ENETUNREACH", c, "no-route");
      b.socket(0).op(op::Connect{0, ip(world::kNoRoute4, world::kNoRoute6)}).target(ENETUNREACH);
    }
    {
      CaseBuilder b(x, "EHOSTUNREACH", c, "unreachable-route");
      b.socket(0)
          .op(op::Connect{0, ip(world::kUnreachable4, world::kUnreachable6)})
          .target(EHOSTUNREACH);
    }
    {
      CaseBuilder b(x, "EINVAL-blackhole", c, "blackhole-route");
      b.socket(0).op(op::Connect{0, ip(world::kBlackhole4, world::kBlackhole6)}).target(EINVAL);
    }
    // "... or the connection request failed because of a local firewall
    // rule": a `prohibit` route is the policy rejection the world offers.
    {
      CaseBuilder b(x, "EACCES-broadcast", c, "prohibit-route");
      b.socket(0).op(op::Connect{0, ip(world::kProhibit4, world::kProhibit6)}).target(EACCES);
    }
    {
      CaseBuilder b(x, "EPERM", c, "cgroup-bpf-connect-hook");
      b.setup(Setup::kBpfDenyConnect).socket(0).op(op::Connect{0, b.addr(0)}).target(EPERM);
    }
  }
  {
    CaseBuilder b(x, "EACCES-broadcast", Column::kInetDgram, "broadcast-without-SO_BROADCAST");
    b.socket(0).op(op::Connect{0, Address::inet(world::kBroadcast4, 9)}).target(EACCES);
  }
  {
    CaseBuilder b(x, "success-inet6-dgram-sockaddr_in", Column::kInet6Dgram, "sockaddr_in");
    b.socket(0).op(op::Connect{0, Address::inet("127.0.0.1", 9)}).target(0);
  }
  {
    CaseBuilder b(x, "EINVAL-inet6-sockaddr_in", Column::kInet6Stream, "sockaddr_in");
    b.socket(0).op(op::Connect{0, Address::inet("127.0.0.1", 9)}).target(EINVAL);
  }
}

void tcp_cases(Ctx& x) {
  for (Column c : kIpStreamCols) {
    {
      CaseBuilder b(x, "ECONNREFUSED", c, "no-listener");
      b.socket(0).op(op::Connect{0, b.addr(0)}).target(ECONNREFUSED);
    }
    {
      CaseBuilder b(x, "EINPROGRESS", c, "nonblocking");
      b.listener(0, 0).socket(1, SOCK_NONBLOCK).op(op::Connect{1, b.addr(0)}).target(EINPROGRESS);
    }
    {
      CaseBuilder b(x, "rule: non-blocking EINPROGRESS then SO_ERROR", c, "refused-port");
      b.socket(0, SOCK_NONBLOCK)
          .op(op::Connect{0, b.addr(0)})
          .op(op::PollOut{0, 1000})
          .op(op::GetSoError{0})
          .target(0)
          .so_error(ECONNREFUSED);
    }
    {
      CaseBuilder b(x, "rule: non-blocking EINPROGRESS then SO_ERROR", c, "listener");
      b.listener(0, 0)
          .socket(1, SOCK_NONBLOCK)
          .op(op::Connect{1, b.addr(0)})
          .op(op::PollOut{1, 1000})
          .op(op::GetSoError{1})
          .target(0)
          .so_error(0);
    }
    for (const char* row : {"EALREADY", "rule: EALREADY while pending"}) {
      CaseBuilder b(x, row, c, "full-backlog-nonblocking");
      b.full_listener()
          .socket(2, SOCK_NONBLOCK)
          .op(op::Connect{2, b.addr(0)})
          .op(op::Connect{2, b.addr(0)})
          .target(EALREADY);
    }
    {
      CaseBuilder b(x, "EINTR", c, "full-backlog-SIGUSR1-100ms");
      b.full_listener().socket(2).op(op::Connect{2, b.addr(0), 100}).target(EINTR);
    }
    {
      CaseBuilder b(x, "ETIMEDOUT", c, "full-backlog-TCP_SYNCNT-1");
      b.full_listener()
          .socket(2)
          .op(op::SetSockOpt{2, IPPROTO_TCP, TCP_SYNCNT, 1})
          .op(op::Connect{2, b.addr(0)})
          .target(ETIMEDOUT)
          .slow(std::chrono::milliseconds(10000));
    }
    // Two sockets bound (SO_REUSEADDR) to one local address and port cannot
    // both connect to the same peer: the 4-tuple is in use.
    // Linux answers EADDRNOTAVAIL here (second tier); the cell shows it.
    {
      CaseBuilder b(x, "EADDRINUSE", c, "same-4-tuple");
      b.listener(0, 0);
      for (int s : {1, 2})
        b.socket(s).op(op::SetSockOpt{s, SOL_SOCKET, SO_REUSEADDR, 1}).op(op::Bind{s, b.addr(1)});
      b.op(op::Connect{1, b.addr(0)}).op(op::Connect{2, b.addr(0)}).target(EADDRINUSE);
    }
    for (const char* row : {"EADDRNOTAVAIL", "EAGAIN"}) {
      CaseBuilder b(x, row, c, "one-local-port");
      b.setup(Setup::kOnePort)
          .listener(0, 0)
          .socket(1)
          .op(op::Connect{1, b.addr(0)})
          .socket(2)
          .op(op::Connect{2, b.addr(0)})
          .target(std::string_view(row) == "EAGAIN" ? EAGAIN : EADDRNOTAVAIL);
    }
    {
      CaseBuilder b(x, "success-tcp-unspec", c, "disconnect-then-reconnect");
      b.listener(0, 0)
          .socket(1)
          .op(op::Connect{1, b.addr(0)})
          .op(op::Connect{1, Address::unspec()})
          .op(op::Connect{1, b.addr(0)})
          .target(0);
    }
  }
  for (Column c : kIpDgramCols) {
    CaseBuilder b(x, "EAGAIN", c, "one-local-port");
    // The only local port is taken by slot 0, so slot 1's autobind fails.
    const std::uint16_t port = 61000;
    b.setup(Setup::kOnePort)
        .socket(0)
        .op(op::Bind{0, domain_of(c) == AF_INET ? Address::inet("127.0.0.1", port)
                                                : Address::inet6("::1", port)})
        .socket(1)
        .op(op::Connect{1, b.addr(0)})
        .target(EAGAIN);
  }
}

void stream_rule_cases(Ctx& x) {
  std::vector<Column> cols(std::begin(kIpStreamCols), std::end(kIpStreamCols));
  cols.insert(cols.end(), std::begin(kUnixConn), std::end(kUnixConn));
  for (Column c : cols) {
    {
      CaseBuilder b(x, "EISCONN", c, "connect-twice");
      b.listener(0, 0)
          .socket(1)
          .op(op::Connect{1, b.addr(0)})
          .op(op::Connect{1, b.addr(0)})
          .target(EISCONN);
    }
    {
      CaseBuilder b(x, "rule: stream connects once", c, "second-listener");
      b.listener(0, 0)
          .listener(2, 1)
          .socket(1)
          .op(op::Connect{1, b.addr(0)})
          .op(op::Connect{1, b.addr(1)})
          .target(EISCONN);
    }
  }
}

void datagram_rule_cases(Ctx& x) {
  for (Column c : {Column::kInetDgram, Column::kInet6Dgram, Column::kUnixDgram}) {
    {
      CaseBuilder b(x, "rule: datagram re-connect changes peer", c, "two-peers");
      b.listener(0, 0)
          .listener(1, 1)
          .socket(2)
          .op(op::Connect{2, b.addr(0)})
          .op(op::Connect{2, b.addr(1)})
          .op(op::GetPeerName{2})
          .target(0);
    }
    {
      CaseBuilder b(x, "rule: AF_UNSPEC dissolves datagram association", c, "unspec");
      b.listener(0, 0)
          .socket(2)
          .op(op::Connect{2, b.addr(0)})
          .op(op::Connect{2, Address::unspec()})
          .op(op::GetPeerName{2})
          .target(ENOTCONN)
          .op(op::Send{2});  // send is judged by the oracle too
    }
  }
}

void unix_cases(Ctx& x) {
  for (Column c : kUnix) {
    const bool dgram = c == Column::kUnixDgram;
    {
      CaseBuilder b(x, "ENOENT", c, "missing-path");
      b.socket(0).op(op::Connect{0, b.addr(0)}).target(ENOENT);
    }
    {
      CaseBuilder b(x, "ENOTDIR", c, "file-in-prefix");
      b.socket(0).op(op::Connect{0, Address::unix_path("/dev/null/sock")}).target(ENOTDIR);
    }
    {
      CaseBuilder b(x, "ELOOP", c, "symlink-loop");
      b.setup(Setup::kSymlinkLoop, b.path(0)).socket(0).op(op::Connect{0, b.addr(0)}).target(ELOOP);
    }
    {
      CaseBuilder b(x, "EACCES-path", c, "socket-not-writable");
      b.setup(Setup::kUnixNoWrite, b.path(0))
          .socket(0)
          .op(op::Connect{0, b.addr(0)})
          .target(EACCES);
    }
    {
      CaseBuilder b(x, "EACCES-path", c, "directory-not-searchable");
      b.setup(Setup::kUnixNoSearch, b.path(0) + "/sock")
          .socket(0)
          .op(op::Connect{0, Address::unix_path(b.path(0) + "/sock")})
          .target(EACCES);
    }
    {
      CaseBuilder b(x, "EPROTOTYPE-unix", c, "other-type-at-path");
      // Bound is enough: the lookup finds the socket, then its type differs.
      b.op(op::Socket{0, AF_UNIX, dgram ? SOCK_STREAM : SOCK_DGRAM}).op(op::Bind{0, b.addr(0)});
      b.socket(1).op(op::Connect{1, b.addr(0)}).target(EPROTOTYPE);
    }
    if (dgram) {
      {
        CaseBuilder b(x, "ECONNREFUSED", c, "stale-path");
        b.listener(0, 0)
            .op(op::Close{0})
            .socket(1)
            .op(op::Connect{1, b.addr(0)})
            .target(ECONNREFUSED);
      }
      {
        CaseBuilder b(x, "EPERM-unix-dgram-peer", c, "peer-connected-elsewhere");
        // Slot 1 is connected to slot 2, so it refuses datagrams from slot 3.
        b.listener(1, 1)
            .listener(2, 2)
            .op(op::Connect{1, b.addr(2)})
            .socket(3)
            .op(op::Connect{3, b.addr(1)})
            .target(EPERM);
      }
      continue;
    }
    {
      CaseBuilder b(x, "ECONNREFUSED", c, "bound-not-listening");
      b.socket(0)
          .op(op::Bind{0, b.addr(0)})
          .socket(1)
          .op(op::Connect{1, b.addr(0)})
          .target(ECONNREFUSED);
    }
    {
      CaseBuilder b(x, "EINPROGRESS", c, "nonblocking");
      b.listener(0, 0).socket(1, SOCK_NONBLOCK).op(op::Connect{1, b.addr(0)}).target(EINPROGRESS);
    }
    for (const char* row : {"EALREADY", "EAGAIN"}) {
      CaseBuilder b(x, row, c, "full-backlog-nonblocking");
      b.full_listener()
          .socket(2, SOCK_NONBLOCK)
          .op(op::Connect{2, b.addr(0)})
          .op(op::Connect{2, b.addr(0)})
          .target(std::string_view(row) == "EAGAIN" ? EAGAIN : EALREADY);
    }
    {
      CaseBuilder b(x, "EINTR", c, "full-backlog-SIGUSR1-100ms");
      b.full_listener().socket(2).op(op::Connect{2, b.addr(0), 100}).target(EINTR);
    }
    {
      CaseBuilder b(x, "EINVAL-unix-unspec", c, "connected-then-unspec");
      b.listener(0, 0)
          .socket(1)
          .op(op::Connect{1, b.addr(0)})
          .op(op::Connect{1, Address::unspec()})
          .target(EINVAL);
    }
  }
}

}  // namespace

std::vector<ConformCase> conform_cases(const SandboxWorld& w, int backend_index) {
  std::vector<ConformCase> out;
  Ctx x{w, backend_index, &out};
  fd_and_address_cases(x);
  route_cases(x);
  tcp_cases(x);
  stream_rule_cases(x);
  datagram_rule_cases(x);
  unix_cases(x);
  return out;
}

}  // namespace conncheck
