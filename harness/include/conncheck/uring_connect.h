// IORING_OP_CONNECT on this thread's ring (created on first use).
//
// Example usage:
//   int err; bool hung;
//   long ret = uring_connect(fd, sa, len, std::chrono::milliseconds(500), &err, &hung);
#pragma once

#include <sys/socket.h>

#include <chrono>

namespace conncheck {

// Submits one connect and waits for its completion: ret 0, or -1 with *err
// set from the CQE. With a non-zero bound, a connect still pending after it
// is cancelled and reported with *hung = true. A signal that interrupts the
// *wait* does not touch the request, so the wait resumes: io_uring connect
// itself never returns EINTR.
long uring_connect(int fd, const sockaddr* sa, socklen_t len,
                   std::chrono::milliseconds bound, int* err, bool* hung);

// Creates this thread's ring now, so its fd is not mistaken for a leak by
// an FdLeakCheck taken before the first call. Throws EnvironmentError.
void uring_prepare();

}  // namespace conncheck
