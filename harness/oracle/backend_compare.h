// Backend agreement: where the syscall and io_uring runs of a Program must
// give what the libc run gave, and where they may differ (docs/FINDINGS.md
// 2, 3 and 8; uring_connect.h). The backend-diff fuzz target's check.
//
// Example usage:
//   const BackendComparison c = compare_backends(libc, sys, uring);
//   if (c.syscall) report(*c.syscall);   // "step 3: libc and syscall disagree: ..."
//   judge(uring, c.uring_upto);          // io_uring is held to that many steps
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "program/outcome.h"
#include "program/trace.h"

namespace conncheck {

struct BackendComparison {
  // How many leading steps io_uring is held to: up to a non-blocking IP
  // stream connect or an interrupted one (io_uring waits for the handshake
  // and is not interrupted), or through a failed IP stream connect, whose
  // local address io_uring keeps (compared without it, nothing after).
  std::size_t uring_upto = 0;
  // Likewise for syscall: all steps, unless a predicted wait outlasted its
  // bound on one backend and not the other (a timing split: load decides
  // which, and the runs differ in state after it).
  std::size_t syscall_upto = 0;
  std::optional<std::string> syscall;  // the first disagreement, if any
  std::optional<std::string> uring;
};

// `ref` is the libc run; `sys` and `uring` the same Program's other runs.
// A difference is accepted where the Model predicts it for that backend
// (its outcome allowed there and not in the reference's world), where both
// calls were ended by the watchdog, where only one was but the Model
// predicts that wait and allows the other's outcome (a timing split; the
// comparison of that backend ends there), and in what the kernel picks at
// random (mask_kernel_choices).
BackendComparison compare_backends(const Trace& ref, const Trace& sys, const Trace& uring);

// Copies into y the names x has where both hold a kernel's free choice: an
// AF_UNIX autobind name (unix_autobind(): "\0" and five hex digits, drawn at
// random) or an ephemeral port (ip_local_port_range) with the same address.
void mask_kernel_choices(const PostState& x, PostState& y);

}  // namespace conncheck
