// The curated Programs of the conformance matrix: one (or two) per errno
// meaning and rule, per column where it can apply. Each comment says how
// the condition is provoked in the sandbox world (sandbox.h).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "conform/conform_case_builder.h"

namespace conncheck {
namespace conform_internal {

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

// TCP: no listener, and a non-blocking connect in progress (EINPROGRESS,
// EALREADY, then SO_ERROR: the non-blocking rule) ...
void tcp_refusal_cases(Ctx& x, Column c) {
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
}

// ... a full backlog (EINTR, ETIMEDOUT), a taken 4-tuple, and AF_UNSPEC's
// disconnect then a new connect.
void tcp_wait_cases(Ctx& x, Column c) {
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

void tcp_cases(Ctx& x) {
  for (Column c : kIpStreamCols) {
    tcp_refusal_cases(x, c);
    tcp_wait_cases(x, c);
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

}  // namespace conform_internal

std::vector<ConformCase> conform_cases(const SandboxWorld& w, int backend_index) {
  using namespace conform_internal;
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
