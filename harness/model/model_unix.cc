// Model: AF_UNIX, SOCK_STREAM and SOCK_SEQPACKET (unix_stream_connect())
// and SOCK_DGRAM (unix_dgram_connect()). A name is looked up among the
// model's own slots: a path stays behind when its socket closes (stale), an
// abstract name vanishes with it. The datagram peer checks of
// unix_may_send() and unix_dgram_sendmsg() are here too.
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstddef>

#include "model/model_internal.h"

namespace conncheck::model_internal {
namespace {

bool named(const AddrKey& k) {
  const auto u = unix_view(k);
  return u && u->named();
}

// unix_mkname() and the family check, before any name is looked up.
bool address_refuses(const SlotModel& s, const Address& a, Column col, Expectation& e) {
  const bool stream = s.type != SOCK_DGRAM;
  const int fam = a.addrlen >= sizeof(sa_family_t) ? a.family() : -1;
  if (!stream && fam == AF_UNSPEC) {
    e.situation = "AF_UNSPEC on an AF_UNIX datagram socket";
    by_rule(e, 0, RuleId::kUnspecDissolves);
    return true;
  }
  if (a.addrlen <= offsetof(sockaddr_un, sun_path) || a.addrlen > sizeof(sockaddr_un)) {
    e.situation = "addrlen outside (2, sizeof(sockaddr_un)]";
    known(e, EINVAL, col,
          a.addrlen > sizeof(sockaddr_un) ? Situation::kLongAddrlen : Situation::kShortAddrlen);
    return true;
  }
  if (fam != AF_UNIX) {
    e.situation =
        fam == AF_UNSPEC ? "AF_UNSPEC on an AF_UNIX stream socket" : "sa_family is not AF_UNIX";
    known(e, EINVAL, col,
          fam == AF_UNSPEC ? Situation::kUnspecConnectedStream : Situation::kWrongFamilyUnix);
    return true;
  }
  return false;
}

// Where the name leads. False: `e` is complete.
bool by_destination(const SlotModel& s, const DestInfo& d, Column col, Expectation& e) {
  const bool connected = s.type != SOCK_DGRAM && s.state == SockState::kConnected;
  auto refused = [&](std::string_view situation) {
    e.situation = situation;
    if (connected)
      known(e, ECONNREFUSED, col, Situation::kUnixConnectedOther);
    else
      e.allow_documented(ECONNREFUSED);
    return false;
  };
  switch (d.dest) {
    case Dest::kUnixMissing: return refused("AF_UNIX abstract name nobody holds");
    case Dest::kStale: return refused("AF_UNIX path whose socket is closed");
    case Dest::kNoListener: return refused("AF_UNIX path bound but not listening");
    case Dest::kWrongType:
      e.situation = "AF_UNIX path bound by another socket type";
      known(e, EPROTOTYPE, col, Situation::kUnixWrongType);
      return false;
    case Dest::kDatagramPeerTaken:
      e.situation = "AF_UNIX datagram peer connected elsewhere";
      known(e, EPERM, col, Situation::kUnixPeerTaken);
      return false;
    case Dest::kUnknown:
      e.situation = "AF_UNIX path the program did not bind";
      if (!connected) {
        e.open = true;
        return false;
      }
      known(e, ENOENT, col, Situation::kUnixConnectedOther);
      refused(e.situation);
      known(e, ENOTDIR, col, Situation::kUnixPathMissing);
      known(e, ELOOP, col, Situation::kUnixPathMissing);
      known(e, EPROTOTYPE, col, Situation::kUnixWrongType);
      e.allow_documented(EISCONN);
      return false;
    case Dest::kDatagramPeer:
      if (s.state == SockState::kConnected) {
        e.situation = "AF_UNIX datagram re-connect";
        by_rule(e, 0, RuleId::kDatagramReconnect);
      } else {
        e.situation = "AF_UNIX datagram to a bound peer";
        e.allow(0, Tier::kDocumented, kSuccessQuote);
      }
      return false;
    case Dest::kListenerFull:
      e.situation = "AF_UNIX listener with a full backlog";
      if (s.nonblock) {
        known(e, EAGAIN, col, Situation::kBacklogFullNonblocking);
        return false;
      }
      e.may_block = true;
      e.allow_documented(EINTR);
      return true;
    case Dest::kListener: return true;
    default: e.open = true; return false;
  }
}

Expectation expect_unix_connect(const SocketModel& m, const op::Connect& c, Column col,
                                Expectation e) {
  const SlotModel& s = m.slots[c.slot];
  if (address_refuses(s, c.addr, col, e)) return e;
  const bool connected = s.type != SOCK_DGRAM && s.state == SockState::kConnected;
  if (connected) e.rule = RuleId::kStreamConnectsOnce;
  const DestInfo d = classify_destination(m, c.slot, c.addr);
  const auto name = unix_view(key_of(c.addr));
  if (m.world.no_dac_override && name && name->path()) documented_row(e, "EACCES-path");
  if (!by_destination(s, d, col, e)) return e;
  if (e.situation.empty()) e.situation = "AF_UNIX listener";
  if (connected)
    by_rule(e, EISCONN, RuleId::kStreamConnectsOnce);
  else if (s.state == SockState::kListening)
    known(e, EINVAL, col, Situation::kAny);
  else if (d.dest == Dest::kListener)
    e.allow(0, Tier::kDocumented, kSuccessQuote);
  if (c.interrupt_ms > 0) e.allow_documented(EINTR);
  return e;
}

// unix_dgram_sendmsg(): a peer that shut down reading refuses with EPIPE.
bool peer_shut_rd(const SocketModel& m, const SlotModel& s) {
  if (s.peer.len == 0) return false;
  for (const SlotModel& o : m.slots)
    if (o.domain == AF_UNIX && o.type == s.type && o.local == s.peer && o.shut_rd &&
        o.state != SockState::kClosed && o.state != SockState::kEmpty)
      return true;
  return false;
}

// unix_may_send(): the peer accepts datagrams only from its own peer, once it has one.
bool peer_taken(const SocketModel& m, const SlotModel& s) {
  if (!named(s.peer)) return false;
  for (const SlotModel& o : m.slots)
    if (o.domain == AF_UNIX && o.type == s.type && o.local == s.peer &&
        o.state == SockState::kConnected)
      return !(o.peer == s.local && named(s.local));
  return false;
}

Expectation expect_unix_send(const SocketModel& m, int slot, Column col) {
  Expectation e;
  const SlotModel& s = m.slots[slot];
  if (send_unjudged(s, e)) return e;
  if (s.state == SockState::kConnected) {
    if (s.device_maybe_bound)
      send_device_bound(s, col, e);
    else if (s.shut_wr)
      send_shut("connected datagram socket after shutdown(SHUT_WR)", col, e);
    else if (peer_shut_rd(m, s))
      send_shut("connected AF_UNIX datagram socket whose peer did shutdown(SHUT_RD)", col, e);
    else if (peer_taken(m, s)) {
      e.situation = "AF_UNIX datagram socket whose peer has connected to another socket";
      known(e, EPERM, col, Situation::kUnixPeerTaken);
    } else {
      send_connected(e);
    }
    return e;
  }
  // unix_dgram_sendmsg() allocates the skb (EPIPE after SHUT_WR) before it
  // looks for a peer (ENOTCONN).
  if (s.shut_wr) {
    e.situation = "unconnected AF_UNIX datagram socket after shutdown(SHUT_WR)";
    known(e, EPIPE, col, Situation::kSendShutdown);
    return e;
  }
  e.situation = "datagram socket with no association";
  if (s.state == SockState::kDissolved) e.rule = RuleId::kUnspecDissolves;
  known(e, ENOTCONN, col, Situation::kSendUnconnected);
  return e;
}

void unix_connect(SocketModel& m, const op::Connect& c, const Outcome& o) {
  SlotModel& s = m.slots[c.slot];
  if (!holds_socket(s)) return;
  // As on any socket, a scoped link-local address marks a possible device.
  if (binds_device(c.addr)) s.device_maybe_bound = true;
  if (o.ret == 0 && !o.hung) {
    if (c.addr.addrlen >= sizeof(sa_family_t) && c.addr.family() == AF_UNSPEC)
      return dissolve(m, c.slot);
    const DestInfo d = classify_destination(m, c.slot, c.addr);
    const bool was_pending = note_connected(s, c);
    if (s.type != SOCK_DGRAM && !was_pending && d.slot >= 0) ++m.slots[d.slot].queued;
    return;
  }
  // AF_UNIX has no pending state: an interrupted unix_stream_connect() was
  // still waiting for backlog room and changed nothing (a listener
  // connecting to a full listener stays a listener; a connected socket
  // re-connecting stays connected to its first peer).
  if (o.hung || pending_error(o.err)) return;
  note_failed(s, o);
}

// unix_dgram_sendmsg() finding its peer closed disconnects the socket
// (unix_dgram_disconnected) and says ECONNREFUSED.
void unix_dgram_send(SlotModel& s, const Outcome& o) {
  const bool ok = o.ret >= 0 && !o.hung && !o.refused;
  if (s.state != SockState::kConnected || ok || o.err != ECONNREFUSED) return;
  s.state = s.explicitly_bound ? SockState::kBound : SockState::kUnbound;
  s.peer = {};
}

}  // namespace

void unix_bind(SlotModel& s, const op::Bind& x) {
  // unix_bind() with only sun_family is unix_autobind(), which leaves a
  // socket that has a name as it is (and returns 0).
  if (x.addr.addrlen == sizeof(sa_family_t) && named(s.local)) return;
  s.local = key_of(x.addr);
  s.explicitly_bound = true;
  if (s.state == SockState::kUnbound) s.state = SockState::kBound;
}

const Family kUnixStream = {
    .name = "AF_UNIX stream",
    .expect_connect = expect_unix_connect,
    .bind = unix_bind,
    .connect = unix_connect,
    .keeps_name = true,
};

const Family kUnixDgram = {
    .name = "AF_UNIX dgram",
    .expect_connect = expect_unix_connect,
    .expect_send = expect_unix_send,
    .bind = unix_bind,
    .connect = unix_connect,
    .send = unix_dgram_send,
    .keeps_name = true,
};

}  // namespace conncheck::model_internal
