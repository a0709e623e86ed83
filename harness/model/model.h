// Model: the socket-state machine that predicts, op by op, the SET of
// outcomes the Spec allows. A plain struct and free functions, so RapidCheck
// commands can apply() it and a fuzzer can expect()/apply() per op without
// allocating.
//
// Example usage:
//   SocketModel m;                                 // all slots empty
//   for (const Step& s : trace.steps) {
//     Expectation e = expect(m, s.op);             // what may happen
//     bool fine = e.allows(s.outcome.ret < 0 ? s.outcome.err : 0);
//     apply(m, s.op, s.outcome);                   // what did happen
//   }
//
// Inside, one file per kind of socket (model_inet_stream.cc for TCP,
// model_inet_dgram.cc for UDP, model_inet6.cc for what AF_INET6 adds,
// model_unix.cc, model_unspec.cc for AF_UNSPEC and sockets outside the
// matrix), each a row of the family table in model_family.cc; the list of
// files is in model_internal.h. Adding a family: a Column in spec.h, one new
// file that defines its Family, and a row in the table (see
// model_internal.h's struct Family for what a row holds).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "program/backend_kind.h"
#include "program/outcome.h"
#include "program/program.h"
#include "spec/spec.h"

namespace conncheck {

enum class SockState : std::uint8_t {
  kEmpty,      // nothing in the slot: EBADF material
  kNotSocket,  // a file, not a socket
  kUnbound,
  kBound,
  kListening,
  kConnecting,  // EINPROGRESS, or a blocking connect interrupted
  kConnected,
  kDissolved,  // AF_UNSPEC dissolved the association (or TCP disconnected)
  kClosed,
};
std::string_view state_name(SockState s);

// A destination as far as identity goes: family, port and address for IP
// (flowinfo and scope ignored), the path bytes for AF_UNIX. Fixed size.
struct AddrKey {
  std::uint8_t len = 0;  // 0: none
  std::array<std::uint8_t, 110> bytes{};
  bool operator==(const AddrKey&) const = default;
};
AddrKey key_of(const std::uint8_t* sa, std::size_t len);
AddrKey key_of(const Address& a);

// The parts of a slot's state that only some kinds of socket use. The
// slot stays one plain fixed-size struct (the fuzzers copy the whole model
// for every op): a part a family does not use simply stays as it was made.

// AF_INET/AF_INET6: how the local address stands as a route's source.
struct InetSource {
  // AF_INET6 bound to a specific IPv6 address: inet6_bind() then sets
  // sk_ipv6only, so IPv4 destinations are refused as if IPV6_V6ONLY were on.
  bool v6only = false;
  // AF_INET6 datagram: the local address is v4-mapped (bound so, or set by a
  // connect to an IPv4 destination); ip6_datagram_connect() then refuses
  // native IPv6 destinations until AF_UNSPEC resets an unlocked address.
  bool v4mapped_local = false;
  // AF_INET6 datagram: the local address is a native IPv6 one (bound or chosen).
  bool v6_local = false;
  // IPv4 (or v4-mapped) source address fixed (inet_saddr): by bind(), or
  // for UDP by the first connect; loopback_src4: it lies in 127/8, which
  // the route lookup refuses off the loopback device (EINVAL).
  bool src4_fixed = false;
  bool loopback_src4 = false;
  // AF_INET6 bound to a v4-mapped broadcast or multicast address: every IPv4
  // route lookup from it fails, with this errno (EINVAL for 255.255.255.255
  // and multicast, ENETUNREACH for a subnet broadcast, which is not local).
  int bad_src4 = 0;
};

// TCP (AF_INET and AF_INET6 SOCK_STREAM).
struct TcpState {
  bool established = false;  // kConnecting, but the loopback handshake completed within the connect
  // The other end closed, shut down its sending side or dropped the
  // connection from its accept queue, so a FIN or RST may have ended this
  // side too (TCP_CLOSE: getpeername answers ENOTCONN). On a listener: a
  // client of a connection still in its accept queue has gone.
  bool peer_gone = false;
  // Aimed at a listener whose sk_shutdown had SEND_SHUTDOWN (even a
  // shutdown() that answered ENOTCONN sets it), which its children inherit:
  // the accepted end sends a FIN first, so a later RST finds this side in
  // CLOSE_WAIT and tcp_reset() reports EPIPE, not ECONNRESET.
  bool peer_fin_first = false;
  // listen() succeeded on this socket once. Stopped since (shutdown
  // SHUT_RD/SHUT_RDWR or AF_UNSPEC), it listens again, but every connect
  // past the route lookup is EINVAL (spec_known.cc, EINVAL-tcp-former-listener).
  bool listened = false;
  // TCP6: a connect to a v4-mapped destination sent its SYN, which leaves
  // icsk_af_ops on ipv6_mapped for good (docs/FINDINGS.md 9).
  bool mapped_ops = false;
};

// UDP (AF_INET and AF_INET6 SOCK_DGRAM).
struct UdpState {
  bool broadcast = false;  // SO_BROADCAST (setsockopt takes it on any socket; UDP reads it)
};

struct SlotModel {
  // What every socket has.
  SockState state = SockState::kEmpty;
  int domain = 0;
  int type = 0;  // SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET (flags stripped)
  bool nonblock = false;
  bool explicitly_bound = false;
  // shutdown() bits as the kernel keeps them (sk_shutdown): set even when
  // shutdown() answered ENOTCONN on an unconnected IP socket.
  bool shut_rd = false;
  bool shut_wr = false;
  bool accepted = false;  // came from accept(); TCP: `local` is then the listener's address
  // A connect with sin6_scope_id (or SO_BINDTODEVICE, on any socket) may
  // have bound the socket to a device (sk_bound_dev_if): link-local rules
  // are then open.
  bool device_maybe_bound = false;
  int backlog = 0;  // listener: listen()'s backlog, as the kernel caps it
  int queued = 0;   // listener: connections waiting in its accept queue
  AddrKey local;    // the bound address (AF_UNIX: the path; kept after close)
  AddrKey peer;     // the current association (connected, or pending)
  // What only some families use.
  InetSource src;  // AF_INET, AF_INET6
  TcpState tcp;    // TCP
  UdpState udp;    // UDP
};

// Conditions of the run outside any socket, set by whoever sets them up.
struct WorldFacts {
  bool connect_hook_denies = false;  // a cgroup BPF connect hook rejects
  bool ports_scarce = false;         // ip_local_port_range shrunk to a port or two
  bool no_dac_override = false;      // running without CAP_DAC_OVERRIDE
  // io_uring's IORING_OP_CONNECT waits for a non-blocking connect to finish.
  Backend backend = Backend::kLibc;
  // The kernel judged: a known outcome scoped to other kernels
  // (KnownOutcome::kernels) is not allowed. None: every one is (the Oracle
  // fills in the running kernel, oracle.h running_kernel(); the Model makes
  // no syscall to learn it).
  std::optional<KernelVersion> kernel;
};

struct SocketModel {
  std::array<SlotModel, kMaxSlots> slots;
  WorldFacts world;
};

enum class Tier : std::uint8_t { kDocumented, kKnown };

struct Allowance {
  int err = 0;  // 0: success
  Tier tier = Tier::kDocumented;
  std::string_view basis;               // the quote (documented) or the reason (known)
  const KnownOutcome* known = nullptr;  // the Spec entry of a known one
};

// The outcomes allowed for one op in one model state.
struct Expectation {
  std::array<Allowance, 12> allowed{};
  std::uint8_t count = 0;
  std::string_view situation;  // "connected stream socket, any address"
  std::optional<RuleId> rule;  // the documented rule this op is held to
  bool judged = true;          // false: a set-up op the oracle does not rate
  bool open = false;           // the model cannot narrow it: any outcome a Spec tier names
  bool may_block = false;      // a hang is what the kernel does here (full backlog, blocking)
  bool check_peer = false;     // getpeername must report `peer`
  AddrKey peer;
  bool check_so_error = false;  // SO_ERROR must be 0 or a connect error of the Spec
  // The kernel judged (WorldFacts::kernel): which known entries apply,
  // also where the Oracle consults the Spec's tables itself (open, SO_ERROR).
  std::optional<KernelVersion> kernel;

