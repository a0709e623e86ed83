// Outcome: what one call did, as a value. Printed strace-style.
//
// Example usage:
//   Outcome o = call_connect(Backend::kSyscall, fd, addr);
//   if (o.failed() && o.err == EISCONN) ...
//   fmt::print("{}\n", trace_line(fd, addr, o));
//   // connect(3, {sa_family=AF_INET, ...}, 16) = -1 EISCONN (Transport endpoint is already
//   connected)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/out_of_line.h"
#include "program/address.h"

namespace conncheck {

// "EISCONN" for EISCONN; "E<n>" for numbers with no name.
std::string errno_name(int err);
// errno from its name ("EISCONN"); false if unknown.
bool parse_errno(std::string_view name, int* out);

// A socket-name query (getpeername or getsockname) as observed.
struct NameResult {
  int ret = 0;
  int err = 0;
  std::vector<std::uint8_t> addr;  // the returned sockaddr, truncated to its length
  bool operator==(const NameResult&) const = default;
};

// State read right after the call. Reading SO_ERROR clears the socket's
// pending error, so the value seen is recorded here and nothing is lost;
// callers that want the kernel to keep it ask for no post-state.
struct PostState {
  NameResult peer;   // getpeername
  NameResult local;  // getsockname
  int so_error = 0;  // getsockopt(SOL_SOCKET, SO_ERROR); -errno if that failed
  bool operator==(const PostState&) const = default;
};

struct Outcome {
  long ret = 0;
  int err = 0;                   // errno, captured at once; 0 on success
  std::uint64_t elapsed_ns = 0;  // 0 when timing was not asked for
  OutOfLine<PostState> post;     // out of line: see out_of_line.h
  bool hung = false;             // the watchdog ended the call: it was still blocked at its bound
  // Not issued at all: the harness refused it (see destination_guard.h).
  // ret is -1 and err 0; the reason is in the trace.
  bool refused = false;

  bool ok() const { return ret == 0 && !hung; }
  bool failed() const { return ret < 0; }
  // Same return, errno, post-state and hang flag. Elapsed time is ignored;
  // with mask_local_port, kernel-chosen local ports are ignored too (two
  // fresh sockets never get the same ephemeral port).
  bool same_as(const Outcome& o, bool mask_local_port = true) const;
};

// " = 0" / " = -1 EISCONN (Transport endpoint is already connected)" and
// the post-state and timing as an strace-style comment.
std::string result_to_string(const Outcome& o);
// The whole line: connect(<fd>, <addr>, <addrlen>) = ...
std::string trace_line(int fd, const Address& a, const Outcome& o);

void to_json(nlohmann::json& j, const Outcome& o);

}  // namespace conncheck
