// What every property needs around the harness: run a Program through a
// backend on a clean sandbox, set up listeners and peers, and print a trace
// with the Oracle's verdicts when a property fails.
//
// Example usage:
//   Program p = listener(1, kind, addr, 4);
//   add(p, {op::Socket{0, kind.domain, kind.type}, op::Connect{0, addr}});
//   const Trace t = run(p);                 // libc backend: LD_PRELOAD applies
//   RC_LOG() << annotated(t);               // shown only for a failing case
//   RC_ASSERT(last(t).ok());
#pragma once

#include <chrono>
#include <initializer_list>
#include <string>

#include "exec/executor.h"
#include "generators.h"
#include "oracle/oracle.h"

namespace conncheck::props {

// Every property goes through the libc backend's dynamic `connect` symbol
// (backend.h) unless it compares backends, so LD_PRELOAD=shim.so tests a shim.
inline constexpr Backend kPropertyBackend = Backend::kLibc;

// Removes every file in the sandbox's AF_UNIX directory (paths left by the
// previous case would otherwise be stale sockets), then executes `p` with a
// short watchdog bound: a blocking op the model expects to block costs
// `bound`, not the executor's default two seconds. post_state = false when
// a property reads SO_ERROR itself: the post-state read would consume it.
Trace run(const Program& p, Backend b = kPropertyBackend,
          std::chrono::milliseconds bound = std::chrono::milliseconds(300), bool post_state = true);

// Socket, SO_REUSEADDR (IP: TIME_WAIT sockets of earlier cases must not
// refuse the bind), bind to `addr`, listen(backlog).
Program listener(int slot, const SocketKind& k, const Address& addr, int backlog);
// Socket and bind (a datagram peer, or a client with a known address).
Program bound_socket(int slot, const SocketKind& k, const Address& addr);
void add(Program& p, std::initializer_list<Op> ops);
void add(Program& p, const Program& more);

inline const Outcome& last(const Trace& t) { return t.steps.back().outcome; }
int err_of(const Outcome& o);  // 0 on success

// The Oracle's verdict for every step (fresh model, world facts for `t`).
std::vector<Verdict> verdicts(const Trace& t);
// The trace, one strace-style line per step, each finding followed by the
// Oracle's one-line explanation.
std::string annotated(const Trace& t);
// The model's reading of the sockets just before step `i` (for a property
// that needs the Expectation, e.g. to name a second-tier exception).
Expectation expectation_at(const Trace& t, std::size_t i);

// The peer address a name query or connect outcome reports, as a Model key.
AddrKey peer_of(const Outcome& o);
AddrKey local_of(const Outcome& o);

}  // namespace conncheck::props
