// IORING_OP_CONNECT on this thread's ring (created on first use).
//
// Example usage:
//   int err; bool cancelled;
//   long ret = uring_connect(fd, sa, len, std::chrono::milliseconds(500), &err, &cancelled);
//   bool hung = is_hang({.backend = Backend::kIoUring, .ret = ret, .err = err, .cancelled =
//   cancelled});
#pragma once

#include <sys/socket.h>

#include <chrono>

namespace conncheck {

// Submits one connect and waits for its completion: ret 0, or -1 with *err
// set from the CQE. With a non-zero bound, a connect whose completion is not
// in the ring when the bound passes is cancelled (again, while the cancel
// finds it in transit between io_uring's queues); one the cancel reached is
// reported with *cancelled = true, and *err is then what it completed with
// (ECANCELED, EINTR from the io-wq worker, or what the socket said, e.g.
// EALREADY). A signal that interrupts the *wait* does not touch the request, so
// the wait resumes: only a cancel interrupts an io_uring connect.
long uring_connect(int fd, const sockaddr* sa, socklen_t len, std::chrono::milliseconds bound,
                   int* err, bool* cancelled);

// Creates this thread's ring now, so its fd is not mistaken for a leak by
// an FdLeakCheck taken before the first call. Throws EnvironmentError.
void uring_prepare();

}  // namespace conncheck
