// One C block per op. Each makes exactly the syscall the executor makes
// (executor.cc), with the same arguments, then prints the line the trace
// printer would print: the call text comes from step_to_string itself, with
// the fd turned into a printf conversion, so the two cannot drift apart.
#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "base/overloaded.h"
#include "emit_c_internal.h"
#include "exec/destination_guard.h"
#include "exec/executor.h"

namespace conncheck::emitc {
namespace {

using internal::overloaded;

// The call text with "%d" where the fd goes, as a C printf literal.
std::string call_format(const Op& op) {
  // An fd the text cannot otherwise contain exactly once: try a few.
  for (const int sentinel : {1987654321, 1876543219, 1765432198}) {
    std::string text = step_to_string(Step{op, sentinel, Outcome{}});
    text.resize(text.size() - std::string_view(" = 0").size());  // Outcome{} prints " = 0"
    const std::string needle = std::to_string(sentinel);
    const std::size_t at = text.find(needle);
    if (at != std::string::npos && text.find(needle, at + 1) != std::string::npos) continue;
    if (at == std::string::npos) return c_literal(text, true);
    const std::string before = c_literal(text.substr(0, at), true);  // "...", quotes included
    const std::string after = c_literal(text.substr(at + needle.size()), true);
    return before.substr(0, before.size() - 1) + "%d" + after.substr(1);
  }
  return c_literal("?", true);  // not reached: three distinct sentinels cannot all collide
}

std::string placement_enum(Placement p) {
  switch (p) {
    case Placement::kNormal: return "PLACE_NORMAL";
    case Placement::kGuardEnd: return "PLACE_GUARD_END";
    case Placement::kNull: return "PLACE_NULL";
    case Placement::kUnmapped: return "PLACE_UNMAPPED";
  }
  return "PLACE_NORMAL";
}

bool returns_fd(const Op& op) {
  return std::holds_alternative<op::Socket>(op) || std::holds_alternative<op::NotSocket>(op) ||
         std::holds_alternative<op::Accept>(op);
}

// `static unsigned char addr[] = {...};` and the pointer placed in the arena.
std::string place_address(const Address& a, const OpContext& c) {
  std::string s = fmt::format("    static unsigned char addr[] = {};\n", c_bytes(a.bytes));
  if (c.unix_dir >= 0)
    s += fmt::format("    memcpy(addr + {}, unix_dir_{}, {}); /* this run's private directory */\n",
                     c.unix_dir_offset, c.unix_dir, c.unix_dir_len);
  s += fmt::format("    const struct sockaddr *sa = place(addr, {}, {});\n", a.bytes.size(),
                   placement_enum(a.placement));
  return s;
}

std::string addrlen(const Address& a) { return fmt::format("(socklen_t){}u", a.addrlen); }

std::string connect_call(Backend b, const Address& a, int interrupt_ms) {
  const std::string arm = interrupt_ms > 0
                              ? fmt::format("    watchdog_arm_interrupted({});\n", interrupt_ms)
                              : "    watchdog_arm();\n";
  switch (b) {
    case Backend::kLibc:
      return fmt::format(
          "{}    ret = connect(fd, sa, {});\n    err = ret < 0 ? errno : 0;\n"
          "    hung = watchdog_disarm(ret, err);\n",
          arm, addrlen(a));
    case Backend::kSyscall:
      return fmt::format(
          "{}    ret = syscall(SYS_connect, fd, sa, {});\n"
          "    err = ret < 0 ? errno : 0;\n    hung = watchdog_disarm(ret, err);\n",
          arm, addrlen(a));
    case Backend::kIoUring:
      return fmt::format("    ret = uring_connect(fd, sa, {}, &err, &hung);\n", addrlen(a));
  }
  return {};
}

// The statements that make the call and set ret/err (and hung, note).
std::string call_body(const Op& op, const OpContext& c) {
  const EmitOptions& o = *c.options;
  const std::string plain = "    err = ret < 0 ? errno : 0;\n";
  return std::visit(
      overloaded{
          [&](const op::Socket& x) {
            if (!socket_domain_refusal(x.domain).empty())
              return fmt::format(
                  "    refused = 1; /* the harness makes only AF_UNIX/AF_INET/AF_INET6 sockets "
                  "*/\n    slot_set({}, -1);\n",
                  x.slot);
            return fmt::format(
                "    ret = socket({}, {} | SOCK_CLOEXEC, {});\n{}    slot_set({}, ret >= 0 ? "
                "(int)ret : -1); /* the slot takes the result */\n",
                x.domain, x.type, x.protocol, plain, x.slot);
          },
          [&](const op::NotSocket& x) {
            return fmt::format(
                "    ret = open(\"/dev/null\", O_RDWR | O_CLOEXEC);\n{}    slot_set({}, ret >= 0 ? "
                "(int)ret : -1);\n",
                plain, x.slot);
          },
          [&](const op::Bind& x) {
            return place_address(x.addr, c) +
                   fmt::format("    ret = bind(fd, sa, {});\n{}", addrlen(x.addr), plain);
          },
          [&](const op::Listen& x) {
            return fmt::format("    ret = listen(fd, {});\n{}", x.backlog, plain);
          },
          [&](const op::Connect& x) {
            std::string s = place_address(x.addr, c);
            if (x.interrupt_ms > 0) s += fmt::format("    interrupt_after({});\n", x.interrupt_ms);
            s += connect_call(o.backend, x.addr, x.interrupt_ms);
            if (x.interrupt_ms > 0) s += "    interrupt_cancel();\n";
            if (o.post_state) s += "    post_state(fd);\n    note = post_note;\n";
            return s;
          },
          [&](const op::Accept& x) {
            return fmt::format(
                "    watchdog_arm();\n    ret = accept4(fd, NULL, NULL, SOCK_CLOEXEC);\n{}"
                "    hung = watchdog_disarm(ret, err);\n    if (ret >= 0) slot_set({}, "
                "(int)ret);\n",
                plain, x.into_slot);
          },
          [&](const op::Send& x) {
            return fmt::format(
                "    static const char buf[256];\n    ret = send(fd, buf, {}, MSG_DONTWAIT | "
                "MSG_NOSIGNAL);\n{}",
                std::min<std::size_t>(x.len, 256), plain);
          },
          [&](const op::SendTo& x) {
            return place_address(x.addr, c) +
                   fmt::format(
                       "    static const char buf[256];\n    ret = sendto(fd, buf, {}, "
                       "MSG_DONTWAIT | MSG_NOSIGNAL, sa, {});\n{}",
                       std::min<std::size_t>(x.len, 256), addrlen(x.addr), plain);
          },
          [&](const op::Recv&) {
            return fmt::format(
                "    char buf[256];\n    ret = recv(fd, buf, sizeof buf, MSG_DONTWAIT);\n{}",
                plain);
          },
          [&](const op::GetPeerName&) {
            return std::string("    ret = name_query(fd, 1, &err);\n");
          },
          [&](const op::GetSockName&) {
            return std::string("    ret = name_query(fd, 0, &err);\n");
          },
          [&](const op::Shutdown& x) {
            return fmt::format("    ret = shutdown(fd, {});\n{}", x.how, plain);
          },
          [&](const op::Close& x) {
            return fmt::format(
                "    slots[{}] = -1; /* the slot forgets the fd whatever close says */\n"
                "    ret = close(fd);\n{}",
                x.slot, plain);
          },
          [&](const op::SetNonblock& x) {
            return fmt::format(
                "    const int flags = fcntl(fd, F_GETFL);\n"
                "    ret = flags < 0 ? -1 : fcntl(fd, F_SETFL, {});\n{}",
                x.on ? "flags | O_NONBLOCK" : "flags & ~O_NONBLOCK", plain);
          },
          [&](const op::SetSockOpt& x) {
            return fmt::format(
                "    const int value = {};\n    ret = setsockopt(fd, {}, {}, &value, sizeof "
                "value);\n{}",
                x.value, x.level, x.name, plain);
          },
          [&](const op::PollOut& x) {
            // As the executor: the wait is capped by the run's bound.
            return fmt::format(
                "    struct pollfd p = {{fd, POLLOUT, 0}};\n    ret = poll(&p, 1, {});\n{}",
                capped_poll_timeout(x.timeout_ms, o.bound), plain);
          },
          [&](const op::GetSoError&) {
            return fmt::format(
                "    socklen_t len = sizeof so_error;\n"
                "    ret = getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);\n{}",
                plain);
          },
      },
      op);
}

// The printf of the call text, after the call (strace prints on return).
std::string print_call(const Op& op) {
  if (std::holds_alternative<op::GetPeerName>(op) || std::holds_alternative<op::GetSockName>(op)) {
    const std::string name =
        std::holds_alternative<op::GetPeerName>(op) ? "getpeername" : "getsockname";
    return fmt::format("    printf(\"{}(%d, %s)\", fd, name_arg);\n", name);
  }
  if (std::holds_alternative<op::GetSoError>(op))
    return "    printf(\"getsockopt(%d, SOL_SOCKET, SO_ERROR, [%s], [4])\", fd, so_error ? "
           "errname(so_error) : \"0\");\n";
  const std::string fmt_literal = call_format(op);
  if (fmt_literal.find("%d") == std::string::npos)
    return fmt::format("    printf({});\n", fmt_literal);
  return fmt::format("    printf({}, fd);\n", fmt_literal);
}

std::string expectation(const Outcome* e, const Op& op) {
  if (e == nullptr) return "CHECK_NONE, 0, \"\"";
  const char* check = returns_fd(op) ? "CHECK_FD" : "CHECK_EXACT";
  if (e->refused) return fmt::format("{}, -1, \"?\"", check);
  return fmt::format("{}, {}L, \"{}\"", check, e->ret, e->ret < 0 ? errno_name(e->err) : "");
}

}  // namespace

std::string op_block(const Op& op, const OpContext& c) {
  std::string s =
      fmt::format("\n  /* op {}: {} on slot {} */\n", c.index, op_name(op), op_slot(op));
  if (c.expected) {
    // The recorded line, with "fd" for the harness's fd number (it differs here).
    constexpr int kFd = 1987654321;
    std::string line = step_to_string(Step{op, kFd, *c.expected});
    for (std::size_t at; (at = line.find(std::to_string(kFd))) != std::string::npos;)
      line.replace(at, std::to_string(kFd).size(), "fd");
    s += fmt::format("  // harness: {}\n", c_comment(line));
  }
  s += "  {\n";
  s += fmt::format("    const int fd = slots[{}];\n    (void)fd;\n", op_slot(op));
  s +=
      "    long ret = -1;\n    int err = 0, hung = 0, refused = 0;\n    const char *note = \"\";\n";
  if (std::holds_alternative<op::GetSoError>(op)) s += "    int so_error = 0;\n";
  s += call_body(op, c);
  s += print_call(op);
  s += fmt::format("    step_result({}, ret, err, hung, refused, note, {});\n", c.index,
                   expectation(c.expected, op));
  s += "  }\n";
  return s;
}

}  // namespace conncheck::emitc
