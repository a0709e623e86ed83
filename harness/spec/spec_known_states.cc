// The second tier of the Spec, continued (spec_known.cc): what Linux returns
// in the socket states the pages say little about: a pending or ended TCP
// connection, a former listener, a self-connect, UDP's v4-mapped and port-0
// cases. Most were found by the properties and by fuzzing; each names its
// regression or FINDINGS entry.
#include <errno.h>
#include <sys/socket.h>

#include "spec/spec.h"

namespace conncheck {
namespace {

constexpr ColumnMask kInet6Stream = bit(Column::kInet6Stream);
constexpr ColumnMask kInet6Dgram = bit(Column::kInet6Dgram);

constexpr KnownOutcome kKnown[] = {
    {"success-tcp-pending-complete", 0, kIpStream, Situation::kPendingCompleted,
     "a second connect on a non-blocking TCP socket whose connection has meanwhile completed",
     "__inet_stream_connect() reports the completed handshake as 0; the next connect gives "
     "EISCONN"},
    // Shrunk case (properties/stateful_model_test.cc, libc backend):
    //   socket(AF_INET, SOCK_STREAM, 0) = 3; fcntl(3, F_SETFL, O_NONBLOCK) = 0
    //   connect(3, 127.0.0.1:1) = -1 EINPROGRESS /* SO_ERROR=ECONNREFUSED read by the post-state */
    //   connect(3, 10.254.0.1:1) = -1 ECONNABORTED
    // Also docs/FINDINGS.md 4 (after EHOSTUNREACH from an on-link neighbour).
    {"ECONNABORTED-tcp-failed-pending", ECONNABORTED, kIpStream, Situation::kPendingCompleted,
     "a second connect on a non-blocking TCP socket whose first attempt has meanwhile failed and "
     "whose error was "
     "already read (SO_ERROR)",
     "__inet_stream_connect() finds the attempt closed (TCP_CLOSE) and returns sock_error(), or "
     "ECONNABORTED when "
     "the error is already consumed; neither the Linux nor the FreeBSD page lists ECONNABORTED for "
     "connect"},
    // Shrunk case (properties/malformed_props_test.cc, libc backend):
    //   socket(AF_INET6, SOCK_DGRAM, 0) = 3
    //   connect(3, {sa_family=AF_INET, sa_data=""} /* zeros: 0.0.0.0 port 0 */, 16) = 0
    //   getpeername(3, ...) = -1 ENOTCONN
    {"ENOTCONN-udp-port-zero", ENOTCONN, kIpDgram, Situation::kPeerPortZero,
     "getpeername on a UDP socket whose connect() to port 0 returned 0",
     "ip4/ip6_datagram_connect accept port 0 and mark the socket connected, but "
     "inet_getname()/inet6_getname() "
     "answer ENOTCONN while the peer port is 0; the pages say nothing of port 0"},
    // Shrunk cases (properties/stateful_model_test.cc, issue 14; regressions
    // tcp-former-listener-*.json):
    //   socket(AF_INET, SOCK_STREAM) = 3; SO_REUSEADDR; bind(3, 127.0.0.1:1); listen(3, 8)
    //   shutdown(3, SHUT_RD) = 0; connect(3, 127.0.0.1:1) = -1 EINVAL
    //   socket(AF_INET6, SOCK_STREAM) = 3; SO_REUSEADDR; bind(3, [::1]:1); listen(3, 0)
    //   connect(3, AF_UNSPEC) = 0; connect(3, [::1]:1) = -1 EINVAL
    // Measured on 6.18 (conncheck repro): any destination, blocking or not,
    // with or without SO_REUSEADDR, bound or autobound by listen(); the
    // route's ENETUNREACH and the family's EAFNOSUPPORT come first; listen()
    // works again afterwards (sock->state is SS_UNCONNECTED again).
    {"EINVAL-tcp-former-listener", EINVAL, kIpStream, Situation::kFormerListener,
     "TCP socket that listened and was stopped by shutdown(SHUT_RD or SHUT_RDWR) or "
     "connect(AF_UNSPEC)",
     "inet_shutdown() and __inet_stream_connect(AF_UNSPEC) run tcp_disconnect() on the TCP_LISTEN "
     "socket, "
     "leaving it TCP_CLOSE and SS_UNCONNECTED (not EISCONN any more), yet "
     "tcp_v4_connect()/tcp_v6_connect() "
     "then fail with EINVAL after the route lookup, without sending a SYN (returned at once, also "
     "to a "
     "neighbour that never answers); connect(2) lists EINVAL for none of this"},
    // Shrunk case (properties/stateful_model_test.cc, libc backend):
    //   socket(AF_INET, SOCK_STREAM, 0) = 3; setsockopt(3, SO_REUSEADDR, [1]) = 0
    //   bind(3, 127.0.0.1:1) = 0
    //   connect(3, 127.0.0.1:1) = 0 /* peer=127.0.0.1:1, local=127.0.0.1:1 */
    {"success-tcp-self-connect", 0, kIpStream, Situation::kSelfConnect,
     "TCP socket connecting to its own bound address and port (no listener)",
     "the SYN reaches the socket itself in SYN_SENT: a TCP simultaneous open (RFC 793) connects "
     "the socket to "
     "itself; the pages only speak of connecting to a socket bound to the address"},
    // The Model allowed this since the self-connect entry above, with no
    // entry of its own: the assert that should have said so was compiled
    // out; CONNCHECK_CHECK stopped 10 minutes of connect_program_fuzzer on
    // it (issue 14). Shrunk: bind(3, 127.0.0.1:1), shutdown(3, SHUT_WR) =
    // -1 ENOTCONN, connect(3, 127.0.0.1:1) = -1 ECONNABORTED.
    {"ECONNABORTED-tcp-self-connect-shut-wr", ECONNABORTED, kIpStream, Situation::kSelfConnect,
     "blocking TCP connect to its own bound address from a socket already shut down for writing",
     "the simultaneous open with itself completes, and the FIN that SEND_SHUTDOWN (set by the "
     "earlier "
     "shutdown() although it answered ENOTCONN) makes tcp_rcv_synsent_state_process() send closes "
     "the "
     "connection within the call: __inet_stream_connect() finds TCP_CLOSE and returns "
     "ECONNABORTED"},
    // Shrunk case (properties/stateful_model_test.cc, libc backend):
    //   socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, 0) = 3
    //   connect(3, 127.0.0.1:1) = -1 EINPROGRESS /* refused meanwhile */
    //   shutdown(3, SHUT_RD) = -1 ENOTCONN
    //   connect(3, 127.0.0.1:1) = -1 EINVAL
    {"EINVAL-tcp-shutdown-pending", EINVAL, kIpStream, Situation::kShutdownPending,
     "connect on a TCP socket shut down after its non-blocking connect had failed",
     "inet_shutdown() moves a socket in SS_CONNECTING to SS_DISCONNECTING, and "
     "__inet_stream_connect() answers "
     "EINVAL for that state; the pages list EINVAL for no such case"},
    // Shrunk case (properties/stateful_model_test.cc, libc backend):
    //   listener: socket, bind(::1:1), listen(3, 0)
    //   socket(AF_INET6, SOCK_STREAM|SOCK_NONBLOCK, 0) = 4; connect(4, [::1]:1) = -1 EINPROGRESS
    //   shutdown(3, SHUT_RD) = 0; poll(4, POLLOUT) = 1
    //   getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET]) = 0
    {"ECONNRESET-so_error-listener-gone", ECONNRESET, kIpStream, Situation::kPendingCompleted,
     "SO_ERROR of, or the next connect on, a pending TCP connect whose listener was shut down "
     "(SHUT_RD), "
     "disconnected (AF_UNSPEC) or closed before accepting it",
     "the half-open connection is reset by the listener's tcp_disconnect(); ECONNRESET is not "
     "among the page's "
     "\"usual error codes\" for connect"},
    // Shrunk case (300-seed exploration of properties/stateful_model_test.cc,
    // issue 14; corpus/regressions/tcp-pending-reset-after-fin-epipe.json):
    //   listener 3: bind(127.0.0.1:1), listen, shutdown(SHUT_RD) = 0,
    //               shutdown(SHUT_RDWR) = -1 ENOTCONN, listen(3, 0) = 0
    //   socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, 0) = 4; connect(4, 127.0.0.1:1) = -1 EINPROGRESS
    //   socket(...) in slot 0 closes listener 3 (connection never accepted)
    //   connect(4, ...) = -1 EPIPE      /* ECONNRESET without the SHUT_RDWR */
    {"EPIPE-tcp-pending-reset-after-fin", EPIPE, kIpStream, Situation::kPendingResetAfterFin,
     "the next connect on a pending TCP connect whose listener had SEND_SHUTDOWN in sk_shutdown "
     "(set by "
     "shutdown(SHUT_WR/SHUT_RDWR) even when it answered ENOTCONN) and was then closed or reset",
     "inet_shutdown() sets sk_shutdown before answering ENOTCONN for TCP_CLOSE; listen() keeps it "
     "and the "
     "accepted child inherits it, so the child sends a FIN; the listener's close then resets the "
     "child and "
     "tcp_reset() gives EPIPE for a socket in CLOSE_WAIT; __inet_stream_connect() returns "
     "sock_error(). "
     "connect(2) lists EPIPE for no connect"},
    // Shrunk case (properties/stateful_model_test.cc, libc backend):
    //   socket(AF_INET, SOCK_STREAM, 0) = 3; setsockopt(3, SO_REUSEADDR, [1]) = 0
    //   bind(3, 0.0.0.0:1) = 0; listen(3, 0) = 0
    //   socket(AF_INET, SOCK_STREAM, 0) = 4; connect(4, 127.0.0.1:1) = 0
    //   close(3) = 0                          /* 4's connection was never accepted */
    //   getpeername(4, ...) = -1 ENOTCONN
    // The same follows an orderly close: both ends SHUT_WR, or the accepted end closed.
    {"ENOTCONN-tcp-connection-ended", ENOTCONN, kIpStream, Situation::kConnectionEnded,
     "getpeername on a connected TCP socket whose peer has closed, shut down or reset the "
     "connection (e.g. the "
     "listener closed before accepting it)",
     "the RST (inet_csk_listen_stop(), tcp_disconnect()) or the final FIN moves the socket to "
     "TCP_CLOSE, and "
     "inet_getname() answers ENOTCONN for TCP_CLOSE although connect() still says EISCONN "
     "(SS_CONNECTED)"},
    // Shrunk case (properties/stateful_model_test.cc, libc backend):
    //   socket(AF_INET6, SOCK_STREAM, 0) = 3; setsockopt(3, SO_REUSEADDR, [1]) = 0
    //   bind(3, [::1]:1) = 0
    //   connect(3, [fd00:254::1]:1) /* HANG: no listener, yet no ECONNREFUSED */
    // (a listener on [::]:1 does not help: the SYN never reaches it.)
    {"ETIMEDOUT-tcp6-loopback-source", ETIMEDOUT, kInet6Stream, Situation::kLoopbackSource,
     "blocking TCP connect from a socket bound to ::1 to a non-loopback local address (the veth's "
     "fd00:254::1)",
     "the SYN carries source ::1 on a non-loopback route, and IPv6 drops packets with a loopback "
     "source there "
     "(RFC 4291 2.5.3), so the connect retries until ETIMEDOUT; IPv4 (127.0.0.1 to 10.254.0.1) is "
     "refused at once"},
    // Shrunk case (properties/stateful_model_test.cc, libc backend):
    //   socket(AF_UNIX, SOCK_DGRAM, 0) = 3
    //   shutdown(3, SHUT_RDWR) = 0
    //   send(3, "\0", 1, MSG_DONTWAIT|MSG_NOSIGNAL) = -1 EPIPE   /* not ENOTCONN */
    // UDP, checked by hand: connect(3, [::1]:4) = 0; shutdown(3, SHUT_WR) = 0;
    // send = -1 EPIPE. A shutdown(SHUT_WR) before the connect answers
    // ENOTCONN yet has the same effect.
    {"EPIPE-dgram-shut-wr", EPIPE, kDatagram, Situation::kSendShutdown,
     "send on a connected datagram socket (AF_UNIX: any) after shutdown(SHUT_WR), or (AF_UNIX) to "
     "a peer that did "
     "shutdown(SHUT_RD)",
     "inet_shutdown() and unix_shutdown() set sk_shutdown for any socket state, and "
     "sock_alloc_send_pskb() (and "
     "unix_dgram_sendmsg() for the peer) answer EPIPE; send(2) documents EPIPE only for "
     "connection-oriented sockets"},
    // Shrunk case (properties/stateful_model_test.cc, libc backend):
    //   socket(AF_INET6, SOCK_DGRAM, 0) = 3
    //   connect(3, {sa_family=AF_INET, 127.0.0.1:1}, 16) = 0  /* local=[::ffff:127.0.0.1]:57576 */
    //   connect(3, [::1]:1, 28) = -1 EAFNOSUPPORT
    // (after connect(AF_UNSPEC) the same connect succeeds; a bind to
    // ::ffff:127.0.0.1 gives EAFNOSUPPORT for good.)
    // TCP found by connect_program_fuzzer: bind(3, [::ffff:127.0.0.2]:20000) = 0;
    // connect(3, [::1]:1) = -1 EAFNOSUPPORT.
    {"EAFNOSUPPORT-udp6-mapped-local", EAFNOSUPPORT, kInet6Dgram | kInet6Stream,
     Situation::kMappedLocal,
     "AF_INET6 socket whose local address is v4-mapped (bound so, or for UDP chosen by an earlier "
     "connect to an "
     "IPv4 destination) connecting to a native IPv6 address",
     "ip6_dst_lookup_tail() cannot send IPv6 from an IPv4 source and answers EAFNOSUPPORT although "
     "sa_family is "
     "the socket's own AF_INET6; the page gives EAFNOSUPPORT only for a wrong sa_family"},
    // Found by connect_program_fuzzer:
    //   socket(AF_INET6, SOCK_DGRAM, 0) = 3
    //   bind(3, [::ffff:255.255.255.255]:65535) = 0
    //   connect(3, {AF_INET, 127.0.0.1:20000}) = -1 EINVAL
    {"EINVAL-inet6-mapped-broadcast-source", EINVAL, kInet6Dgram | kInet6Stream,
     Situation::kBadSource,
     "AF_INET6 socket bound to a v4-mapped broadcast or multicast address connecting to an IPv4 "
     "destination",
     "inet6_bind() keeps the v4-mapped broadcast as the source (inet_bind() would leave it to the "
     "route), and the "
     "IPv4 route lookup refuses a broadcast or multicast source with EINVAL"},
    // Found by connect_program_fuzzer: connect(3, [fe80::1%1212696576]) = -1
    // ENETUNREACH binds the socket to that ifindex; the next connect to
    // 127.0.0.1 gives ENODEV.
    {"ENODEV-bound-to-missing-device", ENODEV, kInetColumns, Situation::kDeviceBound,
     "IP socket bound to an interface index that does not exist, through sin6_scope_id of an "
     "earlier link-local "
     "connect (sk_bound_dev_if is set before the route lookup and kept when it fails)",
     "the route lookup for the missing output device answers ENODEV; no page lists it for connect"},
    // Found by connect_program_fuzzer: after connect([ff02::1%3503345872])
    // = -1 ENETUNREACH on a UDP6 socket connected to [::1]:20000, send() on
    // it gives ENETUNREACH (another made-up ifindex gave ENODEV).
    {"ENETUNREACH-send-bound-to-missing-device", ENETUNREACH, kInet6Dgram, Situation::kDeviceBound,
     "send() on a connected UDP6 socket that an earlier link-local connect bound to an interface "
     "index that does "
     "not exist",
     "the route to the connected peer is looked up through the bound device; send(2) lists neither "
     "ENETUNREACH "
     "nor ENODEV"},
    {"EPERM-unix-dgram-peer", EPERM, bit(Column::kUnixDgram), Situation::kUnixPeerTaken,
     "AF_UNIX datagram connect or send to a socket that is connected to another socket (itself "
     "included)",
     "unix_may_send() refuses: the target only receives from its own peer; no firewall is "
     "involved"},
    {"ENOTCONN-unix-dgram-send", ENOTCONN, bit(Column::kUnixDgram), Situation::kSendUnconnected,
     "send() without an address on an unconnected or dissolved AF_UNIX datagram socket",
     "unix_dgram_sendmsg() answers ENOTCONN where UDP answers EDESTADDRREQ"},
    {"EADDRNOTAVAIL-tcp-4tuple", EADDRNOTAVAIL, kIpStream, Situation::kTupleTaken,
     "TCP socket bound (SO_REUSEADDR) to a local address and port another socket already uses "
     "towards the same peer",
     "__inet_check_established() answers EADDRNOTAVAIL for a taken 4-tuple; the pages suggest "
     "EADDRINUSE"},
    // Both since 5.5, the first kernel with IORING_OP_CONNECT (io_uring_enter(2):
    // "Available since 5.5"); before it the op does not exist. A lower bound
    // from the op's history, not a measurement: when the completion through
    // a poll began (the 5.7 poll-driven retry?) is not checked here.
    {"success-io_uring-nonblocking", 0, kIpStream, Situation::kUringNonblocking,
     "non-blocking TCP connect issued through io_uring (IORING_OP_CONNECT)",
     "io_uring arms a poll on EINPROGRESS and completes the request with the handshake's result, "
     "never EINPROGRESS",
     since(5, 5)},
    {"ECONNREFUSED-io_uring-nonblocking", ECONNREFUSED, kIpStream, Situation::kUringNonblocking,
     "non-blocking TCP connect through io_uring to a port with no listener",
     "io_uring waits for the handshake and reports its failure directly instead of EINPROGRESS + "
     "SO_ERROR",
     since(5, 5)},
    // Found by connect_sockaddr_fuzzer (corpus/regressions/einval-link-local-no-scope.json):
    //   socket(AF_INET6, SOCK_DGRAM, 0) = 3
    //   connect(3, {AF_INET6, [fe80::1]:20000, sin6_scope_id=0}, 28) = -1 EINVAL   /* not
    //   ENETUNREACH */
    {"EINVAL-inet6-link-local-no-scope", EINVAL, kInet6Stream | kInet6Dgram,
     Situation::kLinkLocalNoScope,
     "AF_INET6 connect to a link-local address (fe80::/10; UDP also ff01::/16, ff02::/16) with "
     "sin6_scope_id 0, "
     "the socket bound to no device",
     "tcp_v6_connect() and __ip6_datagram_connect(): \"Connect to link-local address requires an "
     "interface\"; "
     "the check precedes the route lookup, so there is no ENETUNREACH"},
    // Found by connect_sockaddr_fuzzer (corpus/regressions/einval-loopback-source-broadcast.json):
    //   socket(AF_INET, SOCK_DGRAM, 0) = 3
    //   bind(3, 127.0.0.1:20000) = 0
    //   connect(3, 10.254.0.255:20001) = -1 EINVAL   /* not EACCES (no SO_BROADCAST) */
    {"EINVAL-inet-loopback-source-off-link", EINVAL, kInetColumns,
     Situation::kLoopbackSourceOffLink,
     "IPv4 destination routed out of a non-loopback device (the veth's subnet, its broadcast "
     "included) from a "
     "socket whose source address is in 127/8 (bound so, or for UDP fixed by an earlier connect)",
     "__mkroute_output() treats a loopback source off the loopback device as martian unless "
     "route_localnet is "
     "set (ip(7)), and the route lookup fails with EINVAL before TCP's ENETUNREACH or UDP's EACCES "
     "for broadcast"},
    // Found by connect_sockaddr_fuzzer: a blocking TCP connect to 10.254.0.7
    // (on the veth's subnet, held by nobody) waits for ARP; the harness's
    // bound ends it first, a longer wait ends in EHOSTUNREACH.
    {"EHOSTUNREACH-neighbour", EHOSTUNREACH, kIpStream, Situation::kSilentNeighbour,
     "blocking TCP connect to an on-link address whose neighbour never answers ARP/ND",
     "neighbour resolution fails after its retries and the pending SYN's error is EHOSTUNREACH; "
     "only FreeBSD's "
     "page lists it"},
    // Found by connect_program_fuzzer (corpus/regressions/udp6-mapped-port-zero-send.json):
    //   socket(AF_INET6, SOCK_DGRAM, 0) = 3
    //   connect(3, {AF_INET, 127.0.0.1:0}, 16) = 0
    //   send(3, "\0", 1, MSG_DONTWAIT|MSG_NOSIGNAL) = -1 EINVAL
    {"EINVAL-udp6-mapped-port-zero-send", EINVAL, kInet6Dgram, Situation::kPeerPortZero,
     "send() without an address on an AF_INET6 UDP socket connected to a v4-mapped address with "
     "port 0",
     "udpv6_sendmsg() passes the v4-mapped peer to udp_sendmsg() as an explicit sockaddr_in, which "
     "refuses port 0 "
     "with EINVAL; an AF_INET socket connected to port 0 sends"},
    // Found by connect_program_fuzzer (corpus/regressions/tcp6-native-after-mapped-connect.json):
    //   socket(AF_INET6, SOCK_STREAM, 0) = 3
    //   connect(3, [::ffff:10.254.0.1]:20000) = -1 ECONNREFUSED
    //   connect(3, [::1]:20000) /* HANG, no listener: ECONNREFUSED was due at once */
    // The same after a successful mapped connect and AF_UNSPEC, towards a
    // listener on [::]. A kernel bug candidate: docs/FINDINGS.md 9.
    {"ETIMEDOUT-tcp6-after-mapped-connect", ETIMEDOUT, kInet6Stream, Situation::kMappedOpsKept,
     "AF_INET6 TCP socket that once sent a SYN to a v4-mapped address (then refused, or connected "
     "and dissolved "
     "by AF_UNSPEC) connecting to a native IPv6 address",
     "tcp_v6_connect() switches icsk_af_ops to ipv6_mapped for the v4-mapped connect and restores "
     "it only when "
     "tcp_v4_connect() fails at once; the native SYN then leaves through the IPv4 ops, the answer "
     "never finds the "
     "socket, and the connect waits until ETIMEDOUT (kernel bug candidate, docs/FINDINGS.md 9)"},
};

}  // namespace

std::span<const KnownOutcome> known_socket_states() { return kKnown; }

}  // namespace conncheck
