// Datagram sockets re-connect. linux-man-pages-3.35-connect.2.txt:
// "Connectionless protocol sockets may use connect() multiple times to
// change their association" and "If the socket sockfd is of type
// SOCK_DGRAM then addr is the address to which datagrams are sent by
// default, and the only address from which datagrams are received."
// For UDP over IPv4 and IPv6 and AF_UNIX datagram sockets.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "property_support.h"

namespace conncheck::props {
namespace {

constexpr int kClient = 0, kOther = 7;  // peers take slots 1..kMaxPeers
constexpr int kMaxPeers = 4;
constexpr std::uint16_t kClientPort = 1000, kOtherPort = 1001;  // outside small_port()

RC_GTEST_PROP(DatagramProps, LatestConnectWins, ()) {
  const SocketKind k = *datagram_kind();
  const auto ports = *rc::gen::unique<std::vector<std::uint16_t>>(small_port());
  RC_PRE(!ports.empty());
  const int peers = std::min<int>(static_cast<int>(ports.size()), kMaxPeers);
  const auto order =
      *rc::gen::nonEmpty(rc::gen::container<std::vector<int>>(rc::gen::inRange(0, peers)));
  auto peer_addr = [&](int i) { return loopback(k.domain, ports[i]); };
  const Address client = loopback(k.domain, kClientPort);

  Program p = bound_socket(kClient, k, client);
  add(p, bound_socket(kOther, k, loopback(k.domain, kOtherPort)));
  for (int i = 0; i < peers; ++i) add(p, bound_socket(1 + i, k, peer_addr(i)));
  std::vector<std::size_t> connects;
  for (int i : order) {
    add(p, {op::Connect{kClient, peer_addr(i)}, op::GetPeerName{kClient}});
    connects.push_back(p.ops.size() - 2);
  }
  const int latest = order.back();
  // Everyone but the latest peer sends first; nothing may arrive.
  for (int i = 0; i < peers; ++i)
    if (i != latest) add(p, {op::SendTo{1 + i, client}});
  add(p, {op::SendTo{kOther, client}, op::Recv{kClient}});
  const std::size_t recv_others = p.ops.size() - 1;
  add(p, {op::SendTo{1 + latest, client}, op::Recv{kClient}});

  const Trace t = run(p);
  RC_LOG() << annotated(t);
  for (std::size_t n = 0; n < connects.size(); ++n) {
    const std::size_t c = connects[n];
    RC_ASSERT(t.steps[c].outcome.ok());  // every re-connect succeeds
    // getpeername reports the latest association.
    RC_ASSERT(peer_of(t.steps[c + 1].outcome) == key_of(peer_addr(order[n])));
  }
  // "the only address from which datagrams are received"
  RC_ASSERT(err_of(t.steps[recv_others].outcome) == EAGAIN);
  RC_ASSERT(last(t).ret > 0);
}

}  // namespace
}  // namespace conncheck::props
