// The conformance cases for the documented rules (a stream socket connects
// once, a datagram socket re-connects, AF_UNSPEC dissolves) and AF_UNIX's
// own errnos. See conform_cases.cc for the rest.
#include <netinet/in.h>
#include <sys/socket.h>

#include "conform/conform_case_builder.h"

namespace conncheck::conform_internal {

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

// AF_UNIX: what the path names (missing, not a directory, a loop, no
// permission, another type) ...
void unix_path_cases(Ctx& x, Column c) {
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
    b.setup(Setup::kUnixNoWrite, b.path(0)).socket(0).op(op::Connect{0, b.addr(0)}).target(EACCES);
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
}

// ... and who is there (nobody listening, a stale path, a peer connected
// elsewhere, a full backlog).
void unix_peer_cases(Ctx& x, Column c) {
  const bool dgram = c == Column::kUnixDgram;
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
    return;  // the rest is for connection-oriented sockets
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

void unix_cases(Ctx& x) {
  for (Column c : kUnix) {
    unix_path_cases(x, c);
    unix_peer_cases(x, c);
  }
}

}  // namespace conncheck::conform_internal
