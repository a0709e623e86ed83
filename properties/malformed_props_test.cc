// Malformed addresses: generated families, lengths, bytes and placements on
// every kind of socket, fresh or connected. Whatever connect() makes of
// them, the process survives (a crash ends the run), the call returns
// within its bound where the Model expects no blocking, no descriptor is
// left open, and the Oracle accepts the outcome: documented
// for the situation, or in the Spec's second tier.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "exec/fd_leak.h"
#include "property_support.h"

namespace conncheck::props {
namespace {

constexpr int kClient = 0, kPeer = 1;

RC_GTEST_PROP(MalformedProps, OracleAcceptsEveryMalformedConnect, ()) {
  const SocketKind k = *any_kind();
  const Address bad = *malformed_address();
  // Half the cases first connect the socket to a peer, so the malformed
  // address also meets the connected-socket checks (EISCONN's neighbours).
  const bool connected = *rc::gen::arbitrary<bool>();
  const Address at = loopback(k.domain, *small_port());
  Program p;
  if (connected) p = k.type == SOCK_DGRAM ? bound_socket(kPeer, k, at) : listener(kPeer, k, at, 4);
  add(p, {op::Socket{kClient, k.domain, k.type}});
  if (connected) add(p, {op::Connect{kClient, at}});
  add(p, {op::Connect{kClient, bad}, op::GetPeerName{kClient}});

  FdLeakCheck leaks;
  const Trace t = run(p);
  const std::vector<LeakedFd> leaked = leaks.leaked();
  RC_LOG() << annotated(t);
  if (!leaked.empty()) RC_FAIL("descriptors left open: " + describe(leaked));
  const std::vector<Verdict> v = verdicts(t);
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i].finding()) RC_FAIL("step " + std::to_string(i) + ": " + explain(v[i]));
  const Verdict& verdict = v[v.size() - 2];
  RC_CLASSIFY(verdict.kind == VerdictKind::kKnown, "second tier");
  RC_TAG(verdict.err ? errno_name(verdict.err) : std::string("success"));
}

}  // namespace
}  // namespace conncheck::props
