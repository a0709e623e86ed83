// Model internals: the table of socket families (one row per kind of
// socket, like the kernel's struct proto_ops), the steps the families share,
// and how an allowance is added with its Spec basis. Who defines what:
//
//   model_family.cc       the table; expect() and apply() dispatch through it
//   model_common.cc       checks before any family (descriptor, address copy);
//                         getpeername, send and SO_ERROR as most sockets see them
//   model_view.{h,cc}     typed views of AddrKey and sockaddr bytes
//   model_address.cc      address rules: wildcard, same host, IPv4 source kinds
//   model_classify.cc     where a connect is aimed (classify_destination)
//   model_inet.cc         AF_INET/AF_INET6 checks up to the route, bind
//   model_inet6.cc        the AF_INET6 parts of those (v4-mapped, v6only)
//   model_inet_stream.cc  TCP: connect()'s expectations, the row
//   model_inet_stream_apply.cc  TCP: what the ops leave behind
//   model_inet_dgram.cc   UDP
//   model_unix.cc         AF_UNIX stream, seqpacket, dgram
//   model_unspec.cc       connect(AF_UNSPEC), and sockets outside the matrix
#pragma once

#include <string_view>

#include "base/check.h"
#include "model/model.h"
#include "model/model_view.h"

namespace conncheck::model_internal {

// ---- allowances with their Spec basis

// Allowed as known, with its Spec entry; whether that entry holds for the
// kernel judged is settled last, by expect() (scope_to_kernel).
inline void known(Expectation& e, int err, Column c, Situation s) {
  const KnownOutcome* k = find_known(err, c, s);
  CONNCHECK_CHECK_MSG(k, "every known allowance needs its Spec entry: errno {}", err);
  if (k) e.allow_known(*k);
}

inline void by_rule(Expectation& e, int err, RuleId r) {
  e.rule = r;
  e.allow(err, Tier::kDocumented, rule(r).cites[0].quote);
}

inline void documented_row(Expectation& e, std::string_view id) {
  const DocumentedError* d = find_documented(id);
  CONNCHECK_CHECK_MSG(d, "no documented row {}", id);
  e.allow(d->err, Tier::kDocumented, d->cites[0].quote);
}

inline constexpr std::string_view kSuccessQuote =
    "If the connection or binding succeeds, zero is returned.";

// ---- the family table

// One kind of socket. expect_connect runs after the checks every socket
// shares (model_common.cc); the other entries may be null, meaning nothing
// particular to this kind (see each).
struct Family {
  std::string_view name;
  // connect(): the family's own checks, in the kernel's order.
  Expectation (*expect_connect)(const SocketModel&, const op::Connect&, Column, Expectation);
  // getpeername(); null: expect_peer_common.
  Expectation (*expect_peer)(const SocketModel&, int slot);
  // send() without an address; null: not judged.
  Expectation (*expect_send)(const SocketModel&, int slot, Column);
  // What the ops did. bind: on success only; connect: whatever the outcome.
  void (*bind)(SlotModel&, const op::Bind&);
  void (*connect)(SocketModel&, const op::Connect&, const Outcome&);
  void (*listen)(SlotModel&);                                   // on success, after the common part
  void (*accept)(const SlotModel& listener, SlotModel& child);  // after the common part
  void (*shutdown)(SocketModel&, const op::Shutdown&, const Outcome&);  // null: note_shutdown
  void (*send)(SlotModel&, const Outcome&);
  void (*setsockopt)(SlotModel&, const op::SetSockOpt&, bool ok);  // beyond SOL_SOCKET
  void (*release)(SocketModel&, int slot);  // the socket goes (closed, or its slot reused)
  bool keeps_name = false;  // a closed socket leaves its name behind (AF_UNIX paths)
};

// The rows; model_family.cc puts them in the table by column.
extern const Family kTcp;             // model_inet_stream.cc
extern const Family kUdp;             // model_inet_dgram.cc
extern const Family kUnixStream;      // model_unix.cc: SOCK_STREAM and SOCK_SEQPACKET
extern const Family kUnixDgram;       // model_unix.cc
extern const Family kUnmodelled;      // model_unspec.cc: raw, packet..., and empty slots
extern const Family kUnixUnmodelled;  // model_unspec.cc: AF_UNIX types outside the matrix

const Family& family_of(const SlotModel& s);

// ---- model_common.cc

Expectation expect_connect(const SocketModel& m, const op::Connect& c);
Expectation expect_peer_common(const SocketModel& m, int slot);
Expectation expect_so_error(const SocketModel& m, int slot);
// send() on a datagram socket: the parts UDP and AF_UNIX share.
bool send_unjudged(const SlotModel& s, Expectation& e);  // true: not judged
void send_device_bound(const SlotModel& s, Column col, Expectation& e);
void send_shut(std::string_view situation, Column col, Expectation& e);
void send_connected(Expectation& e);
// The socket is there to be acted on (not empty, closed or a file).
bool holds_socket(const SlotModel& s);
// The call left an attempt going on (or waited, and was interrupted).
bool pending_error(int err);
// A successful connect to `c.addr`: the slot is connected (keeping the peer
// of a pending attempt). Returns whether it was pending.
bool note_connected(SlotModel& s, const op::Connect& c);
// A failed connect: what it leaves of a pending attempt.
void note_failed(SlotModel& s, const Outcome& o);
// What the kernel's shutdown() leaves in sk_shutdown.
void note_shutdown(SlotModel& s, int how, bool ok, int err);

// ---- model_address.cc

// `ip` lies in net/bits (net: "10.254.0.0", "fd00:254::"; of ip's family).
bool in_prefix(const IpView& ip, const char* net, int bits);
// Addresses this namespace owns: a connect there finds a listener or not.
bool is_local(const IpView& ip);
// `dest` names the host `bound` was bound to (the wildcard takes them all).
bool same_host(const IpView& dest, const IpView& bound);

// The IPv4 address a key names: AF_INET, or AF_INET6 v4-mapped (::ffff:a.b.c.d).
std::optional<V4> v4_of(const AddrKey& k);
// What inet_bind()/inet6_bind() make of an IPv4 address bound as the source.
enum class V4Source : std::uint8_t {
  kWildcard,  // 0.0.0.0: the route picks the source
  kUnicast,   // the source, as bound
  kLoopback,  // 127/8: the source, valid only on the loopback device
  // Kept as the bound name, not as the source (inet_saddr = 0, "use
  // device"); inet6_bind() keeps it, and its connects then fail: EINVAL
  // for multicast or 255.255.255.255, ENETUNREACH for a subnet broadcast
  // (the sandbox's 10.254.0.255, or 127.255.255.255), not a local address.
  kMulticast,
  kSubnetBroadcast,
};
V4Source v4_source(const V4& a);
// The bound address is the source (inet_saddr), or the route picks one.
inline bool fixes_source(V4Source k) { return k == V4Source::kUnicast || k == V4Source::kLoopback; }
inline bool leaves_source_to_route(V4Source k) {
  return k == V4Source::kMulticast || k == V4Source::kSubnetBroadcast;
}
// True when a connection aimed at `dest` may have been taken by a socket
// bound to `bound` (same port; same address, or `bound` the wildcard).
bool may_reach(const AddrKey& dest, const AddrKey& bound);
// A TCP socket aimed at its own bound address and port (or bound to the
// wildcard): its SYN finds the socket itself in the established table before
// any listener, a simultaneous open (RFC 793) with itself.
bool self_target(const SlotModel& s, const AddrKey& dest);
// A connect to this address (an IPv6 link-local one with sin6_scope_id)
// binds the socket to that device once it reaches the protocol's checks.
bool binds_device(const Address& a);
// __ipv6_addr_needs_scope_id(): link-local unicast (fe80::/10), and
// multicast of interface-local (ff01::) or link-local (ff02::) scope.
bool needs_scope_id(const V6& a);
// Where a wildcard destination goes, as the kernel resolves it for `s`.
AddrKey resolve_wildcard(const SlotModel& s, AddrKey k);
// The peer as getpeername will report it after a connect to `a`.
AddrKey peer_key(const Address& a, const SlotModel& s);
// An IP key naming a specific address (not 0.0.0.0, not ::; v4-mapped
// ::ffff:0.0.0.0 counts as specific, as inet6_bind() sees it).
bool specific_address(const AddrKey& k);

// ---- model_inet.cc, model_inet6.cc

// An AF_INET/AF_INET6 destination as the checks up to the route found it.
struct InetDest {
  DestInfo d;
  int fam = 0;            // sa_family
  bool v4_on_v6 = false;  // a sockaddr_in on an AF_INET6 socket
  bool mapped = false;    // AF_INET6 ::ffff:a.b.c.d
  bool any = false;       // AF_INET6 ::
  bool routed = false;    // the route lookup found a route (or may have)
};
// The checks of tcp_v4/v6_connect() and ip4/ip6_datagram_connect() up to
// and including the route lookup, shared by TCP and UDP. True: `e` is decided.
bool inet_checks(const SocketModel& m, const op::Connect& c, Column col, Expectation& e,
                 InetDest& out);
// The route's own answer (kNoRoute, kUnreachable, kProhibit, kBlackhole).
void route_error(Dest d, Column col, Expectation& e);
void off_link_from_loopback(Column col, Expectation& e);
// 0 allowed: documented, or known for a sockaddr_in on an AF_INET6 socket.
void allow_success(Column col, bool v4_on_v6, Expectation& e);
void inet_bind(SlotModel& s, const op::Bind& x);

// model_inet6.cc
void inet6_dest(const Address& a, InetDest& out);
bool inet6_family_refuses(const SlotModel& s, const Address& a, Column col, Expectation& e);
bool inet6_v6only_refuses(const SlotModel& s, const InetDest& t, Expectation& e);
bool inet6_bad_source_refuses(const SlotModel& s, const InetDest& t, Column col, Expectation& e);
bool inet6_mapped_local_refuses(const SlotModel& s, const InetDest& t, Column col, Expectation& e);
void inet6_bind(SlotModel& s);
void inet6_setsockopt(SlotModel& s, const op::SetSockOpt& x, bool ok);  // IPV6_V6ONLY
void udp6_choose_local(SlotModel& s);
void tcp6_note_mapped_ops(SlotModel& s, const Address& a, const Outcome& o, bool may_start);
// TCP6 after a v4-mapped connect: a native IPv6 destination may hang.
void tcp6_mapped_ops(const SlotModel& s, const InetDest& t, bool uring_waits, Column col,
                     Expectation& e);

// ---- model_inet_stream_apply.cc (TCP; its expectations: model_inet_stream.cc)

void tcp_connect(SocketModel& m, const op::Connect& c, const Outcome& o);
void tcp_listen(SlotModel& s);
void tcp_accept(const SlotModel& listener, SlotModel& child);
void tcp_shutdown(SocketModel& m, const op::Shutdown& x, const Outcome& o);
void tcp_release(SocketModel& m, int slot);

// ---- model_unix.cc

void unix_bind(SlotModel& s, const op::Bind& x);

// ---- model_unspec.cc

// connect(AF_UNSPEC) succeeded: the association is dissolved.
void dissolve(SocketModel& m, int slot);
Expectation expect_unmodelled_connect(Expectation e);

}  // namespace conncheck::model_internal
