// Model: what every kind of socket shares. The checks of __sys_connect()
// before the family's connect is called; getpeername, send and SO_ERROR as
// most sockets answer them; and the steps of a connect's outcome that every
// family takes alike.
#include <sys/socket.h>

#include <cerrno>

#include "model/model_internal.h"

namespace conncheck {

void Expectation::allow(int err, Tier tier, std::string_view basis) {
  // A known entry scoped to some kernels does not stand in for a later
  // allowance of its errno: scope_to_kernel() may take it out again.
  for (std::uint8_t i = 0; i < count; ++i)
    if (allowed[i].err == err && !(allowed[i].known && !allowed[i].known->kernels.all())) return;
  CONNCHECK_CHECK_LT(count, allowed.size());
  allowed[count++] = {err, tier, basis};
}

void Expectation::allow_known(const KnownOutcome& k) {
  const std::uint8_t before = count;
  allow(k.err, Tier::kKnown, k.reason);
  if (count != before) allowed[count - 1].known = &k;
}

void scope_to_kernel(Expectation& e, std::optional<KernelVersion> kernel) {
  e.kernel = kernel;
  if (!kernel) return;
  std::uint8_t kept = 0;
  for (std::uint8_t i = 0; i < e.count; ++i)
    if (!e.allowed[i].known || applies(*e.allowed[i].known, kernel))
      e.allowed[kept++] = e.allowed[i];
  e.count = kept;
}

void Expectation::allow_documented(int err) {
  const DocumentedError* d = find_linux_documented(err);
  CONNCHECK_CHECK_MSG(d, "allow_documented needs a Linux-documented errno, got {}", err);
  allow(err, Tier::kDocumented, d ? d->cites[0].quote : "");
}

const Allowance* Expectation::find(int err) const {
  for (std::uint8_t i = 0; i < count; ++i)
    if (allowed[i].err == err) return &allowed[i];
  return nullptr;
}

namespace model_internal {
namespace {

bool faults(const Address& a) {
  if (a.addrlen == 0) return false;  // nothing is copied
  if (a.placement == Placement::kNull || a.placement == Placement::kUnmapped) return true;
  return a.placement == Placement::kGuardEnd && a.addrlen > a.bytes.size();
}

Expectation with(std::string_view situation, int err) {
  Expectation e;
  e.situation = situation;
  e.allow_documented(err);
  return e;
}

}  // namespace

Expectation expect_connect(const SocketModel& m, const op::Connect& c) {
  const SlotModel& s = m.slots[c.slot];
  // __sys_connect(): the fd is looked up (EBADF), then the address copied in
  // (move_addr_to_kernel: EINVAL, EFAULT), and only then is the file asked
  // whether it is a socket (ENOTSOCK). io_uring copies the address when it
  // prepares the request (io_connect_prep) and looks the fd up only when it
  // issues it, so there the address errors come first (docs/FINDINGS.md 8).
  const bool no_fd = s.state == SockState::kEmpty || s.state == SockState::kClosed;
  const bool address_first = m.world.backend == Backend::kIoUring;
  if (no_fd && !address_first) return with("no descriptor in the slot", EBADF);
  const auto col = column_of(s.domain, s.type);
  if (c.addr.addrlen > sizeof(sockaddr_storage)) {
    Expectation e;
    e.situation = no_fd ? "io_uring: addrlen over sizeof(struct sockaddr_storage), no descriptor "
                          "in the slot"
                        : "addrlen over sizeof(struct sockaddr_storage)";
    // Any column's entry: the check precedes the socket (kAllColumns).
    known(e, EINVAL, col.value_or(Column::kInetStream), Situation::kLongAddrlen);
    return e;
  }
  if (faults(c.addr))
    return with(no_fd ? "io_uring: address not readable, no descriptor in the slot"
                      : "address not readable",
                EFAULT);
  if (no_fd) return with("no descriptor in the slot", EBADF);
  if (s.state == SockState::kNotSocket) return with("descriptor of a file", ENOTSOCK);
  if (!col) return expect_unmodelled_connect(Expectation{});
  return family_of(s).expect_connect(m, c, *col, Expectation{});
}

Expectation expect_peer_common(const SocketModel& m, int slot) {
  Expectation e;
  const SlotModel& s = m.slots[slot];
  constexpr std::string_view kNotConn = "getpeername(2): ENOTCONN, the socket is not connected";
  switch (s.state) {
    case SockState::kEmpty:
    case SockState::kClosed: return with("no descriptor", EBADF);
    case SockState::kNotSocket: return with("descriptor of a file", ENOTSOCK);
    case SockState::kConnected:
      e.situation = "connected socket";
      e.allow(0, Tier::kDocumented, "getpeername(2) reports the peer");
      if (s.type == SOCK_DGRAM) e.rule = RuleId::kDatagramReconnect;
      e.check_peer = s.peer.len > 0;
      e.peer = s.peer;
      break;
    case SockState::kConnecting:
      e.situation = "connect pending";
      e.allow(0, Tier::kDocumented, "the pending connect may have completed");
      e.allow(ENOTCONN, Tier::kDocumented, kNotConn);
      break;
    case SockState::kDissolved:
      e.situation = "association dissolved by AF_UNSPEC";
      if (s.type == SOCK_DGRAM)
        by_rule(e, ENOTCONN, RuleId::kUnspecDissolves);
      else
        e.allow(ENOTCONN, Tier::kDocumented, kNotConn);
      break;
    default: e.situation = "socket never connected"; e.allow(ENOTCONN, Tier::kDocumented, kNotConn);
  }
  return e;
}

Expectation expect_so_error(const SocketModel& m, int slot) {
  Expectation e;
  if (m.slots[slot].state != SockState::kConnecting) {
    e.judged = false;
    return e;
  }
  e.situation = "SO_ERROR after a pending connect";
  e.rule = RuleId::kNonblockingInProgress;
  e.check_so_error = true;
  e.allow(0, Tier::kDocumented, rule(RuleId::kNonblockingInProgress).cites[0].quote);
  return e;
}

bool send_unjudged(const SlotModel& s, Expectation& e) {
  const bool unjudged = s.state == SockState::kConnecting ||
                        (s.state != SockState::kConnected && s.state != SockState::kDissolved &&
                         s.state != SockState::kUnbound && s.state != SockState::kBound);
  if (unjudged) e.judged = false;
  return unjudged;
}

// Bound to a device by an earlier link-local connect (model_inet.cc):
// the datagram is routed through a device the model does not follow.
void send_device_bound(const SlotModel& s, Column col, Expectation& e) {
  e.situation = "connected datagram socket bound to a device by an earlier link-local connect";
  e.open = true;
  known(e, ENODEV, col, Situation::kDeviceBound);
  if (s.domain == AF_INET6) known(e, ENETUNREACH, col, Situation::kDeviceBound);
}

void send_shut(std::string_view situation, Column col, Expectation& e) {
  e.situation = situation;
  known(e, EPIPE, col, Situation::kSendShutdown);
  // A pending error (an earlier datagram's ICMP) is reported before it.
  e.allow(ECONNREFUSED, Tier::kDocumented, "send(2): an earlier datagram was refused");
}

void send_connected(Expectation& e) {
  e.situation = "connected datagram socket";
  e.allow(0, Tier::kDocumented, "datagrams are sent to the connected peer by default");
  // An earlier datagram's ICMP port-unreachable (UDP) or a closed AF_UNIX
  // peer is reported on the next send; a full peer queue gives EAGAIN.
  e.allow(ECONNREFUSED, Tier::kDocumented, "send(2): an earlier datagram was refused");
  e.allow(EAGAIN, Tier::kDocumented, "send(2): MSG_DONTWAIT and the peer's queue is full");
}

bool holds_socket(const SlotModel& s) {
  return s.state != SockState::kEmpty && s.state != SockState::kNotSocket &&
         s.state != SockState::kClosed;
}

bool pending_error(int err) { return err == EINPROGRESS || err == EALREADY || err == EINTR; }

bool note_connected(SlotModel& s, const op::Connect& c) {
  const bool was_pending = s.state == SockState::kConnecting;
  s.state = SockState::kConnected;
  if (!was_pending) s.peer = peer_key(c.addr, s);
  return was_pending;
}

void note_failed(SlotModel& s, const Outcome& o) {
  // A failed TCP attempt leaves the socket closed and free to try again;
  // an address the call rejected before looking at the socket's state
  // leaves a pending attempt pending.
  const bool rejected_address = o.err == EFAULT || o.err == EINVAL || o.err == EAFNOSUPPORT;
  if (s.state == SockState::kConnecting && o.err != EISCONN && !rejected_address) {
    s.state = s.explicitly_bound ? SockState::kBound : SockState::kUnbound;
    s.peer = {};
    s.tcp.established = false;
  }
  if (o.err == EISCONN && s.state == SockState::kConnecting) s.state = SockState::kConnected;
}

void note_shutdown(SlotModel& s, int how, bool ok, int err) {
  // sk_shutdown: unix_shutdown() always sets it; inet_shutdown() sets it
  // even when it answers ENOTCONN.
  if (!ok && !(err == ENOTCONN && s.domain != AF_UNIX)) return;
  if (how == SHUT_RD || how == SHUT_RDWR) s.shut_rd = true;
  if (how == SHUT_WR || how == SHUT_RDWR) s.shut_wr = true;
}

}  // namespace model_internal
}  // namespace conncheck
