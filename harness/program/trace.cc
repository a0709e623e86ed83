// strace-style lines for every op of a Trace.
#include <fmt/format.h>

#include "base/overloaded.h"
#include "program/trace.h"

namespace conncheck {
namespace {

using internal::overloaded;

std::string name_arg(const Outcome& o, bool peer) {
  if (!o.post || o.ret < 0) return "0x... /* not written */";
  const auto& a = peer ? o.post->peer.addr : o.post->local.addr;
  return fmt::format("{}, [{}]", sockaddr_to_string(a.data(), a.size()), a.size());
}

std::string call_text(const Step& s) {
  const int fd = s.fd;
  const Outcome& o = s.outcome;
  return std::visit(
      overloaded{
          [&](const op::Socket& x) {
            return fmt::format("socket({}, {}, {})", family_name(x.domain),
                               socket_type_name(x.type), x.protocol);
          },
          [&](const op::NotSocket&) {
            return std::string("openat(AT_FDCWD, \"/dev/null\", O_RDWR)");
          },
          [&](const op::Bind& x) {
            return fmt::format("bind({}, {}, {})", fd, to_string(x.addr), x.addr.addrlen);
          },
          [&](const op::Listen& x) { return fmt::format("listen({}, {})", fd, x.backlog); },
          [&](const op::Connect& x) {
            std::string t =
                fmt::format("connect({}, {}, {})", fd, to_string(x.addr), x.addr.addrlen);
            if (x.interrupt_ms) t = fmt::format("{} /* SIGUSR1 after {}ms */", t, x.interrupt_ms);
            return t;
          },
          [&](const op::Accept&) {
            return fmt::format("accept4({}, NULL, NULL, SOCK_CLOEXEC)", fd);
          },
          [&](const op::Send& x) {
            return fmt::format("send({}, \"\\0\"..., {}, MSG_DONTWAIT|MSG_NOSIGNAL)", fd, x.len);
          },
          [&](const op::SendTo& x) {
            return fmt::format("sendto({}, \"\\0\"..., {}, MSG_DONTWAIT|MSG_NOSIGNAL, {}, {})", fd,
                               x.len, to_string(x.addr), x.addr.addrlen);
          },
          [&](const op::Recv&) { return fmt::format("recv({}, ..., 256, MSG_DONTWAIT)", fd); },
          [&](const op::GetPeerName&) {
            return fmt::format("getpeername({}, {})", fd, name_arg(o, true));
          },
          [&](const op::GetSockName&) {
            return fmt::format("getsockname({}, {})", fd, name_arg(o, false));
          },
          [&](const op::Shutdown& x) {
            return fmt::format("shutdown({}, {})", fd, shutdown_how_name(x.how));
          },
          [&](const op::Close&) { return fmt::format("close({})", fd); },
          [&](const op::SetNonblock& x) {
            return fmt::format("fcntl({}, F_SETFL, {}O_NONBLOCK)", fd, x.on ? "" : "~");
          },
          [&](const op::SetSockOpt& x) {
            return fmt::format("setsockopt({}, {}, [{}], 4)", fd, sockopt_name(x.level, x.name),
                               x.value);
          },
          [&](const op::PollOut& x) {
            return fmt::format("poll([{{fd={}, events=POLLOUT}}], 1, {})", fd, x.timeout_ms);
          },
          [&](const op::GetSoError&) {
            const int v = o.post ? o.post->so_error : 0;
            return fmt::format("getsockopt({}, SOL_SOCKET, SO_ERROR, [{}], [4])", fd,
                               v ? errno_name(v) : "0");
          },
      },
      s.op);
}

}  // namespace

std::string step_to_string(const Step& s) {
  Outcome shown = s.outcome;
  // Name queries already print their result in the arguments.
  if (!std::holds_alternative<op::Connect>(s.op)) shown.post.reset();
  return call_text(s) + result_to_string(shown);
}

bool Trace::hung() const {
  for (const auto& s : steps)
    if (s.outcome.hung) return true;
  return false;
}

std::string to_string(const Trace& t) {
  std::string out;
  for (const auto& s : t.steps) out += step_to_string(s) + "\n";
  return out;
}

}  // namespace conncheck
