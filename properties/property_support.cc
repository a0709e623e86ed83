#include "property_support.h"

#include <netinet/in.h>

#include <string>

#include "sandbox/sandbox.h"

namespace conncheck::props {

Trace run(const Program& p, Backend b, std::chrono::milliseconds bound, bool post_state) {
  Sandbox::fresh_files();  // each case and backend finds the paths free
  return execute(p, {.backend = b, .bound = bound, .post_state = post_state});
}

Program bound_socket(int slot, const SocketKind& k, const Address& addr) {
  Program p;
  p.ops.push_back(op::Socket{slot, k.domain, k.type});
  if (k.domain != AF_UNIX) p.ops.push_back(op::SetSockOpt{slot, SOL_SOCKET, SO_REUSEADDR, 1});
  p.ops.push_back(op::Bind{slot, addr});
  return p;
}

Program listener(int slot, const SocketKind& k, const Address& addr, int backlog) {
  Program p = bound_socket(slot, k, addr);
  p.ops.push_back(op::Listen{slot, backlog});
  return p;
}

void add(Program& p, std::initializer_list<Op> ops) {
  p.ops.insert(p.ops.end(), ops.begin(), ops.end());
}
void add(Program& p, const Program& more) {
  p.ops.insert(p.ops.end(), more.ops.begin(), more.ops.end());
}

int err_of(const Outcome& o) { return o.ret < 0 ? o.err : 0; }

std::vector<Verdict> verdicts(const Trace& t) { return judge_trace(t); }

std::string annotated(const Trace& t) {
  const std::vector<Verdict> v = verdicts(t);
  std::string out = "trace (" + std::string(backend_name(t.backend)) + "):\n";
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    out += "  " + step_to_string(t.steps[i]) + "\n";
    if (v[i].finding()) out += "    ^ " + explain(v[i]) + "\n";
  }
  return out;
}

Expectation expectation_at(const Trace& t, std::size_t i) {
  WorldFacts world;
  world.backend = t.backend;
  SocketModel m;
  m.world = with_running_kernel(world);  // as TraceJudge judges
  for (std::size_t k = 0; k < i; ++k) apply(m, t.steps[k].op, t.steps[k].outcome);
  return expect(m, t.steps[i].op);
}

AddrKey peer_of(const Outcome& o) {
  if (!o.post || o.post->peer.ret != 0) return {};
  return key_of(o.post->peer.addr.data(), o.post->peer.addr.size());
}

AddrKey local_of(const Outcome& o) {
  if (!o.post || o.post->local.ret != 0) return {};
  return key_of(o.post->local.addr.data(), o.post->local.addr.size());
}

}  // namespace conncheck::props
