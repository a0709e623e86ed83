// The Oracle tests' vocabulary: outcomes made by hand, and a judge brought
// to a model state by right outcomes before a wrong one is fed.
#pragma once

#include <errno.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "oracle/oracle.h"

namespace conncheck::oracle_test {

inline Outcome ok() { return Outcome{}; }
inline Outcome fail(int err) {
  Outcome o;
  o.ret = -1;
  o.err = err;
  return o;
}
inline Outcome peer_is(const Address& a) {
  Outcome o;
  o.post = PostState{};
  o.post->peer.addr = a.bytes;
  return o;
}
inline Outcome so_error(int v) {
  Outcome o;
  o.post = PostState{};
  o.post->so_error = v;
  return o;
}

// A judge whose slot 1 is in `state` after the listed (op, outcome) pairs.
struct Scenario {
  TraceJudge j;
  void run(const Op& op, const Outcome& o) {
    const Verdict v = j.step(op, o);
    ASSERT_FALSE(v.finding()) << "setup step judged " << explain(v);
  }
};

inline const Address kL1 = Address::inet("127.0.0.1", 5001);
inline const Address kL2 = Address::inet("127.0.0.1", 5002);

inline Scenario connected_tcp() {
  Scenario s;
  s.run(op::Socket{0, AF_INET, SOCK_STREAM}, ok());
  s.run(op::Bind{0, kL1}, ok());
  s.run(op::Listen{0, 8}, ok());
  s.run(op::Socket{2, AF_INET, SOCK_STREAM}, ok());
  s.run(op::Bind{2, kL2}, ok());
  s.run(op::Listen{2, 8}, ok());
  s.run(op::Socket{1, AF_INET, SOCK_STREAM}, ok());
  s.run(op::Connect{1, kL1}, ok());
  return s;
}

inline Scenario connected_udp() {
  Scenario s;
  s.run(op::Socket{1, AF_INET, SOCK_DGRAM}, ok());
  s.run(op::Connect{1, kL1}, ok());
  return s;
}

inline VerdictKind kind(Scenario s, const Op& op, const Outcome& o) { return s.j.step(op, o).kind; }

}  // namespace conncheck::oracle_test
