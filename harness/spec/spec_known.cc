// The second tier of the Spec: what Linux really returns that the Linux
// pages do not document (or document with another meaning), each with the
// one-line reason a maintainer needs. Found by running the conformance
// matrix in the sandbox; see also shared/spec/README.md. Addresses, routes
// and AF_UNIX here; socket states (TCP's, UDP's) in spec_known_states.cc.
#include <errno.h>
#include <sys/socket.h>

#include <iterator>
#include <vector>

#include "spec/spec.h"

namespace conncheck {
namespace {

constexpr ColumnMask kInet6Stream = bit(Column::kInet6Stream);
constexpr ColumnMask kInet6Dgram = bit(Column::kInet6Dgram);

constexpr KnownOutcome kKnown[] = {
    {"EINVAL-short-addrlen", EINVAL, kAllColumns, Situation::kShortAddrlen,
     "addrlen shorter than the family's sockaddr (e.g. 8 for AF_INET)",
     "inet, inet6 and unix connect check addr_len before anything else; the pages list no length "
     "error"},
    {"EINVAL-long-addrlen", EINVAL, kAllColumns, Situation::kLongAddrlen,
     "addrlen over sizeof(struct sockaddr_storage), or over sizeof(struct sockaddr_un) for AF_UNIX",
     "move_addr_to_kernel() and unix_validate_addr() reject it before the protocol sees it"},
    {"EINVAL-blackhole", EINVAL, kInetColumns, Situation::kBlackholeRoute,
     "destination covered by a `blackhole` route",
     "the route lookup returns the blackhole route's own error, EINVAL"},
    {"EHOSTUNREACH-route", EHOSTUNREACH, kInetColumns, Situation::kUnreachableRoute,
     "destination covered by an `unreachable` route",
     "the route lookup fails with EHOSTUNREACH; only FreeBSD's page lists it"},
    {"EINVAL-unix-family", EINVAL, kUnixColumns, Situation::kWrongFamilyUnix,
     "AF_UNIX socket, sa_family not AF_UNIX (AF_UNSPEC included on stream/seqpacket)",
     "unix_validate_addr() answers EINVAL, not the documented EAFNOSUPPORT"},
    {"EINVAL-inet6-sockaddr_in", EINVAL, kInet6Stream, Situation::kWrongFamilyInet6,
     "AF_INET6 stream socket given a 16-byte sockaddr_in",
     "tcp_v6_connect checks addr_len < SIN6_LEN_RFC2133 (24) before sa_family"},
    {"success-inet6-dgram-sockaddr_in", 0, kInet6Dgram, Situation::kWrongFamilyInet6,
     "AF_INET6 datagram socket given a sockaddr_in",
     "ip6_datagram_connect accepts AF_INET and connects to the v4-mapped address"},
    {"success-tcp-unspec", 0, kIpStream, Situation::kUnspecTcp,
     "AF_UNSPEC on a TCP socket (connected or not)",
     "tcp_disconnect(): abortive disconnect, after which the socket may connect again; the pages "
     "say stream "
     "sockets connect once, FreeBSD refuses"},
    {"EINVAL-unix-unspec", EINVAL, kUnixConnected, Situation::kUnspecConnectedStream,
     "AF_UNSPEC on an AF_UNIX stream or seqpacket socket",
     "AF_UNIX connection-oriented sockets cannot dissolve; unix_validate_addr() answers EINVAL"},
    {"ENOENT-unix", ENOENT, kUnixColumns, Situation::kUnixPathMissing,
     "AF_UNIX path or abstract name with no socket",
     "path lookup fails (abstract: no such name gives ECONNREFUSED instead); only FreeBSD lists "
     "ENOENT"},
    {"ENOTDIR-unix", ENOTDIR, kUnixColumns, Situation::kUnixPathMissing,
     "AF_UNIX path with a non-directory prefix", "path lookup fails; only FreeBSD lists ENOTDIR"},
    {"ELOOP-unix", ELOOP, kUnixColumns, Situation::kUnixPathMissing,
     "AF_UNIX path through a symlink loop", "path lookup fails; only FreeBSD lists ELOOP"},
    {"EPROTOTYPE-unix", EPROTOTYPE, kUnixColumns, Situation::kUnixWrongType,
     "AF_UNIX path bound by a socket of another type",
     "unix_find_other() finds it, but the type differs"},
    {"ECONNREFUSED-unix-connected", ECONNREFUSED, kUnixConnected, Situation::kUnixConnectedOther,
     "connected AF_UNIX stream socket aimed at a path with no listener",
     "unix_stream_connect resolves the peer before checking its own state, so the path error wins "
     "over "
     "EISCONN; it still never connects twice"},
    {"ENOENT-unix-connected", ENOENT, kUnixConnected, Situation::kUnixConnectedOther,
     "connected AF_UNIX stream socket aimed at a missing path",
     "unix_stream_connect resolves the path before checking its own state"},
    {"EADDRNOTAVAIL-tcp-ports", EADDRNOTAVAIL, kIpStream, Situation::kPortsExhausted,
     "TCP, every local port of ip_local_port_range in use towards that destination",
     "inet_hash_connect() answers EADDRNOTAVAIL; the man page says EAGAIN for 'no more free local "
     "ports'"},
    {"EAGAIN-unix-backlog", EAGAIN, kUnixConnected, Situation::kBacklogFullNonblocking,
     "non-blocking AF_UNIX stream/seqpacket connect to a listener with a full backlog",
     "unix_stream_connect() cannot wait; the page gives EAGAIN only for local ports"},
    {"EINVAL-unix-listening", EINVAL, kUnixConnected, Situation::kAny,
     "connect on a listening AF_UNIX stream/seqpacket socket",
     "unix_stream_connect() accepts only TCP_CLOSE or TCP_ESTABLISHED (EISCONN) states"},
};

}  // namespace

std::span<const KnownOutcome> known_outcomes() {
  // In the order the tables list them (the matrix's rows follow it).
  static const std::vector<KnownOutcome> all = [] {
    std::vector<KnownOutcome> v(std::begin(kKnown), std::end(kKnown));
    const std::span<const KnownOutcome> more = known_socket_states();
    v.insert(v.end(), more.begin(), more.end());
    return v;
  }();
  return all;
}

const KnownOutcome* find_known(int err, Column c, Situation s) {
  for (const std::span<const KnownOutcome> table :
       {std::span<const KnownOutcome>(kKnown), known_socket_states()})
    for (const KnownOutcome& k : table)
      if (k.err == err && (k.columns & bit(c)) && (s == Situation::kAny || k.situation == s))
        return &k;
  return nullptr;
}

}  // namespace conncheck
