// The three backends (libc, syscall, io_uring) give the same Outcome for
// every generated case: return value, errno and post-state (getpeername,
// getsockname, SO_ERROR), with kernel-chosen local ports masked
// (Outcome::same_as). Each backend runs the case on fresh sockets.
//
// The known io_uring differences (docs/FINDINGS.md 2 and 3) are stated
// here, each applied only where it holds and tagged when it is:
//  K1 IORING_OP_CONNECT arms a poll and completes when the connection does,
//     even on an O_NONBLOCK socket: it never gives EINPROGRESS or EALREADY.
//     So on a non-blocking TCP socket io_uring is held to what connect(2)
//     does on a blocking one: the same case, run through the syscall backend
//     without O_NONBLOCK.
//  K2 After a refused TCP connect io_uring leaves the source address bound
//     (connect(2) runs tcp_disconnect(), which resets it): getsockname is
//     not compared for an io_uring ECONNREFUSED on TCP.
//  K3 After a failed non-blocking connect io_uring reports 0 for the next
//     connect (FINDINGS.md 1). Not reachable here: the only connect before
//     the one under test is blocking and succeeds on every backend (a case
//     where it does not is rejected), so no failed attempt precedes it.
#include <netinet/in.h>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "property_support.h"

namespace conncheck::props {
namespace {

constexpr int kClient = 0, kPeer = 1;

Program make_case(const SocketKind& k, bool peer, bool connected, bool nonblock, const Address& at,
                  const Address& dest) {
  Program p;
  if (peer) p = k.type == SOCK_DGRAM ? bound_socket(kPeer, k, at) : listener(kPeer, k, at, 4);
  add(p, {op::Socket{kClient, k.domain, k.type}});
  if (connected) add(p, {op::Connect{kClient, at}});
  if (nonblock) add(p, {op::SetNonblock{kClient, true}});
  add(p, {op::Connect{kClient, dest}});
  return p;
}

bool ip_stream(const SocketKind& k) { return k.domain != AF_UNIX && k.type == SOCK_STREAM; }

std::string disagreement(const Trace& got, const Trace& want) {
  return std::string(backend_name(got.backend)) + " disagrees with " +
         std::string(backend_name(want.backend)) + ":\n" + annotated(got) + annotated(want);
}

RC_GTEST_PROP(BackendAgreementProps, ThreeBackendsAgree, ()) {
  const SocketKind k = *any_kind();
  const Address at = loopback(k.domain, *small_port());
  const bool peer = *rc::gen::arbitrary<bool>();
  const bool connected = peer && *rc::gen::arbitrary<bool>();
  const bool nonblock = *rc::gen::arbitrary<bool>();
  const Address dest = *rc::gen::weightedOneOf<Address>({{3, rc::gen::just(at)},
                                                         {4, destination(k.domain)},
                                                         {1, any_family_destination()},
                                                         {1, unspec_address()},
                                                         {2, malformed_address()}});
  const Program p = make_case(k, peer, connected, nonblock, at, dest);
  const std::size_t under_test = p.ops.size() - 1;

  const Trace libc = run(p, Backend::kLibc);
  const Trace sys = run(p, Backend::kSyscall);
  const Trace uring = run(p, Backend::kIoUring);
  RC_LOG() << annotated(libc) << annotated(sys) << annotated(uring);
  if (connected)  // K3's premise: the set-up connect succeeded everywhere
    for (const Trace* t : {&libc, &sys, &uring})
      RC_PRE(t->steps[under_test - 1 - nonblock].outcome.ok());

  // libc's connect is a thin wrapper: it must agree with the raw syscall exactly.
  if (!last(libc).same_as(last(sys))) RC_FAIL(disagreement(libc, sys));

  Trace want = sys;
  if (nonblock && ip_stream(k)) {  // K1
    want = run(make_case(k, peer, connected, false, at, dest), Backend::kSyscall);
    RC_LOG() << "K1 reference (blocking, syscall):\n" << annotated(want);
    RC_TAG("K1: io_uring compared with a blocking connect(2)");
  }
  Outcome got = last(uring);
  const Outcome& ref = last(want);
  if (ip_stream(k) && err_of(got) == ECONNREFUSED && got.post && ref.post) {  // K2
    got.post->local = ref.post->local;
    RC_TAG("K2: local address after ECONNREFUSED not compared");
  }
  if (!got.same_as(ref)) RC_FAIL(disagreement(uring, want));
}

}  // namespace
}  // namespace conncheck::props
