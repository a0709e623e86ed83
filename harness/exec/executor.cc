// Runs a Program over its socket slots. Every op is one syscall (the
// connect through the run's Backend); results are recorded, never acted on,
// so the trace is exactly what the kernel said.
#include "exec/executor.h"
#include "base/overloaded.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <mutex>
#include <stdexcept>

#include "exec/address_memory.h"
#include "exec/destination_guard.h"
#include "exec/fd.h"
#include "exec/watchdog.h"
#include "program/errors.h"

namespace conncheck {
namespace {

using internal::overloaded;

Outcome result(long ret) {
  Outcome o;
  o.ret = ret;
  o.err = ret < 0 ? errno : 0;
  return o;
}

Outcome refused() {
  Outcome o;
  o.ret = -1;
  o.refused = true;
  return o;
}

}  // namespace

// The ops' syscalls, on an Execution's slots with its options and the
// current op's bound: made on the stack for each op, three references.
class Execution::Runner {
 public:
  explicit Runner(Execution& e) : opt_(e.options_), bound_(e.bound_), slots_(e.slots_) {}

  Outcome run(const Op& op) {
    return std::visit([this](const auto& x) { return (*this)(x); }, op);
  }
  int fd(int slot) const { return slots_[slot].get(); }

  Outcome operator()(const op::Socket& x) {
    // The slot takes the result: its old fd is closed even when no new one
    // is made (the Model's rule too), so a failed socket() leaves it empty.
    if (!socket_domain_refusal(x.domain).empty()) {
      slots_[x.slot].reset();
      return refused();
    }
    Outcome o = result(::socket(x.domain, x.type | SOCK_CLOEXEC, x.protocol));
    slots_[x.slot].reset(o.ret >= 0 ? static_cast<int>(o.ret) : -1);
    return o;
  }
  Outcome operator()(const op::NotSocket& x) {
    Outcome o = result(::open("/dev/null", O_RDWR | O_CLOEXEC));
    slots_[x.slot].reset(o.ret >= 0 ? static_cast<int>(o.ret) : -1);
    return o;
  }
  Outcome operator()(const op::Bind& x) {
    if (!destination_refusal(x.addr).empty()) return refused();
    AddressMemory m(x.addr);
    return result(::bind(fd(x.slot), m.ptr(), x.addr.addrlen));
  }
  Outcome operator()(const op::Listen& x) { return result(::listen(fd(x.slot), x.backlog)); }
  Outcome operator()(const op::Connect& x) {
    if (!destination_refusal(x.addr).empty()) return refused();
    // The Program's interrupt is armed around the call itself (backend.cc).
    return call_connect(opt_.backend, fd(x.slot), x.addr,
                        {.timing = opt_.timing,
                         .post_state = opt_.post_state,
                         .bound = bound_,
                         .interrupt_ms = x.interrupt_ms});
  }
  Outcome operator()(const op::Accept& x) {
    CallWatchdog dog(bound_);
    Outcome o = result(::accept4(fd(x.slot), nullptr, nullptr, SOCK_CLOEXEC));
    // No Program signal comes here: an EINTR is the watchdog's (is_hang).
    o.hung = is_hang({.backend = Backend::kLibc, .ret = o.ret, .err = o.err});
    if (o.ret >= 0) slots_[x.into_slot].reset(static_cast<int>(o.ret));
    return o;
  }
  Outcome operator()(const op::Send& x) {
    std::array<char, 256> buf{};
    return result(::send(fd(x.slot), buf.data(), std::min<std::size_t>(x.len, buf.size()),
                         MSG_DONTWAIT | MSG_NOSIGNAL));
  }
  Outcome operator()(const op::SendTo& x) {
    if (!destination_refusal(x.addr).empty()) return refused();
    std::array<char, 256> buf{};
    AddressMemory m(x.addr);
    return result(::sendto(fd(x.slot), buf.data(), std::min<std::size_t>(x.len, buf.size()),
                           MSG_DONTWAIT | MSG_NOSIGNAL, m.ptr(), x.addr.addrlen));
  }
  Outcome operator()(const op::Recv& x) {
    std::array<char, 256> buf;
    return result(::recv(fd(x.slot), buf.data(), buf.size(), MSG_DONTWAIT));
  }
  Outcome operator()(const op::GetPeerName& x) { return name_query(x.slot, true); }
  Outcome operator()(const op::GetSockName& x) { return name_query(x.slot, false); }
  Outcome operator()(const op::Shutdown& x) { return result(::shutdown(fd(x.slot), x.how)); }
  Outcome operator()(const op::Close& x) {
    // Close through the owner, so the slot forgets the fd; -1 (EBADF) if empty.
    const int f = slots_[x.slot].release();
    return result(::close(f));
  }
  Outcome operator()(const op::SetNonblock& x) {
    const int flags = ::fcntl(fd(x.slot), F_GETFL);
    if (flags < 0) return result(-1);
    return result(::fcntl(fd(x.slot), F_SETFL, x.on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK));
  }
  Outcome operator()(const op::SetSockOpt& x) {
    return result(::setsockopt(fd(x.slot), x.level, x.name, &x.value, sizeof x.value));
  }
  Outcome operator()(const op::PollOut& x) {
    pollfd p{fd(x.slot), POLLOUT, 0};
    Outcome o = result(::poll(&p, 1, capped_poll_timeout(x.timeout_ms, bound_)));
    return o;
  }
  Outcome operator()(const op::GetSoError& x) {
    int v = 0;
    socklen_t len = sizeof v;
    Outcome o = result(::getsockopt(fd(x.slot), SOL_SOCKET, SO_ERROR, &v, &len));
    o.post = PostState{};
    o.post->so_error = v;
    return o;
  }

 private:
  Outcome name_query(int slot, bool peer) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    auto* sa = reinterpret_cast<sockaddr*>(&ss);
    Outcome o =
        result(peer ? ::getpeername(fd(slot), sa, &len) : ::getsockname(fd(slot), sa, &len));
    o.post = PostState{};
    NameResult& n = peer ? o.post->peer : o.post->local;
    n.ret = static_cast<int>(o.ret);
    n.err = o.err;
    if (o.ret == 0) {
      const auto* p = reinterpret_cast<const std::uint8_t*>(&ss);
      n.addr.assign(p, p + std::min<std::size_t>(len, sizeof ss));
    }
    return o;
  }

  const RunOptions& opt_;
  const std::chrono::milliseconds bound_;  // this op's
  std::array<FileDescriptor, kMaxSlots>& slots_;
};

Execution::Execution(const RunOptions& options) : options_(options), bound_(options.bound) {
  trace_.backend = options_.backend;
}

const Step& Execution::step(const Op& op) {
  if (std::string why = validate(Program{{op}}); !why.empty())
    throw std::invalid_argument("invalid op: " + why);
  return step_checked(op);
}

const Step& Execution::step_checked(const Op& op) {
  const int f = slots_[op_slot(op)].get();
  if (options_.bound_for) {
    const std::chrono::milliseconds b = options_.bound_for(trace_.steps, op);
    bound_ = b.count() > 0 ? b : options_.bound;
  }
  Outcome o = Runner(*this).run(op);
  return trace_.steps.emplace_back(Step{op, f, std::move(o)});
}

Trace execute(const Program& p, const RunOptions& options) {
  if (std::string why = validate(p); !why.empty())
    throw std::invalid_argument("invalid program: " + why);
  Execution run(options);
  run.trace_.steps.reserve(p.ops.size());
  for (const Op& op : p.ops) run.step_checked(op);
  return std::move(run.trace_);
}

}  // namespace conncheck
