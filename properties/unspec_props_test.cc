// AF_UNSPEC. linux-man-pages-3.35-connect.2.txt: "Connectionless sockets
// may dissolve the association by connecting to an address with the
// sa_family member of sockaddr set to AF_UNSPEC (supported on Linux since
// kernel 2.2)." Checked for every addrlen variant unspec_address() makes.
#include <netinet/in.h>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "property_support.h"

namespace conncheck::props {
namespace {

constexpr int kClient = 0, kPeer = 1, kOther = 2, kListener = 1;
constexpr std::uint16_t kClientPort = 1000, kOtherPort = 1001;

RC_GTEST_PROP(UnspecProps, UnspecDissolvesDatagramAssociation, ()) {
  const SocketKind k = *datagram_kind();
  const Address peer = loopback(k.domain, *small_port());
  const Address unspec = *unspec_address();
  // The explicit bind: a specific address, or the wildcard (AF_UNIX: a path).
  const bool wildcard = *rc::gen::arbitrary<bool>();
  const Address bind =
      wildcard ? wildcard_or_path(k.domain, kClientPort) : loopback(k.domain, kClientPort);
  const Address reach =
      k.domain == AF_UNIX ? bind : loopback(k.domain, kClientPort);  // where senders aim

  Program p = bound_socket(kClient, k, bind);
  add(p, bound_socket(kPeer, k, peer));
  add(p, bound_socket(kOther, k, loopback(k.domain, kOtherPort)));
  add(p, {op::Connect{kClient, peer}, op::Connect{kClient, unspec}});
  const std::size_t dissolve = p.ops.size() - 1;
  add(p,
      {op::GetPeerName{kClient}, op::Send{kClient}, op::GetSockName{kClient},
       op::SendTo{kOther, reach}, op::Recv{kClient}, op::SendTo{kPeer, reach}, op::Recv{kClient}});
  const Trace t = run(p);
  RC_LOG() << annotated(t);
  const auto at = [&](std::size_t i) -> const Outcome& { return t.steps[i].outcome; };

  RC_ASSERT(at(dissolve - 1).ok());                 // set-up: associated with the peer
  RC_ASSERT(at(dissolve).ok());                     // the dissolve itself succeeds
  RC_ASSERT(err_of(at(dissolve + 1)) == ENOTCONN);  // getpeername: no peer any more
  // send(2) without an address: "EDESTADDRREQ The socket is not
  // connection-mode, and no peer address is set." AF_UNIX datagram says
  // ENOTCONN instead (second tier ENOTCONN-unix-dgram-send:
  // unix_dgram_sendmsg() answers ENOTCONN where UDP answers EDESTADDRREQ).
  RC_ASSERT(err_of(at(dissolve + 2)) == (k.domain == AF_UNIX ? ENOTCONN : EDESTADDRREQ));
  RC_ASSERT(local_of(at(dissolve + 3)) == key_of(bind));  // the explicit bind survives
  RC_ASSERT(at(dissolve + 5).ret > 0);  // a datagram from a third socket arrives again
  RC_ASSERT(at(dissolve + 7).ret > 0);  // and from the old peer
}

// TCP and AF_UNSPEC on Linux (second tier success-tcp-unspec): the pages say
// a stream socket connects once, but Linux's __inet_stream_connect() treats
// AF_UNSPEC as tcp_disconnect(), an abortive disconnect after which the
// socket may connect again. FreeBSD refuses. This property holds Linux to
// that second-tier behaviour for every addrlen variant.
RC_GTEST_PROP(UnspecProps, TcpUnspecDisconnectsAndAllowsNewConnect, ()) {
  const SocketKind k =
      *rc::gen::elementOf(std::vector<SocketKind>{{AF_INET, SOCK_STREAM}, {AF_INET6, SOCK_STREAM}});
  const Address at = loopback(k.domain, *small_port());
  const Address unspec = *unspec_address();
  Program p = listener(kListener, k, at, 4);
  add(p, {op::Socket{kClient, k.domain, k.type}, op::Connect{kClient, at},
          op::Connect{kClient, unspec}, op::GetPeerName{kClient}, op::Connect{kClient, at},
          op::GetPeerName{kClient}});
  const Trace t = run(p);
  RC_LOG() << annotated(t);
  const std::size_t n = t.steps.size();
  RC_ASSERT(t.steps[n - 5].outcome.ok());  // connected
  RC_ASSERT(t.steps[n - 4].outcome.ok());  // AF_UNSPEC: disconnected
  RC_ASSERT(err_of(t.steps[n - 3].outcome) == ENOTCONN);
  RC_ASSERT(t.steps[n - 2].outcome.ok());  // a new connect is allowed
  RC_ASSERT(peer_of(t.steps[n - 1].outcome) == key_of(at));
  const Expectation e = expectation_at(t, n - 4);
  const Allowance* a = e.find(0);
  RC_ASSERT(a != nullptr);
  RC_ASSERT(a->tier == Tier::kKnown);  // the Spec records it as second tier
}

}  // namespace
}  // namespace conncheck::props
