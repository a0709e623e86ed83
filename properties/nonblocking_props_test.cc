// Non-blocking connect. linux-man-pages-3.35-connect.2.txt, EINPROGRESS:
// "The socket is nonblocking and the connection cannot be completed
// immediately. It is possible to select(2) or poll(2) for completion by
// selecting the socket for writing. After select(2) indicates writability,
// use getsockopt(2) to read the SO_ERROR option at level SOL_SOCKET to
// determine whether connect() completed successfully (SO_ERROR is zero) or
// unsuccessfully (SO_ERROR is one of the usual error codes listed here)";
// EALREADY: "The socket is nonblocking and a previous connection attempt
// has not yet been completed." TCP over IPv4 and IPv6.
#include <netinet/in.h>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "property_support.h"
#include "sandbox/sandbox.h"

namespace conncheck::props {
namespace {

constexpr int kClient = 0, kListener = 1;

SocketKind tcp_kind() {
  return *rc::gen::elementOf(
      std::vector<SocketKind>{{AF_INET, SOCK_STREAM}, {AF_INET6, SOCK_STREAM}});
}

// A local destination on `port`: loopback, the veth end we own, or the
// wildcard (which Linux routes to loopback). Listeners bind the wildcard.
Address local_destination(int domain, std::uint16_t port) {
  const bool v6 = domain == AF_INET6;
  const auto ip =
      *rc::gen::elementOf(v6 ? std::vector<std::string>{"::1", world::kVethAddr6, "::"}
                             : std::vector<std::string>{"127.0.0.1", world::kVethAddr4, "0.0.0.0"});
  return v6 ? Address::inet6(ip, port) : Address::inet(ip, port);
}

RC_GTEST_PROP(NonblockingProps, InProgressThenWritableThenSoError, ()) {
  const SocketKind k = tcp_kind();
  const std::uint16_t port = *small_port();
  const bool listening = *rc::gen::arbitrary<bool>();
  const Address to = local_destination(k.domain, port);
  Program p;
  if (listening) p = listener(kListener, k, wildcard_or_path(k.domain, port), 4);
  add(p, {op::Socket{kClient, k.domain, k.type | SOCK_NONBLOCK}, op::Connect{kClient, to},
          op::PollOut{kClient, 2000}, op::GetSoError{kClient}});
  // No post-state after connect: its SO_ERROR read would take the result
  // this property wants to read after poll (outcome.h, PostState).
  const Trace t = run(p, kPropertyBackend, std::chrono::milliseconds(2500), /*post_state=*/false);
  RC_LOG() << annotated(t);
  const std::size_t n = t.steps.size();
  RC_ASSERT(err_of(t.steps[n - 3].outcome) == EINPROGRESS);
  RC_ASSERT(t.steps[n - 2].outcome.ret == 1);  // writable within the poll
  RC_ASSERT(last(t).ok());
  const int so_error = last(t).post->so_error;
  RC_ASSERT(so_error == 0 || so_error == ECONNREFUSED);
  RC_ASSERT(so_error == (listening ? 0 : ECONNREFUSED));  // and the right one of the two
}

// A connect is pending while the kernel waits for an answer. The
// destination is an unused address on the veth's own subnet (10.254.0.3,
// fd00:254::3): the SYN waits for ARP / neighbour discovery that nobody
// answers, so the socket stays in SYN_SENT for about three seconds (the
// neighbour probes), long enough to ask again.
//
// Not a full accept queue: filling one with a blocking connect is racy. The
// filler's connect() returns once it has sent its ACK, but the listener
// moves the connection to its accept queue only when it processes that
// ACK, in softirq, possibly after the next SYN arrives; that SYN is then
// answered and the second connect gives EISCONN, not EALREADY (seen under
// load in ctest).
RC_GTEST_PROP(NonblockingProps, PendingConnectGivesEalready, ()) {
  const SocketKind k = tcp_kind();
  const std::uint16_t port = *small_port();
  const Address to = k.domain == AF_INET6 ? Address::inet6("fd00:254::3", port)
                                          : Address::inet("10.254.0.3", port);
  const int repeats = *rc::gen::inRange(1, 4);
  Program p;
  add(p, {op::Socket{kClient, k.domain, k.type | SOCK_NONBLOCK}, op::Connect{kClient, to}});
  const std::size_t first = p.ops.size() - 1;
  for (int i = 0; i < repeats; ++i) add(p, {op::Connect{kClient, to}});
  const Trace t = run(p);
  RC_LOG() << annotated(t);
  RC_ASSERT(err_of(t.steps[first].outcome) == EINPROGRESS);
  for (int i = 1; i <= repeats; ++i) RC_ASSERT(err_of(t.steps[first + i].outcome) == EALREADY);
}

}  // namespace
}  // namespace conncheck::props