  // Adds err unless it is already allowed (the first basis stays).
  void allow(int err, Tier tier, std::string_view basis);
  void allow_known(const KnownOutcome& k);  // basis: its reason
  void allow_documented(int err);           // basis: the Spec's first Linux quote for err
  const Allowance* find(int err) const;
};

// Whether a known entry holds for `kernel` (none: every entry does).
inline bool applies(const KnownOutcome& k, std::optional<KernelVersion> kernel) {
  return !kernel || k.kernels.contains(*kernel);
}

// What `op` may do to the model's sockets now.
Expectation expect(const SocketModel& m, const Op& op);
// The known allowances of `e` whose Spec entry does not hold for `kernel`
// taken out, and e.kernel set: what expect() does last (exposed for tests).
void scope_to_kernel(Expectation& e, std::optional<KernelVersion> kernel);
// Advances the model by what the op actually did.
void apply(SocketModel& m, const Op& op, const Outcome& o);

// The classification of a connect destination, exposed for tests.
enum class Dest : std::uint8_t {
  kListener,
  kListenerFull,
  kNoListener,
  kDatagramPeer,
  kDatagramPeerTaken,
  kWrongType,
  kStale,
  kNoRoute,
  kUnreachable,
  kProhibit,
  kBlackhole,
  kBroadcast,
  kUnixMissing,
  kUnknown,
  kLoopbackSource,   // TCP from a socket bound to ::1 to another local address: the SYN is dropped
  kSilentNeighbour,  // on the veth's subnet, held by nobody: ARP/ND go unanswered
  kOffLinkFromLoopback,  // IPv4 source in 127/8, destination routed out of the veth
  kLinkLocalNoScope,  // IPv6 link-local (or link/interface-local multicast) without sin6_scope_id
  kMulticast,         // multicast or limited broadcast
};
struct DestInfo {
  Dest dest = Dest::kUnknown;
  int slot = -1;  // the listener / peer slot, when one is known
};
DestInfo classify_destination(const SocketModel& m, int from_slot, const Address& a);
}  // namespace conncheck
